// Clip intake: brings a finished job's clip home into `*.part`, checks it (plays, has video, as long as
// asked), hashes it and only then gives it its final name. A group's clip is kept whole and cut into one
// take per shot (group-split.ts). Nothing here changes a job: the engine records what comes back.
import { Gate } from '../util/concurrency';
import { sha256File } from '../util/hash-file';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CAPABILITIES } from '../../../shared/capabilities';
import { StudioError } from '../../../shared/errors';
import type { GenerationSpec } from '../../../shared/generation';
import type { MediaInfo } from '../../../shared/schema';
import { probe, runFfmpeg, type ProbeResult } from '../media/ffmpeg';
import type { ClipResult } from '../providers/provider';
import { downloadToPart } from './download';
import { copyableKeyframes, pieceJob, planPieces } from './group-split';
import type { JournalEntry } from './journal';
import { providerJobId } from './public-job';

export type ClipMedia = { media: MediaInfo; groupClip?: { path: string; offsetSec: number } };

/**
 * Checking a clip (ffprobe, hashing, cutting a group) is CPU work on this machine: a few at a time keep
 * every core busy, while hundreds of jobs finishing together would only thrash it.
 */
const checks = new Gate(Math.max(2, os.availableParallelism?.() ?? os.cpus().length));

export interface IntakeOptions {
  projectDir: string;
  job: JournalEntry;
  result: ClipResult;
  signal: AbortSignal;
  /** Attempts per download (each resumes where the last one stopped). */
  downloadAttempts: number;
  wait: (ms: number) => Promise<void>;
  /** Bytes so far (at most every 250 ms), for the progress line. */
  onDownload: (have: number, total: number | undefined) => void;
}

/** The clip of each of the job's takes, on disk, checked and hashed. */
export async function intakeClip(opts: IntakeOptions): Promise<ClipMedia[]> {
  const { job, result, signal } = opts;
  const name = CAPABILITIES[job.provider].label;
  const ref = job.providerRef ? providerJobId(job.providerRef) : job.id;
  const firstShot = job.shotIds[0];
  const grouped = job.shotIds.length > 1;
  const relPath = path.posix.join('media', 'takes', firstShot, grouped ? `${job.id}-group.mp4` : `${job.takeIds[0]}.mp4`);
  const finalPath = path.join(opts.projectDir, relPath);
  const partPath = `${finalPath}.part`;
  await fs.mkdir(path.dirname(finalPath), { recursive: true });

  let info: ProbeResult;
  let sha256: string;
  if (existsSync(finalPath) && !existsSync(partPath)) {
    // An earlier run checked and renamed it, then stopped before recording it: only the hash is redone.
    [info, sha256] = await checks.run(() => Promise.all([probe(finalPath), sha256File(finalPath)]));
  } else {
    const fetchOnce = async (fromScratch: boolean) => {
      if (fromScratch) await fs.rm(partPath, { force: true });
      if (result.kind === 'file') {
        await fs.rename(result.path, partPath).catch(() => fs.copyFile(result.path, partPath));
        return;
      }
      let lastEmit = 0;
      await downloadToPart(result.url, partPath, {
        provider: job.provider,
        jobRef: ref,
        signal,
        attempts: opts.downloadAttempts,
        expectedBytes: result.sizeBytes,
        sleep: opts.wait,
        onBytes: (have, total) => {
          const now = Date.now();
          if (now - lastEmit < 250) return;
          lastEmit = now;
          opts.onDownload(have, total);
        },
      });
    };
    await fetchOnce(false);
    let checked = await checks.run(() => checkClip({ file: partPath, spec: job.spec }));
    if (!checked.ok && result.kind === 'url' && !signal.aborted) {
      // A damaged transfer costs nothing to repeat; a clip that is bad at the source stays bad.
      await fetchOnce(true);
      checked = await checks.run(() => checkClip({ file: partPath, spec: job.spec }));
    }
    if (!checked.ok) {
      throw new StudioError(
        'PROVIDER_ERROR',
        `The clip ${name} returned for ${job.label} ${checked.problem} (${name} job ${ref}). It was kept as ${path.basename(partPath)} and not used. Generate the shot again, or recover the clip from ${name}'s dashboard with the job id.`,
      );
    }
    info = checked.info;
    sha256 = await checks.run(() => sha256File(partPath));
    await fs.rename(partPath, finalPath);
  }
  const whole: MediaInfo = { path: relPath, sha256, durationSec: info.durationSec, width: info.video!.width, height: info.video!.height, fps: info.video!.fps, hasAudio: Boolean(info.audio) };
  if (!grouped) return [{ media: whole }];

  // Cut the group's clip at the planned shot boundaries: copied where a keyframe sits on the cut.
  const keyframes = await checks.run(() => copyableKeyframes(finalPath, info)).catch(() => [] as number[]);
  const pieces = planPieces({ shotSeconds: job.spec.shots!.map((s) => s.durationSec), keyframes, fps: info.video!.fps });
  const out: ClipMedia[] = [];
  for (const [i, shotId] of job.shotIds.entries()) {
    const pieceRel = path.posix.join('media', 'takes', shotId, `${job.takeIds[i]}.mp4`);
    const piece = path.join(opts.projectDir, pieceRel);
    await fs.mkdir(path.dirname(piece), { recursive: true });
    const [p, pieceSha] = await checks.run(async () => {
      await runFfmpeg(pieceJob({ source: finalPath, piece: pieces[i], info, output: `${piece}.part.mp4` }), { signal });
      return Promise.all([probe(`${piece}.part.mp4`), sha256File(`${piece}.part.mp4`)]);
    });
    await fs.rename(`${piece}.part.mp4`, piece);
    out.push({
      media: { path: pieceRel, sha256: pieceSha, durationSec: p.durationSec, width: p.video!.width, height: p.video!.height, fps: p.video!.fps, hasAudio: Boolean(p.audio) },
      groupClip: { path: relPath, offsetSec: pieces[i].startSec },
    });
  }
  return out;
}

/** Probes a downloaded clip: playable, has video, and as long as asked for. */
async function checkClip(opts: { file: string; spec: GenerationSpec }): Promise<{ ok: true; info: ProbeResult } | { ok: false; problem: string }> {
  let info: ProbeResult;
  try {
    info = await probe(opts.file);
  } catch {
    return { ok: false, problem: 'is not a playable video' };
  }
  if (!info.video) return { ok: false, problem: 'has no video stream' };
  // Providers round (Kling reports 5.1 s for a 5 s request); anything further off is the wrong clip.
  if (Math.abs(info.durationSec - opts.spec.durationSec) > 0.6) {
    return { ok: false, problem: `is ${info.durationSec.toFixed(2)} s long, not the ${opts.spec.durationSec} s asked for` };
  }
  return { ok: true, info };
}

