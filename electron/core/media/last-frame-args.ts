// Pure ffmpeg argument builder for one exact frame of a clip, as a PNG: the frame a chained shot starts
// from (shared/chain.ts decides which). `-sseof` seeks by time and lands on a keyframe's neighbourhood, not
// on a frame; here every frame is decoded from the start and the select filter keeps frame number `frame`
// alone (n counts decoded frames from 0), so the picture is exactly the one the cut shows there.
import type { FfmpegJob } from './ffmpeg-args';

export function frameJob(input: { source: string; frame: number; output: string }): FfmpegJob {
  const n = Math.max(0, Math.floor(input.frame));
  return {
    inputs: [{ source: input.source, options: [] }],
    outputOptions: [
      '-map', '0:v:0',
      // The comma inside eq() is escaped for the filtergraph parser (no shell is involved).
      '-vf', `select=eq(n\\,${n})`,
      '-frames:v', '1',
      '-pix_fmt', 'rgb24',
      '-map_metadata', '-1',
      '-f', 'image2', '-c:v', 'png',
    ],
    output: input.output,
  };
}
