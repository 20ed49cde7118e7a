// Makes the fitted copy of a start/end frame (shared/frame-fit.ts decides the sizes): ffmpeg scales the
// picture and pads or crops it to the shot's ratio; the result is stored content-hashed in media/refs/
// beside the original, which is kept.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';
import { framePlan, type FrameFitMode } from '../../../shared/frame-fit';
import type { AspectRatio } from '../../../shared/schema';
import { importImage } from '../project/refs';
import { imageInfo } from '../providers/assets';
import type { FfmpegJob } from './ffmpeg-args';
import { runFfmpeg } from './ffmpeg';

/** The ffmpeg job for one fitted picture (pure: sizes from framePlan). */
export function frameFitJob(input: { source: string; width: number; height: number; aspect: AspectRatio; mode: FrameFitMode; format: 'png' | 'jpeg'; output: string }): FfmpegJob {
  const p = framePlan(input);
  const fit =
    input.mode === 'pad'
      ? `pad=${p.width}:${p.height}:(ow-iw)/2:(oh-ih)/2:color=black`
      : `crop=${p.width}:${p.height}:(iw-ow)/2:(ih-oh)/2`;
  return {
    inputs: [{ source: input.source, options: [] }],
    outputOptions: [
      '-vf', `scale=${p.scaleWidth}:${p.scaleHeight}:flags=lanczos,${fit},setsar=1`,
      '-frames:v', '1', '-map_metadata', '-1',
      ...(input.format === 'jpeg' ? ['-q:v', '2'] : []),
    ],
    output: input.output,
  };
}

/** Fits the project image `rel` to `aspect` and returns the project-relative path of the new copy. */
export async function fitFrameImage(opts: { projectDir: string; rel: string; aspect: AspectRatio; mode: FrameFitMode }): Promise<string> {
  const source = path.join(opts.projectDir, opts.rel);
  const data = await fs.readFile(source).catch(() => {
    throw new StudioError('NOT_FOUND', `Nothing was changed: ${opts.rel} is missing from the project folder. Choose the image again.`);
  });
  const info = imageInfo(data);
  if (!info) throw new StudioError('INVALID_INPUT', `Nothing was changed: ${opts.rel} is not a JPEG or PNG image.`);
  const dir = await fs.mkdtemp(path.join(tmpdir(), 'storyreel-frame-'));
  try {
    const output = path.join(dir, `fitted.${info.format === 'jpeg' ? 'jpg' : 'png'}`);
    await runFfmpeg(frameFitJob({ source, width: info.width, height: info.height, aspect: opts.aspect, mode: opts.mode, format: info.format, output }));
    return await importImage(opts.projectDir, await fs.readFile(output));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
