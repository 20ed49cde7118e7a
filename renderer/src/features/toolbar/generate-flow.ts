// "Generate" from anywhere (toolbar, ⌘↵) goes through here: ask the core what it would send and cost,
// refuse with the reason when something stops it, ask first when it costs money, send directly when free.
import { create } from 'zustand';
import type { MethodOutput } from '../../../../shared/api';
import type { Project } from '../../../../shared/schema';
import { estimateUsd, formatUsd } from '../../../../shared/pricing';
import { workUnits } from '../../../../shared/work-units';
import type { StudioServices } from '../../app/studio-context';
import { needsGeneration } from '../../domain/shot-status';
import { stopForDrafts } from '../../store/draft-gate';

export type Estimate = MethodOutput<'jobs.estimate'>;

export interface PendingGenerate {
  /** Absent = every shot that needs a take ("Generate all"). */
  shotIds?: string[];
  estimate: Estimate;
}

export const useGenerateFlow = create<{
  pending: PendingGenerate | null;
  /** What "Generate all" would send right now (refreshed by the toolbar a moment after each change). */
  live: Estimate | null;
  setPending: (p: PendingGenerate | null) => void;
}>()((set) => ({
  pending: null,
  live: null,
  setPending: (pending) => set({ pending }),
}));

/** The core's own sentences ("shot 2 “Storm”: the prompt is empty"), already naming the shot. */
export function describeProblems(problems: Estimate['problems']): string[] {
  return problems.map((p) => p.message);
}

/** "$3.36 would pass the $2.00 budget by $1.36 — raise the budget in Settings", or undefined within budget. */
export function budgetBlock(estimate: Estimate): string | undefined {
  const b = estimate.budget;
  if (!b || b.overByUsd <= 0) return undefined;
  const spent = b.committedUsd > 0 ? ` (with ${formatUsd(b.committedUsd)} already spent or on its way)` : '';
  return `${formatUsd(estimate.estimatedUsd)} would pass the ${formatUsd(b.budgetUsd)} budget by ${formatUsd(b.overByUsd)}${spent} — raise the budget in Settings`;
}

export interface RequestLine {
  key: string;
  label: string;
  durationSec: number;
  usd: number;
}

/** The requests a generate would send, for the confirmation list (same work units and prices as the engine). */
export function requestLines(project: Project, shotIds?: string[]): RequestLine[] {
  const wanted = shotIds ? new Set(shotIds) : undefined;
  return workUnits(project, project.settings.provider)
    .filter((u) =>
      u.shotIds.some((id) => {
        if (wanted) return wanted.has(id);
        const shot = project.shots.find((x) => x.id === id);
        return shot ? needsGeneration(project, shot) : false;
      }),
    )
    .map((u) => ({
      key: u.key,
      label: u.label,
      durationSec: u.spec.durationSec,
      usd: estimateUsd({ provider: u.spec.provider, tier: u.spec.tier, durationSec: u.spec.durationSec, audio: u.spec.audio, voiceControl: u.spec.voiceIds.length > 0 }),
    }));
}

export async function requestGenerate({ store, client, commands }: Pick<StudioServices, 'store' | 'client' | 'commands'>, shotIds?: string[]): Promise<void> {
  const s = store.getState;
  await commands.flushEdits();
  if (stopForDrafts(store, shotIds)) return;
  let estimate: Estimate;
  try {
    estimate = await client.invoke('jobs.estimate', shotIds ? { shotIds } : {});
  } catch (err) {
    s().pushToast({
      kind: 'error',
      title: 'Generation did not start',
      message: `${err instanceof Error ? err.message : String(err)} Nothing was sent and nothing was charged; try again.`,
    });
    return;
  }
  if (estimate.requests === 0) {
    await commands.generate(shotIds);
    return;
  }
  if (estimate.problems.length > 0) {
    s().pushToast({
      kind: 'error',
      title: 'Generation did not start',
      message: `${describeProblems(estimate.problems).join(' · ')}. Nothing was sent; fix ${estimate.problems.length === 1 ? 'this' : 'these'} in the inspector and generate again.`,
    });
    return;
  }
  const over = budgetBlock(estimate);
  if (over) {
    s().pushToast({ kind: 'error', title: 'Over budget: nothing was sent', message: `${over}.` });
    return;
  }
  if (estimate.estimatedUsd > 0) {
    useGenerateFlow.getState().setPending({ ...(shotIds ? { shotIds } : {}), estimate });
    s().openDialog('confirm-generate');
    return;
  }
  await commands.generate(shotIds);
}
