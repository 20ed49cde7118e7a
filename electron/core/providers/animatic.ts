// The built-in animatic provider: renders each shot locally with ffmpeg, at no cost and with no key.
// It speaks the same submit/poll interface as the cloud providers so the engine treats all of them alike.
// A shot with a start frame becomes that picture with a slow camera move (crossfading to its end frame
// when there is one); a shot without one becomes a title card. Dialogue is spoken with flite where ffmpeg
// has it, silence otherwise. A multi-shot group becomes one clip made of each shot's part, so the engine
// splits it like any other. Every clip is in the stitch target format, so the preview copy-concatenates.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { GenerationSpec } from '../../../shared/generation';
import { StudioError } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { formatDuration } from '../../../shared/time';
import { cameraMoveFor, dialogueMuxJob, stillShotJob, voicesFor, type SpokenLine } from '../media/animatic-args';
import { renderCard } from '../media/cards';
import { concatCopyJob, concatList, targetFor, type StitchTarget } from '../media/ffmpeg-args';
import { ffmpegInfo, runFfmpeg } from '../media/ffmpeg';
import type { AdapterContext, PollResult, ProviderAdapter } from './provider';

interface LocalRender {
  progress: number;
  finished: boolean;
  error?: Error;
  abort: AbortController;
}

type Line = { speaker: string; text: string };

/** One shot's worth of animatic: a group renders several of these back to back. */
export interface AnimaticPart {
  title: string;
  prompt: string;
  durationSec: number;
  dialogue: Line[];
  /** Project-relative reference images. */
  startFrame?: string;
  endFrame?: string;
}

export function animaticOutput(workDir: string, ref: string): string {
  return path.join(workDir, 'animatic', `${ref}.mp4`);
}

/**
 * What each part of a spec shows. In a group the reference frames belong to its first shot (the spec's
 * frames are the first shot's), so only that part moves over a picture; the others are title cards.
 */
export function animaticParts(spec: GenerationSpec): AnimaticPart[] {
  const frames = { ...(spec.startFrame ? { startFrame: spec.startFrame } : {}), ...(spec.endFrame ? { endFrame: spec.endFrame } : {}) };
  if (!spec.shots) {
    return [{ title: spec.card?.title ?? '', prompt: spec.prompt ?? '', durationSec: spec.durationSec, dialogue: spec.dialogue ?? [], ...frames }];
  }
  return spec.shots.map((s, i) => ({
    title: s.title ?? '',
    prompt: s.prompt,
    durationSec: s.durationSec,
    dialogue: s.dialogue ?? [],
    ...(i === 0 ? frames : {}),
  }));
}

/** The card's body: the prompt, then the lines, so a silent machine still shows what is said. */
function cardBody(part: AnimaticPart): string {
  const said = part.dialogue.filter((l) => l.text.trim()).map((l) => `${l.speaker.trim() ? `${l.speaker.trim()}: ` : ''}“${l.text.trim()}”`);
  return [part.prompt, ...said].filter(Boolean).join('  —  ');
}

/**
 * The text drawn on one part's title card. It says what the shot is, never where it is: a take stays
 * current when its shot is moved (the hash leaves the position out), so a burned-in shot number would be
 * wrong after a reorder. A group's parts are numbered within the group, which a reorder cannot change.
 */
export function animaticCardText(opts: { part: AnimaticPart; index: number; count: number; aspect: string }): { label: string; title: string; body: string; footer: string } {
  const { part } = opts;
  return {
    label: opts.count > 1 ? `MULTI-SHOT  ·  PART ${opts.index + 1} OF ${opts.count}` : 'ANIMATIC',
    title: part.title.trim() || 'Untitled shot',
    body: cardBody(part),
    footer: `${formatDuration(part.durationSec)}  ·  ${opts.aspect}  ·  animatic`,
  };
}

async function writeLines(opts: { dir: string; stem: string; dialogue: Line[]; speak: boolean }): Promise<SpokenLine[]> {
  if (!opts.speak) return [];
  const lines = opts.dialogue.filter((l) => l.text.trim());
  const voices = voicesFor(lines);
  const spoken: SpokenLine[] = [];
  for (const [i, line] of lines.entries()) {
    // flite reads the words from a file, so quotes, colons and backslashes need no filter escaping.
    const textFile = `${opts.stem}.line${i}.txt`;
    await fs.writeFile(path.join(opts.dir, textFile), `${line.text.trim()}\n`);
    spoken.push({ textFile, voice: voices[i] });
  }
  return spoken;
}

async function renderPart(opts: {
  part: AnimaticPart;
  index: number;
  count: number;
  aspect: string;
  target: StitchTarget;
  projectDir: string;
  output: string;
  speak: boolean;
  signal: AbortSignal;
  onProgress: (fraction: number) => void;
}): Promise<void> {
  const { part, target } = opts;
  const dir = path.dirname(opts.output);
  // Dot-prefixed, made of id characters only: safe inside a filter graph without escaping.
  const stem = `.${path.basename(opts.output, '.mp4').replace(/[^\w-]/g, '_')}`;
  const lines = await writeLines({ dir, stem, dialogue: part.dialogue, speak: opts.speak });
  const scratch = lines.map((l) => path.join(dir, l.textFile));
  try {
    if (part.startFrame) {
      const image = (rel: string) => {
        const abs = path.join(opts.projectDir, rel);
        if (!existsSync(abs)) {
          throw new StudioError('INVALID_INPUT', `The reference image ${rel}${part.title.trim() ? ` of “${part.title.trim()}”` : ''} is missing from the project folder. Add the picture again or remove it from the shot, then generate again.`);
        }
        return abs;
      };
      await runFfmpeg(
        stillShotJob({
          target,
          durationSec: part.durationSec,
          move: cameraMoveFor(part.prompt),
          startImage: image(part.startFrame),
          ...(part.endFrame ? { endImage: image(part.endFrame) } : {}),
          lines,
          output: opts.output,
          cwd: dir,
        }),
        { onProgress: opts.onProgress, signal: opts.signal },
      );
      return;
    }
    const card = lines.length ? path.join(dir, `${stem}.card.mp4`) : opts.output;
    scratch.push(card);
    await renderCard({
      target,
      durationSec: part.durationSec,
      style: 'take',
      content: animaticCardText({ part, index: opts.index, count: opts.count, aspect: opts.aspect }),
      output: card,
      onProgress: (f) => opts.onProgress(lines.length ? f * 0.8 : f),
      signal: opts.signal,
    });
    if (lines.length) {
      await runFfmpeg(dialogueMuxJob({ video: card, lines, target, durationSec: part.durationSec, output: opts.output, cwd: dir }), {
        onProgress: (f) => opts.onProgress(0.8 + f * 0.2),
        signal: opts.signal,
      });
    }
  } finally {
    for (const f of scratch) if (f !== opts.output) await fs.rm(f, { force: true });
  }
}

/** Renders a spec into `out`; the file appears only when complete (a restarted app may reuse it). */
export async function renderAnimatic(opts: {
  spec: GenerationSpec;
  projectDir: string;
  out: string;
  signal: AbortSignal;
  onProgress: (fraction: number) => void;
}): Promise<void> {
  const { spec, out } = opts;
  const target = targetFor(spec.aspectRatio);
  const parts = animaticParts(spec);
  const speak = parts.some((p) => p.dialogue.length) && (await ffmpegInfo()).features.flite;
  const files = parts.map((_, i) => (parts.length === 1 ? `${out}.tmp.mp4` : `${out}.part${i}.mp4`));
  const list = `${out}.ffconcat`;
  const whole = `${out}.tmp.mp4`;
  try {
    const total = parts.reduce((sum, p) => sum + p.durationSec, 0);
    let before = 0;
    for (const [i, part] of parts.entries()) {
      // A cancel between two ffmpeg runs stops here rather than starting the next one.
      opts.signal.throwIfAborted();
      await renderPart({
        part,
        index: i,
        count: parts.length,
        aspect: spec.aspectRatio,
        target,
        projectDir: opts.projectDir,
        output: files[i],
        speak,
        signal: opts.signal,
        onProgress: (f) => opts.onProgress((before + f * part.durationSec) / total),
      });
      before += part.durationSec;
    }
    if (parts.length > 1) {
      opts.signal.throwIfAborted();
      await fs.writeFile(list, concatList(files));
      await runFfmpeg(concatCopyJob(list, whole), { signal: opts.signal });
    }
    await fs.rename(whole, out);
  } finally {
    for (const p of new Set([list, whole, ...files])) await fs.rm(p, { force: true });
  }
}

export function createAnimaticProvider(): ProviderAdapter {
  const renders = new Map<string, LocalRender>();

  const start = (ref: string, spec: GenerationSpec, ctx: AdapterContext) => {
    const render: LocalRender = { progress: 0, finished: false, abort: new AbortController() };
    renders.set(ref, render);
    const out = animaticOutput(ctx.workDir, ref);
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, render.abort.signal]) : render.abort.signal;
    void fs
      .mkdir(path.dirname(out), { recursive: true })
      .then(() => renderAnimatic({ spec, projectDir: ctx.projectDir, out, signal, onProgress: (f) => (render.progress = f) }))
      .then(
        () => void (render.finished = true),
        (err: Error) => Object.assign(render, { finished: true, error: err }),
      );
  };

  return {
    id: 'animatic',
    pollIntervalMs: 200,
    maxPollIntervalMs: 200,
    buildSubmit(spec) {
      return { method: 'POST', url: 'local:animatic', headers: {}, body: spec };
    },
    async submit(spec, ctx) {
      const ref = newId('anim');
      // The spec is kept beside the render so a restarted app can render it again.
      await fs.mkdir(path.join(ctx.workDir, 'animatic'), { recursive: true });
      await fs.writeFile(`${animaticOutput(ctx.workDir, ref)}.json`, JSON.stringify(spec));
      start(ref, spec, ctx);
      return { ref };
    },
    async poll(ref, ctx): Promise<PollResult> {
      const out = animaticOutput(ctx.workDir, ref);
      let render = renders.get(ref);
      if (!render) {
        // This process did not start the render (the app restarted): reuse a finished file, else render again.
        if (existsSync(out)) return { state: 'succeeded', result: { kind: 'file', path: out } };
        const spec = JSON.parse(await fs.readFile(`${out}.json`, 'utf8')) as GenerationSpec;
        start(ref, spec, ctx);
        render = renders.get(ref)!;
      }
      if (!render.finished) return { state: 'running', progress: render.progress };
      renders.delete(ref);
      await fs.rm(`${out}.json`, { force: true });
      if (render.error) return { state: 'failed', error: render.error };
      return { state: 'succeeded', result: { kind: 'file', path: out } };
    },
    async cancel(ref, ctx) {
      // Stops ffmpeg at once; the partial files are removed by the render's own clean-up.
      renders.get(ref)?.abort.abort();
      renders.delete(ref);
      await fs.rm(`${animaticOutput(ctx.workDir, ref)}.json`, { force: true });
    },
  };
}
