// The cut's copied sound (docs/architecture.md §7): every segment's AAC frames, read straight from the MP4s
// or copied out by ffmpeg once into cache/audio/, and the one encoded frame of silence that fills a clip
// with less sound than picture.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';
import { adtsFrames } from './audio-plan';
import { writeOnce } from './cache-files';
import { extractAudioJob, silenceJob, type StitchTarget } from './ffmpeg-args';
import { runFfmpeg } from './ffmpeg';
import { readAacFrames } from './mp4-audio';
import type { Segment } from './stitch-segments';

/**
 * The AAC frames of every segment's sound, by source. Frames are read straight from the MP4s (no ffmpeg);
 * a file that reader declines is copied out by ffmpeg once into cache/audio/, many clips per ffmpeg.
 */
export async function loadAudio(segments: Segment[], signal?: AbortSignal): Promise<{ frames: Map<string, Uint8Array[]>; extracted: number }> {
  const frames = new Map<string, Uint8Array[]>();
  const todo: { source: string; output: string; tmp: string }[] = [];
  for (const s of segments) {
    if (s.audio.kind !== 'frames' || frames.has(s.audio.file) || todo.some((t) => t.output === (s.audio as { file: string }).file)) continue;
    const direct = s.audio.extractFrom ? await readAacFrames(s.audio.extractFrom) : undefined;
    if (direct) frames.set(s.audio.file, direct);
    else if (existsSync(s.audio.file)) frames.set(s.audio.file, adtsFrames(await fs.readFile(s.audio.file)));
    else if (s.audio.extractFrom) todo.push({ source: s.audio.extractFrom, output: s.audio.file, tmp: `${s.audio.file}.tmp.aac` });
    else throw new StudioError('FFMPEG_FAILED', `The converted sound ${path.basename(s.audio.file)} is missing from the cache; stitch again.`);
  }
  for (let i = 0; i < todo.length; i += 32) {
    const batch = todo.slice(i, i + 32);
    await fs.mkdir(path.dirname(batch[0].output), { recursive: true });
    try {
      await runFfmpeg(extractAudioJob(batch.map((b) => ({ source: b.source, output: b.tmp }))), { signal });
      for (const b of batch) await fs.rename(b.tmp, b.output);
    } finally {
      for (const b of batch) await fs.rm(b.tmp, { force: true });
    }
    for (const b of batch) frames.set(b.output, adtsFrames(await fs.readFile(b.output)));
  }
  return { frames, extracted: todo.length };
}

export async function silentFrame(dir: string, t: StitchTarget, signal?: AbortSignal): Promise<Uint8Array> {
  const file = path.join(dir, 'cache', 'audio', `silence-${t.sampleRate}x${t.channels}.aac`);
  await writeOnce(file, (tmp) => runFfmpeg(silenceJob(t, tmp), { signal }));
  const frames = adtsFrames(await fs.readFile(file));
  // The first frames carry the encoder's start-up; from the middle on, silence encodes to the same frame.
  return frames[Math.floor(frames.length / 2)];
}
