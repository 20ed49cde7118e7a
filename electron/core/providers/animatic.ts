// The built-in animatic provider: renders each shot locally with ffmpeg, at no cost and with no key.
// It speaks the same submit/poll interface as the cloud providers so the engine treats all of them alike.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { newId } from '../../../shared/ids';
import { formatDuration } from '../../../shared/time';
import { renderCard } from '../media/cards';
import { targetFor } from '../media/ffmpeg-args';
import type { GenerationRequest, PollResult, ProviderAdapter, ProviderContext } from './provider';

interface LocalRender {
  progress: number;
  done: Promise<void>;
  error?: string;
  finished: boolean;
}

export function animaticOutput(ctx: ProviderContext, ref: string): string {
  return path.join(ctx.workDir, 'animatic', `${ref}.mp4`);
}

export function createAnimaticProvider(): ProviderAdapter {
  const renders = new Map<string, LocalRender>();

  const start = (ref: string, req: GenerationRequest, ctx: ProviderContext) => {
    const render: LocalRender = { progress: 0, finished: false, done: Promise.resolve() };
    render.done = renderCard({
      target: targetFor(req.aspectRatio),
      durationSec: req.durationSec,
      style: 'take',
      content: {
        label: `SHOT ${String(req.shotNumber).padStart(2, '0')}`,
        title: req.title || `Shot ${req.shotNumber}`,
        body: req.prompt,
        footer: `${formatDuration(req.durationSec)}  ·  ${req.aspectRatio}  ·  animatic`,
      },
      output: animaticOutput(ctx, ref),
      onProgress: (f) => {
        render.progress = f;
      },
    }).then(
      () => {
        render.finished = true;
      },
      (err: Error) => {
        render.finished = true;
        render.error = err.message;
      },
    );
    renders.set(ref, render);
  };

  return {
    id: 'animatic',
    label: 'Animatic (local, free)',
    pollIntervalMs: 200,
    async submit(req, ctx) {
      const ref = newId('anim');
      start(ref, req, ctx);
      return { ref };
    },
    async poll(ref, req, ctx): Promise<PollResult> {
      let render = renders.get(ref);
      if (!render) {
        // This process did not start the render (the app restarted): reuse a finished file, else render again.
        if (existsSync(animaticOutput(ctx, ref))) return { state: 'succeeded', result: { kind: 'file', path: animaticOutput(ctx, ref) } };
        start(ref, req, ctx);
        render = renders.get(ref)!;
      }
      if (!render.finished) return { state: 'running', progress: render.progress };
      renders.delete(ref);
      if (render.error) return { state: 'failed', error: render.error };
      return { state: 'succeeded', result: { kind: 'file', path: animaticOutput(ctx, ref) } };
    },
  };
}
