// Extracts one exact frame of a take (last-frame-args.ts) and stores it as a reference image of the
// project (media/refs/, named by its content like every start frame: project/refs.ts). A chained shot's
// start frame comes from here (shared/chain.ts decides which frame).
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';
import { importImage } from '../project/refs';
import { frameJob } from './last-frame-args';
import { runFfmpeg } from './ffmpeg';
import { probeCached } from './probe-cache';

/** Frame `frame` of the project clip `clip` as a PNG in media/refs/; returns its project-relative path. */
export async function extractFrame(opts: { projectDir: string; clip: string; frame: number; label: string }): Promise<string> {
  const source = path.join(opts.projectDir, opts.clip);
  const info = await probeCached(source, { projectDir: opts.projectDir }).catch(() => {
    throw new StudioError('NOT_FOUND', `Nothing was changed: the take of ${opts.label} (${opts.clip}) is missing or unreadable, so its last frame cannot be used.`);
  });
  // The container's own frame count where it records one: never ask for a frame past the end.
  const frames = info.video?.frames;
  const frame = frames ? Math.min(frames - 1, opts.frame) : opts.frame;
  const dir = await fs.mkdtemp(path.join(tmpdir(), 'storyreel-chain-'));
  try {
    const output = path.join(dir, 'frame.png');
    await runFfmpeg(frameJob({ source, frame, output }));
    const data = await fs.readFile(output).catch(() => {
      throw new StudioError('FFMPEG_FAILED', `Nothing was changed: ffmpeg found no frame ${frame + 1} in the take of ${opts.label} (${opts.clip}).`);
    });
    return await importImage(opts.projectDir, data);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
