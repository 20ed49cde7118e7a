// Title cards and slates: writes the text files drawtext reads and renders the card with ffmpeg.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { cardLayout, titleCardJob, wrapText, type StitchTarget } from './ffmpeg-args';
import { runFfmpeg } from './ffmpeg';
import { PICTURE_SLATE_BODY_LINES, pictureSlateJob } from './slate-args';

export interface CardContent {
  label: string;
  title: string;
  body: string;
  footer: string;
}

export async function renderCard(opts: {
  target: StitchTarget;
  durationSec: number;
  content: CardContent;
  style: 'take' | 'slate';
  output: string;
  /** A slate with pictures: the shot's start frame (and end frame, crossfading) under the text. Absolute paths. */
  frames?: { start: string; end?: string };
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}): Promise<void> {
  const workDir = path.dirname(opts.output);
  await fs.mkdir(workDir, { recursive: true });
  const layout = cardLayout(opts.target);
  const stem = `.${path.basename(opts.output, '.mp4')}`;
  const files = {
    labelFile: `${stem}.label.txt`,
    titleFile: `${stem}.title.txt`,
    bodyFile: `${stem}.body.txt`,
    footerFile: `${stem}.footer.txt`,
  };
  // drawtext runs with expansion=none, so the text is drawn exactly as written. An empty text file makes
  // drawtext fail, hence the single space for empty fields.
  const contents: Record<keyof typeof files, string> = {
    labelFile: opts.content.label,
    titleFile: wrapText(opts.content.title || ' ', layout.titleChars, opts.frames ? 1 : 2).join('\n') || ' ',
    bodyFile: wrapText(opts.content.body, layout.bodyChars, opts.frames ? PICTURE_SLATE_BODY_LINES : layout.bodyLines).join('\n') || ' ',
    footerFile: opts.content.footer,
  };
  for (const key of Object.keys(files) as (keyof typeof files)[]) {
    await fs.writeFile(path.join(workDir, files[key]), contents[key]);
  }
  const tmp = `${opts.output}.tmp.mp4`;
  try {
    const common = { target: opts.target, durationSec: opts.durationSec, text: files, output: tmp, cwd: workDir };
    await runFfmpeg(
      opts.frames ? pictureSlateJob({ ...common, startImage: opts.frames.start, endImage: opts.frames.end }) : titleCardJob({ ...common, style: opts.style }),
      { onProgress: opts.onProgress, signal: opts.signal },
    );
    await fs.rename(tmp, opts.output);
  } finally {
    await fs.rm(tmp, { force: true });
    for (const f of Object.values(files)) await fs.rm(path.join(workDir, f), { force: true });
  }
}
