// One export at a time, as the core allows: its request, its phase and its outcome live here rather than in
// the dialog, so closing the dialog keeps the export running and reopening it shows where it is. Progress
// itself comes from the store's task list (task.progress kind 'export', fed by store/sync.ts).
import { create } from 'zustand';
import type { ExportPreset, MethodOutput } from '../../../../shared/api';
import type { StudioServices } from '../../app/studio-context';
import { isMac } from '../../components/platform';

/** How the Export shortcut is printed on this keyboard. */
export const EXPORT_KEYS = isMac ? '⌘E' : 'Ctrl+E';

/** The form's choices, kept between openings of the dialog. */
export interface ExportDraft {
  preset: ExportPreset;
  quality: number;
  crossfadeSec: number;
  name: string;
  /** Whether the person typed the name (otherwise it follows the project name and the preset). */
  nameEdited: boolean;
  /** Whether the person moved the crossfade here (otherwise it is the project's, the one the preview shows). */
  crossfadeEdited?: boolean;
}

export interface ExportRequest {
  preset: ExportPreset;
  quality: number;
  crossfadeSec: number;
  /** File name without extension (the core adds the preset's). */
  out: string;
}

export type ExportResult = MethodOutput<'media.export'>;

export type ExportRun =
  | { phase: 'idle' }
  | { phase: 'running'; request: ExportRequest; canceling: boolean }
  | { phase: 'done'; request: ExportRequest; result: ExportResult }
  | { phase: 'canceled'; request: ExportRequest; message: string }
  | { phase: 'failed'; request: ExportRequest; message: string };

export const useExportRun = create<{ run: ExportRun; draft: ExportDraft | null }>(() => ({ run: { phase: 'idle' }, draft: null }));

const setRun = (run: ExportRun) => useExportRun.setState({ run });

/** The core's words for a cancel (export.ts): a cancel that raced the finish is still reported truthfully. */
const CANCELED = /^Export canceled/;

export async function startExport(services: Pick<StudioServices, 'client' | 'store'>, request: ExportRequest): Promise<void> {
  if (useExportRun.getState().run.phase === 'running') return;
  setRun({ phase: 'running', request, canceling: false });
  try {
    const result = await services.client.invoke('media.export', request);
    setRun({ phase: 'done', request, result });
    // Closed while it ran: say it is ready (errors already reach a toast through store/sync.ts).
    if (services.store.getState().dialog !== 'export') {
      services.store.getState().pushToast({ kind: 'info', title: 'Export ready', message: `${result.path} — open Export (${EXPORT_KEYS}) to get it.` });
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const current = useExportRun.getState().run;
    const asked = current.phase === 'running' && current.canceling;
    setRun(asked || CANCELED.test(message) ? { phase: 'canceled', request, message } : { phase: 'failed', request, message });
  }
}

export async function cancelExport(services: Pick<StudioServices, 'client'>): Promise<void> {
  const run = useExportRun.getState().run;
  if (run.phase !== 'running' || run.canceling) return;
  setRun({ ...run, canceling: true });
  try {
    await services.client.invoke('media.cancelExport');
  } catch {
    // The export goes on; its own answer (done or failed) still settles the dialog.
    const now = useExportRun.getState().run;
    if (now.phase === 'running') setRun({ ...now, canceling: false });
  }
}

/** Back to the form (after a finished, canceled or failed export), keeping the last choices. */
export function resetExport(): void {
  if (useExportRun.getState().run.phase !== 'running') setRun({ phase: 'idle' });
}
