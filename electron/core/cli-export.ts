// `storyreel export <dir>`: the cut as a deliverable, through the same Studio API the app uses.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { ExportPresetSchema, type ExportPreset, type TaskProgress } from '../../shared/api';
import { formatDuration } from '../../shared/time';
import { Studio } from './api';
import { exportLogPath } from './media/export';
import { PRESETS } from './media/export-args';
import { applyComputerSettings } from './cli-media';
import { fail } from './cli-util';
import { ffmpegInfo, setFfmpegLogger } from './media/ffmpeg';

const BY_EXTENSION: Record<string, ExportPreset> = { '.mp4': 'h264-1080p', '.webm': 'webm-vp9', '.gif': 'gif', '.webp': 'webp' };

/** The preset asked for, or the one --out's extension implies; a mismatch is refused, not guessed. */
export function choosePreset(preset: string | undefined, out: string | undefined): ExportPreset {
  const implied = out ? BY_EXTENSION[path.extname(out).toLowerCase()] : undefined;
  if (!preset) return implied ?? 'h264-1080p';
  const parsed = ExportPresetSchema.safeParse(preset);
  if (!parsed.success) fail(`Unknown preset "${preset}". Presets: ${ExportPresetSchema.options.join(', ')}.`);
  const ext = `.${PRESETS[parsed.data].extension}`;
  if (out && path.extname(out) && path.extname(out).toLowerCase() !== ext) {
    fail(`--out ${out} does not match --preset ${preset}, which writes a ${ext} file. Change one of them.`);
  }
  return parsed.data;
}

function numberOption(value: string | undefined, name: string, range: { min: number; max: number; integer?: boolean }): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < range.min || n > range.max || (range.integer && !Number.isInteger(n))) {
    fail(`--${name} must be ${range.integer ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}, not "${value}".`);
  }
  return n;
}

export async function cmdExport(dir: string, opts: { preset?: string; quality?: string; crossfade?: string; out?: string; verbose?: boolean }): Promise<number> {
  const preset = choosePreset(opts.preset, opts.out);
  const quality = numberOption(opts.quality, 'quality', { min: 1, max: 100, integer: true });
  const crossfadeSec = numberOption(opts.crossfade, 'crossfade', { min: 0, max: 3 });
  if (opts.verbose) setFfmpegLogger((line) => console.log(line));
  applyComputerSettings();
  await ffmpegInfo();
  const studio = await Studio.open(dir, { host: 'cli' });
  let lastStep = '';
  let lastTenth = -1;
  const listener = (event: string, payload: unknown) => {
    const p = payload as TaskProgress;
    if (event !== 'task.progress' || p.kind !== 'export' || p.done) return;
    const step = p.label.replace(/^Export [^:]*: /, '');
    const tenth = Math.floor((p.fraction ?? 0) * 10);
    if (step !== lastStep || tenth > lastTenth) console.log(`  ${step}${p.fraction ? ` ${Math.round(p.fraction * 100)}%` : ''}`);
    lastStep = step;
    lastTenth = tenth;
  };
  const cancel = () => {
    console.error('Canceling the export…');
    void studio.call('media.cancelExport');
  };
  studio.on('event', listener);
  process.once('SIGINT', cancel);
  try {
    const project = studio.session.current;
    console.log(`Exporting ${project.name} as ${PRESETS[preset].label}${crossfadeSec ? `, ${crossfadeSec} s crossfades` : ''}`);
    const result = await studio.call('media.export', {
      preset,
      ...(quality !== undefined ? { quality } : {}),
      ...(crossfadeSec !== undefined ? { crossfadeSec } : {}),
    });
    const file = path.join(studio.session.dir, result.path);
    if (opts.out) {
      await fs.mkdir(path.dirname(path.resolve(opts.out)), { recursive: true });
      await fs.copyFile(file, opts.out);
    }
    console.log(`Exported ${formatDuration(result.durationSec)} (${result.durationSec.toFixed(2)} s) → ${opts.out ?? file}`);
    const log = path.join(studio.session.dir, exportLogPath(path.basename(result.path)));
    if (existsSync(log)) console.log(`  the exact ffmpeg commands: ${log}`);
    if (crossfadeSec && result.crossfadeSec < crossfadeSec) console.log(`  crossfades shortened to ${result.crossfadeSec.toFixed(2)} s to fit the shortest shot`);
    if (result.slateShotIds.length) {
      console.log(`  ${result.slateShotIds.length} shot(s) have no take yet and appear as slates; run storyreel render first to generate them.`);
    }
    return 0;
  } finally {
    process.off('SIGINT', cancel);
    studio.off('event', listener);
    await studio.close();
  }
}
