// Stitch v1 (DESIGN §7): the selected takes in timeline order, copy-concatenated with the concat demuxer.
// Shots with no ready take get a cached slate of the right length, so the preview keeps the storyboard's
// timing. A clip that does not match the stitch target is normalized once into a cached proxy.
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Preview } from '../../../shared/api';
import type { Project, Shot } from '../../../shared/schema';
import { formatDuration } from '../../../shared/time';
import { atomicWriteFile } from '../project/atomic-write';
import { renderCard } from './cards';
import { concatCopyJob, concatList, normalizeJob, targetFor, type StitchTarget } from './ffmpeg-args';
import { probe, runFfmpeg, type ProbeResult } from './ffmpeg';

export const PREVIEW_FILE = 'renders/preview.mp4';
const PREVIEW_META = 'renders/preview.json';

export interface StitchOptions {
  onProgress?: (fraction: number, label: string) => void;
  signal?: AbortSignal;
}

/** Does this clip already have the target's codec, size, rate and audio layout (so it can be copied)? */
export function matchesTarget(info: ProbeResult, t: StitchTarget): boolean {
  const v = info.video;
  const a = info.audio;
  return Boolean(
    v && a &&
      v.codec === 'h264' && v.pixFmt === 'yuv420p' && v.width === t.width && v.height === t.height &&
      Math.abs(v.fps - t.fps) < 0.01 && v.timeBase === `1/${t.fps * 512}` &&
      a.codec === 'aac' && a.sampleRate === t.sampleRate && a.channels === t.channels,
  );
}

function hashOf(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

/** The clip a shot contributes to the cut: its selected ready take, if the file is there. */
export function cutTake(shot: Shot) {
  const take = shot.takes.find((t) => t.id === shot.selectedTakeId);
  return take?.status === 'ready' && take.media ? take : undefined;
}

async function slateFor(dir: string, project: Project, shot: Shot, index: number, t: StitchTarget, opts: StitchOptions): Promise<string> {
  const content = {
    label: `SHOT ${String(index + 1).padStart(2, '0')}  ·  NO TAKE YET`,
    title: shot.title || `Shot ${index + 1}`,
    body: shot.prompt,
    footer: `${formatDuration(shot.durationSec)}  ·  slate`,
  };
  const key = hashOf('slate-v1', t.width, t.height, shot.durationSec, content.label, content.title, content.body, content.footer);
  const file = path.join(dir, 'cache', 'slates', `${key}.mp4`);
  if (!existsSync(file)) {
    await renderCard({ target: t, durationSec: shot.durationSec, content, style: 'slate', output: file, signal: opts.signal });
  }
  return file;
}

async function proxyFor(dir: string, source: string, sha256: string, t: StitchTarget, opts: StitchOptions): Promise<string> {
  const info = await probe(source);
  if (matchesTarget(info, t)) return source;
  const file = path.join(dir, 'cache', 'proxies', `${sha256.slice(0, 16)}-${t.width}x${t.height}-${t.fps}.mp4`);
  if (!existsSync(file)) {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp.mp4`;
    await runFfmpeg(normalizeJob({ source, hasAudio: Boolean(info.audio), durationSec: info.durationSec, target: t, output: tmp }), { signal: opts.signal });
    await fs.rename(tmp, file);
  }
  return file;
}

/** Builds renders/preview.mp4 for the current cut; does nothing when the cut has not changed. */
export async function stitchProject(dir: string, project: Project, opts: StitchOptions = {}): Promise<Preview> {
  const target = targetFor(project.settings.aspectRatio);
  const parts: string[] = [];
  const slateShotIds: string[] = [];
  const total = project.shots.length;
  for (const [i, shot] of project.shots.entries()) {
    opts.onProgress?.(total ? i / (total + 1) : 0, `Preparing shot ${i + 1} of ${total}`);
    const take = cutTake(shot);
    const takeFile = take?.media ? path.join(dir, take.media.path) : undefined;
    if (take?.media && takeFile && existsSync(takeFile)) {
      // A take in another format (a shot with its own aspect ratio, say) is fitted into the frame, never stretched.
      parts.push(await proxyFor(dir, takeFile, take.media.sha256, target, opts));
    } else {
      slateShotIds.push(shot.id);
      parts.push(await slateFor(dir, project, shot, i, target, opts));
    }
  }
  const key = hashOf('cut-v1', target.width, target.height, ...parts);
  const out = path.join(dir, PREVIEW_FILE);
  const metaFile = path.join(dir, PREVIEW_META);
  const previous = await fs.readFile(metaFile, 'utf8').then((t) => JSON.parse(t) as Preview, () => undefined);
  if (previous?.key === key && existsSync(out)) {
    opts.onProgress?.(1, 'Preview is up to date');
    return previous;
  }
  await fs.mkdir(path.dirname(out), { recursive: true });
  if (parts.length === 0) {
    await fs.rm(out, { force: true });
    const empty: Preview = { path: PREVIEW_FILE, durationSec: 0, key, slateShotIds };
    await atomicWriteFile(metaFile, JSON.stringify(empty));
    return empty;
  }
  opts.onProgress?.(total / (total + 1), 'Joining clips');
  const listFile = path.join(dir, 'cache', `cut-${key}.ffconcat`);
  await fs.mkdir(path.dirname(listFile), { recursive: true });
  await fs.writeFile(listFile, concatList(parts));
  // Written beside the final name and renamed, so a player never sees a half-written preview.
  const tmp = path.join(dir, 'renders', `.preview-${key}.mp4`);
  try {
    await runFfmpeg(concatCopyJob(listFile, tmp), { signal: opts.signal });
    await fs.rename(tmp, out);
  } finally {
    await fs.rm(tmp, { force: true });
    await fs.rm(listFile, { force: true });
  }
  const info = await probe(out);
  const preview: Preview = { path: PREVIEW_FILE, durationSec: info.durationSec, key, slateShotIds };
  await atomicWriteFile(metaFile, JSON.stringify(preview));
  opts.onProgress?.(1, 'Preview ready');
  return preview;
}

export async function readPreview(dir: string): Promise<Preview | null> {
  const meta = await fs.readFile(path.join(dir, PREVIEW_META), 'utf8').then((t) => JSON.parse(t) as Preview, () => null);
  return meta && existsSync(path.join(dir, meta.path)) ? meta : null;
}
