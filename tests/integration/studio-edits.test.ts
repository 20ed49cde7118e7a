// The editing API behind the studio UI, through Studio.dispatch as the renderer calls it: undo/redo that
// reverts only what an edit changed, groups, frames, libraries, audio lanes, reviews, and settings of
// this computer — each refusing bad input with a message that names the field and changes nothing.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Studio } from '../../electron/core/api';
import { AppSettingsFile } from '../../electron/core/app-settings';
import { createProjectFolder, newProject, newShot } from '../../electron/core/project/project-folder';
import { png } from '../helpers/png';
import { tempDir } from './helpers';

const exec = promisify(execFile);
let base: string;
let dir: string;
let studio: Studio;
let n = 0;

beforeAll(async () => {
  base = await tempDir('sr-edits-');
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

beforeEach(async () => {
  dir = path.join(base, `p${++n}.storyreel`);
  const shots = ['Harbour', 'Storm', 'Keeper', 'Lamp'].map((title, i) => newShot({ title, prompt: `${title} prompt`, durationSec: 3 + i }));
  await createProjectFolder(dir, newProject('Edits', shots));
  const appSettings = new AppSettingsFile(path.join(base, `config${n}`));
  studio = await Studio.open(dir, { host: 'cli', appSettings, providerSettings: appSettings.providerStore() });
});
afterEach(() => studio.close());

const titles = () => studio.session.current.shots.map((s) => s.title);
const shot = (title: string) => studio.session.current.shots.find((s) => s.title === title)!;
const call = (method: string, input: unknown) => studio.dispatch(method, input);
async function disk() {
  await studio.session.flush();
  return JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
}

describe('undo and redo', () => {
  it('steps back through edits in order, labels each step, and redo replays them', async () => {
    await call('shots.update', { id: shot('Storm').id, patch: { prompt: 'A rising storm' } });
    await call('shots.move', { id: shot('Lamp').id, toIndex: 0 });
    let state = studio.session.state();
    expect(state.history.undo).toBe('Move shot');
    expect(titles()).toEqual(['Lamp', 'Harbour', 'Storm', 'Keeper']);

    await call('project.undo', {});
    expect(titles()).toEqual(['Harbour', 'Storm', 'Keeper', 'Lamp']);
    state = studio.session.state();
    expect(state.history).toEqual({ undo: 'Edit prompt of shot 2 “Storm”', redo: 'Move shot' });
    await call('project.undo', {});
    expect(shot('Storm').prompt).toBe('Storm prompt');
    expect(studio.session.state().history.undo).toBeUndefined();

    await call('project.redo', {});
    await call('project.redo', {});
    expect(shot('Storm').prompt).toBe('A rising storm');
    expect(titles()).toEqual(['Lamp', 'Harbour', 'Storm', 'Keeper']);
    // And it is what is on disk.
    expect((await disk()).shots.map((s: { title: string }) => s.title)).toEqual(['Lamp', 'Harbour', 'Storm', 'Keeper']);
  });

  it('keeps a burst of typing in one field as one step, but separate fields as separate steps', async () => {
    const id = shot('Harbour').id;
    for (const prompt of ['B', 'Bo', 'Boa', 'Boats']) await call('shots.update', { id, patch: { prompt } });
    await call('shots.update', { id, patch: { durationSec: 7 } });
    await call('project.undo', {});
    expect(shot('Harbour')).toMatchObject({ prompt: 'Boats', durationSec: 3 });
    await call('project.undo', {});
    expect(shot('Harbour').prompt).toBe('Harbour prompt');
  });

  it('a new edit after an undo clears the redo', async () => {
    await call('project.rename', { name: 'First' });
    await call('project.undo', {});
    expect(studio.session.state().history.redo).toBe('Rename project');
    await call('project.rename', { name: 'Second' });
    expect(studio.session.state().history.redo).toBeUndefined();
    // Nothing to redo: the answer is an empty change on the same revision, and the name stays.
    const rev = studio.session.state().rev;
    expect(await call('project.redo', {})).toEqual(expect.objectContaining({ rev, baseRev: rev, patch: {} }));
    expect(studio.session.current.name).toBe('Second');
  });

  it('undoing an edit never takes back a take the engine made in between, nor the take it put in the cut', async () => {
    const id = shot('Harbour').id;
    await call('shots.update', { id, patch: { title: 'Harbour at dawn' } });
    // The engine's work is not an edit: a take arrives and is selected.
    studio.session.mutate((p) => {
      const s = p.shots.find((x) => x.id === id)!;
      s.takes.push({ id: 'take_1', jobId: 'job_1', provider: 'animatic', tier: 'standard', request: { hash: 'h', params: {} }, status: 'ready', estimatedUsd: 0, review: { rating: 0, flag: 'none', notes: [] }, createdAt: new Date().toISOString() });
      s.selectedTakeId = 'take_1';
    });
    await call('project.undo', {});
    const after = studio.session.current.shots.find((x) => x.id === id)!;
    expect(after.title).toBe('Harbour');
    expect(after.takes.map((t) => t.id)).toEqual(['take_1']);
    expect(after.selectedTakeId).toBe('take_1');
  });

  it('brings a deleted shot back where it was, and an undo with nothing to undo changes nothing', async () => {
    const before = studio.session.state().rev;
    await call('project.undo', {});
    expect(studio.session.state().rev).toBe(before);
    await call('shots.remove', { ids: [shot('Storm').id, shot('Keeper').id] });
    expect(titles()).toEqual(['Harbour', 'Lamp']);
    expect(studio.session.state().history.undo).toBe('Delete 2 shots');
    await call('project.undo', {});
    expect(titles()).toEqual(['Harbour', 'Storm', 'Keeper', 'Lamp']);
  });
});

describe('shots', () => {
  it('moves a multi-selection together, duplicates without takes, and new shots use the defaults', async () => {
    await call('shots.moveMany', { ids: [shot('Keeper').id, shot('Lamp').id], toIndex: 0 });
    expect(titles()).toEqual(['Keeper', 'Lamp', 'Harbour', 'Storm']);
    await call('shots.duplicate', { id: shot('Storm').id });
    expect(titles()).toEqual(['Keeper', 'Lamp', 'Harbour', 'Storm', 'Storm (copy)']);
    expect(shot('Storm (copy)')).toMatchObject({ prompt: 'Storm prompt', durationSec: 4, takes: [] });
    await call('settings.update', { patch: { shotDefaults: { durationSec: 8, negativePrompt: 'blur' } } });
    await call('shots.add', {});
    expect(studio.session.current.shots.at(-1)).toMatchObject({ durationSec: 8, negativePrompt: 'blur', cfgScale: 0.5 });
  });

  it('edits audio, voices and elements only from the libraries, and refuses unknown ids by field', async () => {
    const id = shot('Storm').id;
    await expect(call('shots.update', { id, patch: { audio: { voiceIds: ['voice_nope'] } } })).rejects.toThrow(/audio\.voiceIds: voice_nope is not in the project's voice library/);
    await call('library.saveVoice', { name: 'Keeper', providerIds: { kling: 'kv_123', fal: ' ', lumenfall: 'lv_9' } });
    const voice = studio.session.current.voices[0];
    expect(voice).toMatchObject({ name: 'Keeper', providerIds: { kling: 'kv_123', lumenfall: 'lv_9' } });
    // Two id fields saved one right after the other (typed, then Tab): each names its own provider, neither undoes the other.
    await Promise.all([
      call('library.saveVoice', { id: voice.id, name: 'Keeper', providerIds: { fal: 'fal-voice-9' } }),
      call('library.saveVoice', { id: voice.id, name: 'Keeper', providerIds: { kling: 'kv-77' } }),
    ]);
    expect(studio.session.current.voices[0].providerIds).toEqual({ kling: 'kv-77', lumenfall: 'lv_9', fal: 'fal-voice-9' });
    await call('library.saveVoice', { id: voice.id, name: 'Keeper', providerIds: { fal: '', kling: 'kv_123' } });
    expect(studio.session.current.voices[0].providerIds).toEqual({ kling: 'kv_123', lumenfall: 'lv_9' });
    await call('shots.update', { id, patch: { audio: { native: true, voiceIds: [voice.id], dialogue: [{ speaker: 'Keeper', text: 'Light the lamp.' }] } } });
    expect(shot('Storm').audio).toEqual({ native: true, voiceIds: [voice.id], dialogue: [{ speaker: 'Keeper', text: 'Light the lamp.' }] });
    await call('shots.update', { id, patch: { audio: { native: false } } });
    expect(shot('Storm').audio.voiceIds).toEqual([voice.id]);
    // Removing the voice from the library takes it off every shot.
    await call('library.removeVoice', { id: voice.id });
    expect(shot('Storm').audio.voiceIds).toEqual([]);
  });
});

describe('groups', () => {
  it('groups consecutive shots up to 15 s, refuses the rest naming why, and a move that splits a group dissolves it', async () => {
    const [h, s, k, l] = studio.session.current.shots;
    await expect(call('groups.create', { shotIds: [h.id, k.id] })).rejects.toThrow(/only shots next to each other/);
    await expect(call('groups.create', { shotIds: [h.id, s.id, k.id, l.id] })).rejects.toThrow(/durationSec: a multi-shot request is at most 15 s; these shots are 18 s/);
    await call('groups.create', { shotIds: [s.id, h.id] });
    expect(studio.session.current.groups).toEqual([expect.objectContaining({ shotIds: [h.id, s.id], shotType: 'customize' })]);
    await expect(call('groups.create', { shotIds: [s.id, k.id] })).rejects.toThrow(/already belongs to a group/);
    await call('shots.move', { id: l.id, toIndex: 1 });
    expect(studio.session.current.groups).toEqual([]);
    await call('project.undo', {});
    expect(studio.session.current.groups).toHaveLength(1);
    await call('groups.remove', { groupId: studio.session.current.groups[0].id });
    expect(studio.session.current.groups).toEqual([]);
  });
});

describe('reference images and elements', () => {
  it('copies a checked image into media/refs as the start frame; a small one is refused and nothing changes', async () => {
    const good = path.join(base, 'frame.png');
    await fs.writeFile(good, png(640, 360, [200, 120, 40]));
    const small = path.join(base, 'tiny.png');
    await fs.writeFile(small, png(100, 100));
    const id = shot('Harbour').id;
    await call('shots.setFrame', { shotId: id, which: 'start', path: good });
    const rel = shot('Harbour').startFrame!;
    expect(rel).toMatch(/^media\/refs\/[0-9a-f]{16}\.png$/);
    expect(await fs.readFile(path.join(dir, rel))).toEqual(await fs.readFile(good));
    const rev = studio.session.state().rev;
    await expect(call('shots.setFrame', { shotId: id, which: 'end', path: small })).rejects.toThrow(/Nothing was changed: .*300/);
    expect(studio.session.state().rev).toBe(rev);
    await call('shots.update', { id, patch: { startFrame: null } });
    expect(shot('Harbour').startFrame).toBeUndefined();
  });

  it('keeps an element library with up to four images and provider ids, used by shots', async () => {
    const img = path.join(base, 'face.png');
    await fs.writeFile(img, png(400, 600, [10, 200, 90]));
    await call('library.saveElement', { name: 'Keeper', providerIds: { kling: '860213457198923776' } });
    const el = studio.session.current.elements[0];
    expect(el.kind).toBe('character');
    // Kling's element ids are numbers: a typed name is refused when it is saved, and the earlier id is kept.
    const rev = studio.session.state().rev;
    await expect(call('library.saveElement', { id: el.id, name: 'Keeper', providerIds: { kling: 'el_42' } })).rejects.toThrow(
      /Kling element id of “Keeper”: “el_42” is not a Kling element id .*digits only.*keeps its earlier id/,
    );
    expect(studio.session.state().rev).toBe(rev);
    expect(studio.session.current.elements[0].providerIds).toEqual({ kling: '860213457198923776' });
    for (let i = 0; i < 4; i++) {
      await fs.writeFile(img, png(400, 600, [10 + i, 200, 90]));
      await call('library.addElementImage', { elementId: el.id, path: img });
    }
    await expect(call('library.addElementImage', { elementId: el.id, path: img })).rejects.toThrow(/already has 4 images/);
    await call('shots.update', { id: shot('Keeper').id, patch: { elementIds: [el.id] } });
    await expect(call('shots.update', { id: shot('Keeper').id, patch: { elementIds: ['el_nope'] } })).rejects.toThrow(/elementIds: el_nope/);
    await call('library.removeElementImage', { elementId: el.id, index: 0 });
    expect(studio.session.current.elements[0].images).toHaveLength(3);
    // A character with a voice, who speaks a line: removing the voice unbinds it, removing the character
    // keeps the line (spoken by the name it showed).
    await call('library.saveVoice', { name: 'Warm', providerIds: { kling: 'kv-1' } });
    const voice = studio.session.current.voices[0];
    await call('library.saveElement', { id: el.id, name: 'Keeper', voiceId: voice.id, kind: 'character' });
    expect(studio.session.current.elements[0].voiceId).toBe(voice.id);
    await expect(call('library.saveElement', { id: el.id, name: 'Keeper', voiceId: 'voice_nope' })).rejects.toThrow(/voice of “Keeper”: there is no voice voice_nope/);
    await call('shots.update', { id: shot('Keeper').id, patch: { audio: { dialogue: [{ speaker: 'Keeper', text: 'Lights on.', characterId: el.id }] } } });
    await call('library.removeVoice', { id: voice.id });
    expect(studio.session.current.elements[0].voiceId).toBeUndefined();
    await call('library.removeElement', { id: el.id });
    expect(shot('Keeper').elementIds).toEqual([]);
    expect(shot('Keeper').audio.dialogue).toEqual([{ speaker: 'Keeper', text: 'Lights on.' }]);
  });

  it('takes a 3–10.05 s reference video for an element and refuses a longer one, naming it', async () => {
    await call('library.saveElement', { name: 'Runner' });
    const el = studio.session.current.elements.find((e) => e.name === 'Runner')!;
    const clip = path.join(base, 'runner.mp4');
    await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=24:duration=4', '-pix_fmt', 'yuv420p', clip]);
    await call('library.setElementVideo', { elementId: el.id, path: clip });
    const video = studio.session.current.elements.find((e) => e.id === el.id)!.video!;
    expect(video.path).toMatch(/^media\/refs\/[0-9a-f]{16}\.mp4$/);
    expect(video.durationSec).toBeCloseTo(4, 1);
    const long = path.join(base, 'long.mp4');
    await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=24:duration=12', '-pix_fmt', 'yuv420p', long]);
    await expect(call('library.setElementVideo', { elementId: el.id, path: long })).rejects.toThrow(/Nothing was changed: long\.mp4 runs 12\.00 s; the reference video of “Runner” must run 3–10\.05 s/);
    expect(studio.session.current.elements.find((e) => e.id === el.id)!.video!.path).toBe(video.path);
    await call('library.setElementVideo', { elementId: el.id, path: null });
    expect(studio.session.current.elements.find((e) => e.id === el.id)!.video).toBeUndefined();
  });
});

describe('audio lanes and reviews', () => {
  it('adds music from a file with sound, moves it, sets gain and duck; a silent file is refused', async () => {
    const wav = path.join(base, 'music.wav');
    await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=220:d=2', wav]);
    const mute = path.join(base, 'mute.mp4');
    await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=s=320x180:d=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', mute]);
    await expect(call('audio.addLane', { kind: 'music', path: mute })).rejects.toThrow(/has no sound in it/);
    await call('audio.addLane', { kind: 'music', path: wav });
    const lane = studio.session.current.audioLanes[0];
    expect(lane).toMatchObject({ kind: 'music', name: 'music.wav', durationSec: 2, startSec: 0, gainDb: -6, duck: true });
    expect(lane.path).toMatch(/^media\/audio\/[0-9a-f]{16}\.wav$/);
    await call('audio.updateLane', { id: lane.id, patch: { startSec: 2.5, gainDb: -12, duck: false } });
    expect((await disk()).audioLanes[0]).toMatchObject({ startSec: 2.5, gainDb: -12, duck: false });
    await expect(call('audio.updateLane', { id: lane.id, patch: { gainDb: 40 } })).rejects.toThrow(/gainDb/);
  });

  it('rates, flags and notes a take; undo takes the note back', async () => {
    const id = shot('Harbour').id;
    studio.session.mutate((p) => {
      p.shots.find((x) => x.id === id)!.takes.push({ id: 'take_a', jobId: 'j', provider: 'animatic', tier: 'standard', request: { hash: 'h', params: {} }, status: 'ready', estimatedUsd: 0, review: { rating: 0, flag: 'none', notes: [] }, createdAt: new Date().toISOString() });
    });
    await call('takes.review', { shotId: id, takeId: 'take_a', rating: 4, flag: 'circle' });
    await call('takes.review', { shotId: id, takeId: 'take_a', addNote: { atSec: 1.5, text: 'Flare at the lamp' } });
    expect(shot('Harbour').takes[0].review).toEqual({ rating: 4, flag: 'circle', notes: [{ atSec: 1.5, text: 'Flare at the lamp' }] });
    await call('project.undo', {});
    expect(shot('Harbour').takes[0].review).toEqual({ rating: 4, flag: 'circle', notes: [] });
    await expect(call('takes.review', { shotId: id, takeId: 'take_a', rating: 6 })).rejects.toThrow(/rating/);
  });
});

describe('settings of this computer', () => {
  it('stores concurrency and an ffmpeg path that exists, refuses one that does not, and keys stay in a 0600 file', async () => {
    expect(await call('app.settings', {})).toEqual({ concurrency: 2, keyStorage: 'config-file', prices: {} });
    await expect(call('app.updateSettings', { ffmpegPath: '/nowhere/ffmpeg' })).rejects.toThrow(/ffmpegPath: there is no file at \/nowhere\/ffmpeg/);
    expect(await call('app.updateSettings', { concurrency: 4 })).toMatchObject({ concurrency: 4 });
    const list = (await call('providers.configure', { provider: 'fal', credentials: { key: 'fal-secret-1234' } })) as { id: string; keyHint?: string }[];
    expect(list.find((p) => p.id === 'fal')).toMatchObject({ configured: true, keyHint: '····1234' });
    const file = path.join(base, `config${n}`, 'settings.json');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toMatchObject({ concurrency: 4 });
    // Nothing of the key in the project.
    expect(JSON.stringify(await disk())).not.toContain('fal-secret');
  });
});
