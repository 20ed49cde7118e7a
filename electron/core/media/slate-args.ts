// A live slate with pictures (issue 12): a shot that has no take yet but has a start frame shows that picture
// in the preview — crossfading to its end frame across the middle of the shot, as the animatic does — with
// its title, prompt and length on a band along the bottom. Pure builders; cards.ts renders it.
import { crossfadeTiming } from './animatic-args';
import { cardFrames, cardLayout, holdFrame, targetEncodeOptions, type CardText, type FfmpegInput, type FfmpegJob, type StitchTarget } from './ffmpeg-args';

/** Still images are read literally (a '%' in a name is not a sequence pattern). */
function stillInput(file: string): FfmpegInput {
  return { source: file, options: ['-f', 'image2', '-pattern_type', 'none'] };
}

/** The picture fitted into the frame (never stretched) on the slate's ground: one frame, scaled once. */
function fitChain(input: string, t: StitchTarget): string {
  return (
    `[${input}]scale=${t.width}:${t.height}:force_original_aspect_ratio=decrease:flags=lanczos,` +
    `pad=${t.width}:${t.height}:(ow-iw)/2:(oh-ih)/2:color=0x26221c,setsar=1,format=yuv420p`
  );
}

/** How much of the prompt fits on the band under the title. */
export const PICTURE_SLATE_BODY_LINES = 2;

/**
 * The slate: each picture gets the band and the text drawn once, on its one frame, and is then held for the
 * shot's length (drawing on every frame was a third of the render); the start picture crossfades to the end
 * picture across the middle; only the timing bar moves. Exactly cardFrames() frames long.
 */
export function pictureSlateJob(spec: { target: StitchTarget; durationSec: number; text: CardText; startImage: string; endImage?: string; output: string; cwd: string }): FfmpegJob {
  const { target: t, durationSec: d, text } = spec;
  const { scale } = cardLayout(t);
  const px = (n: number) => Math.round(n * scale);
  const left = Math.round(t.width * 0.06);
  const accent = '0x8A8F98';
  const draw = (file: string, size: number, color: string, y: string) =>
    `drawtext=font=Sans:textfile=${file}:fontsize=${px(size)}:fontcolor=${color}:x=${left}:y=${y}:line_spacing=${px(8)}:expansion=none:shadowcolor=black@0.6:shadowx=${px(2)}:shadowy=${px(2)}`;
  const frames = cardFrames(t, d);
  const band = Math.round(t.height * 0.34);
  const card =
    `drawbox=x=0:y=ih-${band}:w=iw:h=${band}:color=black@0.62:t=fill,` +
    [
      draw(text.labelFile, 22, accent, `h-${band}+${px(22)}`),
      draw(text.titleFile, 44, 'white', `h-${band}+${px(56)}`),
      draw(text.bodyFile, 24, '0xDDE1E6', `h-${band}+${px(116)}`),
      draw(text.footerFile, 20, '0xB0B6BE', `h-${px(44)}`),
    ].join(',') +
    `,${holdFrame(frames, t.fps)}`;
  const inputs: FfmpegInput[] = [stillInput(spec.startImage)];
  const graph: string[] = [`${fitChain('0:v', t)},${card}[first]`];
  let picture = 'first';
  if (spec.endImage) {
    inputs.push(stillInput(spec.endImage));
    graph.push(`${fitChain('1:v', t)},${card}[last]`);
    const fade = crossfadeTiming(d);
    graph.push(`[first][last]xfade=transition=fade:duration=${fade.durationSec.toFixed(3)}:offset=${fade.offsetSec.toFixed(3)}[pic]`);
    picture = 'pic';
  }
  const barInput = inputs.length;
  inputs.push({ source: `color=c=${accent}:s=${t.width}x${px(8)}:r=${t.fps}:d=${d}`, options: ['-f', 'lavfi'] });
  inputs.push({ source: `anullsrc=r=${t.sampleRate}:cl=stereo`, options: ['-f', 'lavfi', '-t', String(d)] });
  graph.push(`[${picture}][${barInput}:v]overlay=x='-w+W*t/${d}':y=H-${px(8)}:shortest=1,trim=duration=${d}[v]`);
  return {
    cwd: spec.cwd,
    durationSec: d,
    inputs,
    outputOptions: ['-filter_complex', graph.join(';'), '-map', '[v]', '-map', `${barInput + 1}:a`, '-frames:v', String(frames), ...targetEncodeOptions(t, d)],
    output: spec.output,
  };
}
