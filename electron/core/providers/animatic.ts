// The built-in animatic provider: renders each shot locally with ffmpeg, at no cost and with no key.
// It speaks the same submit/poll interface as the cloud providers so the engine treats all of them alike.
// A multi-shot group becomes one clip made of each shot's card, so the engine splits it like any other.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { GenerationSpec } from '../../../shared/generation';
import { newId } from '../../../shared/ids';
import { formatDuration } from '../../../shared/time';
import { renderCard } from '../media/cards';
import { concatCopyJob, concatList, targetFor } from '../media/ffmpeg-args';
import { runFfmpeg } from '../media/ffmpeg';
import type { AdapterContext, PollResult, ProviderAdapter } from './provider';

interface LocalRender {
  progress: number;
  finished: boolean;
  error?: Error;
}

export function animaticOutput(workDir: string, ref: string): string {
  return path.join(workDir, 'animatic', `${ref}.mp4`);
}

async function renderSpec(spec: GenerationSpec, out: string, onProgress: (f: number) => void): Promise<void> {
  const target = targetFor(spec.aspectRatio);
  const number = spec.card?.shotNumber ?? 1;
  const cards = spec.shots
    ? spec.shots.map((s, i) => ({ n: number + i, title: s.title ?? '', prompt: s.prompt, durationSec: s.durationSec }))
    : [{ n: number, title: spec.card?.title ?? '', prompt: spec.prompt ?? '', durationSec: spec.durationSec }];
  const parts: string[] = [];
  for (const [i, card] of cards.entries()) {
    const part = cards.length === 1 ? out : `${out}.part${i}.mp4`;
    await renderCard({
      target,
      durationSec: card.durationSec,
      style: 'take',
      content: {
        label: `SHOT ${String(card.n).padStart(2, '0')}${cards.length > 1 ? `  ·  GROUP ${i + 1}/${cards.length}` : ''}`,
        title: card.title || `Shot ${card.n}`,
        body: card.prompt,
        footer: `${formatDuration(card.durationSec)}  ·  ${spec.aspectRatio}  ·  animatic`,
      },
      output: part,
      onProgress: (f) => onProgress((i + f) / cards.length),
    });
    parts.push(part);
  }
  if (cards.length > 1) {
    const list = `${out}.ffconcat`;
    await fs.writeFile(list, concatList(parts));
    try {
      await runFfmpeg(concatCopyJob(list, out));
    } finally {
      for (const p of [list, ...parts]) await fs.rm(p, { force: true });
    }
  }
}

export function createAnimaticProvider(): ProviderAdapter {
  const renders = new Map<string, LocalRender>();

  const start = (ref: string, spec: GenerationSpec, ctx: AdapterContext) => {
    const render: LocalRender = { progress: 0, finished: false };
    renders.set(ref, render);
    const out = animaticOutput(ctx.workDir, ref);
    void fs
      .mkdir(path.dirname(out), { recursive: true })
      .then(() => renderSpec(spec, out, (f) => (render.progress = f)))
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
    async cancel(ref) {
      renders.delete(ref);
    },
  };
}
