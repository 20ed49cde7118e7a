// The film's sound before loudness, for the preview and the export alike (issue 12: the preview is the
// export minus the final encode). Each piece of the cut contributes its own sound from its in point for its
// length; the lanes play at their places; mix.ts mixes them. The preview encodes the result losslessly
// beside its copied picture; the export measures it and brings it to the preset's loudness.
import { promises as fs } from 'node:fs';
import type { LaneFile } from './export-args';
import { MIX_CHANNELS, MIX_SAMPLE_RATE, mixFilm, placeClips, type MixClip, type MixLane } from './mix';
import { mapLimit } from '../util/concurrency';
import { decodedSound, laneDecodeSec } from './pcm';
import { cacheKey } from './cache-files';
import { fileIdentity } from '../util/file-identity';
import { heardLanes } from './preview-audio';
import type { FfmpegInput } from './ffmpeg-args';

/** One piece of the cut as the sound sees it: a file, where its part starts in it, and how long it lasts in the cut. */
export interface SoundPiece {
  file: string;
  startSec: number;
  lengthSec: number;
  hasAudio: boolean;
}

export const samplesOf = (sec: number) => Math.round(sec * MIX_SAMPLE_RATE);

/** The part of a decoded clip that plays: from its in point on (the mixer pads or cuts it to the length). */
export function fromInPoint(pcm: Float32Array, startSec: number): Float32Array {
  const from = Math.min(pcm.length, samplesOf(startSec) * MIX_CHANNELS);
  return from ? pcm.subarray(from) : pcm;
}

/** How much of a lane the film reaches: from the lane's own start to the film's end (nothing if it starts after). */
export function laneNeedSec(lane: { startSec: number }, filmSec: number): number {
  return Math.max(0, filmSec - lane.startSec);
}

/** The mixed sound of the cut, exactly the film's length. */
export async function filmSound(input: {
  dir: string;
  pieces: SoundPiece[];
  crossfadeSec: number;
  lanes: LaneFile[];
  signal?: AbortSignal;
}): Promise<{ pcm: Float32Array; filmSamples: number }> {
  const lengths = input.pieces.map((p) => samplesOf(p.lengthSec));
  const crossfadeSamples = samplesOf(input.crossfadeSec);
  const { starts, filmSamples } = placeClips(lengths, crossfadeSamples);
  const filmSec = filmSamples / MIX_SAMPLE_RATE;
  const sounds = await mapLimit(input.pieces, 2, (p) => decodedSound({ dir: input.dir, file: p.file, hasAudio: p.hasAudio, signal: input.signal }));
  const clips: MixClip[] = input.pieces.map((p, i) => ({ pcm: fromInPoint(sounds[i], p.startSec), startSample: starts[i], lengthSamples: lengths[i] }));
  const heard = heardLanes(input.lanes, filmSec);
  const lanePcm = await mapLimit(heard, 2, (l) =>
    decodedSound({ dir: input.dir, file: l.source, hasAudio: true, durationSec: laneDecodeSec(laneNeedSec(l, filmSec)), signal: input.signal }),
  );
  const lanes: MixLane[] = heard.map((l, i) => ({ pcm: lanePcm[i], startSample: samplesOf(l.startSec), kind: l.kind, gainDb: l.gainDb, duck: l.duck }));
  return { pcm: mixFilm({ clips, crossfadeSamples, lanes, filmSamples }), filmSamples };
}

/**
 * A name for the mixed sound of a cut: everything filmSound's result depends on — each piece's file (this
 * version of it), in point and length, the crossfade, and each lane's file, place, gain and ducking. An edit
 * that does not change the sound (a slate's title, a take's picture-only proxy) finds it already made.
 */
export async function soundKey(dir: string, pieces: SoundPiece[], crossfadeSec: number, lanes: LaneFile[]): Promise<string> {
  const version = (file: string) => fileIdentity(dir, file).catch(() => file);
  const parts = await Promise.all([
    ...pieces.map(async (p) => (p.hasAudio ? `${await version(p.file)}@${samplesOf(p.startSec)}+${samplesOf(p.lengthSec)}` : `silence+${samplesOf(p.lengthSec)}`)),
    ...lanes.map(async (l) => `lane:${l.kind}:${await version(l.source)}@${samplesOf(l.startSec)}:${l.gainDb}:${l.duck ? 1 : 0}`),
  ]);
  return cacheKey('film-sound-v1', samplesOf(crossfadeSec), ...parts);
}

/** Mixed sound as the raw f32le bytes ffmpeg reads (soundInput). */
export function soundBytes(pcm: Float32Array): Uint8Array {
  return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

/** Writes mixed sound as raw f32le for ffmpeg to read. */
export async function writeSound(file: string, pcm: Float32Array): Promise<void> {
  await fs.writeFile(file, soundBytes(pcm));
}

/** The ffmpeg input reading sound written by writeSound (or `pipe:0`: given as the run's stdin, soundBytes). */
export function soundInput(file: string): FfmpegInput {
  return { source: file, options: ['-f', 'f32le', '-ar', String(MIX_SAMPLE_RATE), '-ac', String(MIX_CHANNELS)] };
}
