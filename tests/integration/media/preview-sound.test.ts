// The preview's sound is the export's mix (issue 12): music and voice-over lanes at their places and gains,
// music ducked under the clips' dialogue, without the export's loudness target. Real ffmpeg, through the
// Studio API a client calls. A lane edit re-mixes the sound only: the picture stays a stream copy.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studio } from '../../../electron/core/api';
import { setFfmpegLogger } from '../../../electron/core/media/ffmpeg';
import { clearProbeCache } from '../../../electron/core/media/probe-cache';
import { createProjectFolder, newProject, newShot } from '../../../electron/core/project/project-folder';
import type { Project } from '../../../shared/schema';
import { rmsLevel as rms } from '../../helpers/av-measure';
import { tempDir } from '../helpers';
import { addTake } from './stitch-helpers';

const exec = promisify(execFile);
const ff = (...args: string[]) => exec('ffmpeg', ['-v', 'error', '-y', ...args]);
let base: string;
let dir: string;
let studio: Studio;
let music: string;

/** Only the 100 Hz music: three low-pass stages take the 440 Hz "dialogue" some 50 dB down. */
const MUSIC_ONLY = 'lowpass=f=150,lowpass=f=150,lowpass=f=150';
/** Only the 440 Hz dialogue. */
const DIALOGUE_ONLY = 'highpass=f=300,highpass=f=300,highpass=f=300';
/** Spans of the 9 s cut: shot 1 (quiet), shot 2 (dialogue, after the compressor's attack), shot 3 (quiet, before the fade-out). */
const SPANS = { before: [0.5, 2] as const, under: [3.5, 2] as const, after: [6.6, 0.8] as const };

const preview = () => path.join(dir, 'renders', 'preview.mp4');
async function levels(file: string, filter = MUSIC_ONLY) {
  return {
    before: await rms(file, ...SPANS.before, filter),
    under: await rms(file, ...SPANS.under, filter),
    after: await rms(file, ...SPANS.after, filter),
  };
}

beforeAll(async () => {
  clearProbeCache();
  base = await tempDir('sr-preview-sound-');
  dir = path.join(base, 'film.storyreel');
  const project: Project = newProject('Film', [
    newShot({ title: 'Quiet', durationSec: 3 }),
    newShot({ title: 'Talk', durationSec: 3 }),
    newShot({ title: 'Quiet again', durationSec: 3 }),
  ]);
  await createProjectFolder(dir, project);
  // Takes encoded as Storyreel encodes, so their pictures are copied: the middle one speaks (a 440 Hz tone).
  for (const [i, shot] of project.shots.entries()) {
    await addTake({ dir, shot, spec: { seconds: 3, fps: 24, width: 1280, height: 720, bright: i === 1, audio: { rate: 48000, channels: 2 }, encode: 'target' } });
  }
  await fs.writeFile(path.join(dir, 'project.json'), JSON.stringify(project, null, 2));
  // Music: a steady 100 Hz tone, longer than the film (the lane plays it 6 dB down, its default).
  music = path.join(base, 'score.wav');
  await ff('-f', 'lavfi', '-i', 'sine=f=100:r=48000:d=12', '-af', 'volume=-5dB', '-ac', '2', music);
  studio = await Studio.open(dir, { host: 'cli' });
});
afterAll(async () => {
  setFfmpegLogger(() => {});
  await studio?.close();
  await fs.rm(base, { recursive: true, force: true });
});

describe('the preview’s sound (real ffmpeg)', () => {
  let withMusic: { before: number; under: number; after: number };

  it('plays a music lane added to the project, ducked under the dialogue, the picture still copied', async () => {
    await studio.call('media.stitch', {});
    const silent = await levels(preview());
    expect(silent.before).toBeLessThan(-60);
    const dialogueAlone = await rms(preview(), 3.5, 2, DIALOGUE_ONLY);

    await studio.call('audio.addLane', { kind: 'music', path: music });
    const commands: string[] = [];
    setFfmpegLogger((line) => commands.push(line));
    await studio.call('media.stitch', {});
    setFfmpegLogger(() => {});

    withMusic = await levels(preview());
    // Heard where there was silence: the score at its own level less the lane's −6 dB.
    const score = await rms(music, ...SPANS.before, MUSIC_ONLY);
    expect(Math.abs(withMusic.before - (score - 6))).toBeLessThan(1);
    // Ducked under the dialogue, back after it.
    expect(withMusic.before - withMusic.under).toBeGreaterThan(6);
    expect(Math.abs(withMusic.before - withMusic.after)).toBeLessThan(2);
    // The dialogue itself is as loud as it was without the music.
    expect(Math.abs((await rms(preview(), 3.5, 2, DIALOGUE_ONLY)) - dialogueAlone)).toBeLessThan(1);
    // Only the sound was encoded: no picture encoder ran.
    // The sound is the film's mix (film-sound.ts), encoded losslessly on its own; the join copies it beside the picture.
    expect(commands.some((c) => c.includes('-f f32le') && c.includes('-c:a flac') && !c.includes('-c:v'))).toBe(true);
    expect(commands.some((c) => c.includes('-f concat') && c.includes('-c:v copy') && c.includes('-c:a copy'))).toBe(true);
    expect(commands.filter((c) => c.includes('libx264'))).toEqual([]);
  });

  it('is the export’s mix, level for level, but for the loudness gain the export adds', async () => {
    const result = await studio.call('media.export', { preset: 'h264-720p' });
    const exported = path.join(dir, result.path);
    const exp = await levels(exported);
    // The export brings the whole mix up or down by one linear gain; with no limiter acting, each span of the
    // export is the preview's span plus that gain: same lanes, places, gain and ducking.
    const gain = (await rms(exported, 0.5, 2, MUSIC_ONLY)) - withMusic.before;
    for (const span of ['under', 'after'] as const) expect(Math.abs(exp[span] - withMusic[span] - gain), span).toBeLessThan(1.5);
    const dialogue = (await rms(exported, 3.5, 2, DIALOGUE_ONLY)) - (await rms(preview(), 3.5, 2, DIALOGUE_ONLY));
    expect(Math.abs(dialogue - gain)).toBeLessThan(1.5);
    // And that gain is not 0: the loudness target is applied at export only.
    expect(Math.abs(gain)).toBeGreaterThan(2);
  });

  it('moving the lane re-mixes the sound at its new place without re-encoding the picture', async () => {
    const laneId = studio.session.current.audioLanes[0].id;
    await studio.call('audio.updateLane', { id: laneId, patch: { startSec: 6 } });
    const commands: string[] = [];
    setFfmpegLogger((line) => commands.push(line));
    await studio.call('media.stitch', {});
    setFfmpegLogger(() => {});
    const moved = await levels(preview());
    expect(moved.before).toBeLessThan(-60);
    expect(Math.abs(moved.after - withMusic.after)).toBeLessThan(1.5);
    expect(commands.filter((c) => c.includes('libx264'))).toEqual([]);
  });

  it('renaming a slate shot renders its slate only: the sound, which did not change, is not mixed again', async () => {
    const laneId = studio.session.current.audioLanes[0].id;
    await studio.call('audio.updateLane', { id: laneId, patch: { startSec: 0 } });
    await studio.call('shots.add', { title: 'Card', prompt: 'a slate with the score under it', durationSec: 3 });
    await studio.call('media.stitch', {});
    const slateId = studio.session.current.shots[3].id;
    const heard = await rms(preview(), 9.2, 1.5, MUSIC_ONLY);
    expect(heard).toBeGreaterThan(-50); // the music plays on under the slate (fading out with the film's end)

    const commands: string[] = [];
    setFfmpegLogger((line) => commands.push(line));
    await studio.call('shots.update', { id: slateId, patch: { title: 'Card, renamed' } });
    const renamed = await studio.call('media.stitch', {});
    setFfmpegLogger(() => {});
    expect(renamed.slateShotIds).toEqual([slateId]);
    // One slate rendered, one join; no mix, no sound encoded.
    expect(commands.filter((c) => c.includes('libx264'))).toHaveLength(1);
    expect(commands.filter((c) => c.includes('-c:a flac') || c.includes('-f f32le'))).toEqual([]);
    expect(Math.abs((await rms(preview(), 9.2, 1.5, MUSIC_ONLY)) - heard)).toBeLessThan(0.1);
    await studio.call('shots.remove', { id: slateId });
  });

  it('keeps a lane that starts past the end of the cut, and simply does not play it', async () => {
    const laneId = studio.session.current.audioLanes[0].id;
    await studio.call('audio.updateLane', { id: laneId, patch: { startSec: 20 } });
    const p = await studio.call('media.stitch', {});
    expect(Math.abs(p.durationSec - 9)).toBeLessThan(0.05);
    expect(studio.session.current.audioLanes).toHaveLength(1);
    const past = await levels(preview());
    expect(Math.max(past.before, past.after)).toBeLessThan(-60);
  });

  it('refuses a file that is not audio, or is 0 s long, on the lane with the reason, changing nothing', async () => {
    const notAudio = path.join(base, 'notes.wav');
    await fs.writeFile(notAudio, 'these are my notes, not a score\n');
    const empty = path.join(base, 'empty.wav');
    await ff('-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo', '-t', '0', empty);
    const before = JSON.stringify(studio.session.current.audioLanes);
    await expect(studio.call('audio.addLane', { kind: 'music', path: notAudio })).rejects.toThrow(/Nothing was added: notes\.wav could not be read as audio/);
    await expect(studio.call('audio.addLane', { kind: 'music', path: empty })).rejects.toThrow(/Nothing was added: empty\.wav is 0 s long/);
    expect(JSON.stringify(studio.session.current.audioLanes)).toBe(before);
  });
});
