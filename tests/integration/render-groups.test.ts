// A storyboard with a start frame and a two-shot group, rendered by the local animatic: the group is one
// request whose clip is kept whole and cut into one take per shot.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobe, storyreel, tempDir } from './helpers';

const exec = promisify(execFile);
let base: string;
let project: string;

beforeAll(async () => {
  base = await tempDir('sr-groups-');
  project = path.join(base, 'groups.storyreel');
  await fs.mkdir(path.join(base, 'frames'));
  await exec('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=0x336699:s=640x360', '-frames:v', '1', path.join(base, 'frames', 'harbour.png')]);
  await fs.writeFile(
    path.join(base, 'shots.csv'),
    'title,prompt,duration,start_frame,group\n' +
      'Harbour,The harbour at dawn,4,frames/harbour.png,\n' +
      'Keeper,Close-up: the keeper,3,,storm\n' +
      'Lamp,The lamp turns,5,,storm\n',
  );
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

describe('groups and reference frames (animatic)', () => {
  it('imports the start frame into media/refs under a content-hashed name', async () => {
    const res = await storyreel(['new', project, '--shots', path.join(base, 'shots.csv')]);
    expect(res.stdout).toContain('with 3 shots (0:12), 1 multi-shot group');
    const doc = JSON.parse(await fs.readFile(path.join(project, 'project.json'), 'utf8'));
    expect(doc.shots[0].startFrame).toMatch(/^media\/refs\/[0-9a-f]{16}\.png$/);
    expect((await fs.stat(path.join(project, doc.shots[0].startFrame))).size).toBeGreaterThan(0);
    expect(doc.groups).toEqual([{ id: expect.any(String), shotIds: [doc.shots[1].id, doc.shots[2].id], shotType: 'customize' }]);
  });

  it('renders the group as one request, keeps its clip and cuts one take per shot', async () => {
    const out = path.join(base, 'cut.mp4');
    const res = await storyreel(['render', project, '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('Generating 3 shots in 2 requests');
    const doc = JSON.parse(await fs.readFile(path.join(project, 'project.json'), 'utf8'));
    const [, keeper, lamp] = doc.shots;
    expect(keeper.takes[0].jobId).toBe(lamp.takes[0].jobId);
    expect(keeper.takes[0].groupClip.offsetSec).toBe(0);
    expect(lamp.takes[0].groupClip.offsetSec).toBe(3);
    const whole = await ffprobe(path.join(project, keeper.takes[0].groupClip.path));
    expect(Math.abs(Number(whole.format.duration) - 8)).toBeLessThan(0.1);
    for (const shot of [keeper, lamp]) {
      const piece = await ffprobe(path.join(project, shot.takes[0].media.path));
      expect(Math.abs(Number(piece.format.duration) - shot.durationSec)).toBeLessThan(0.1);
    }
    const cut = await ffprobe(out);
    expect(Math.abs(Number(cut.format.duration) - 12)).toBeLessThan(0.1);
  });

  it('a second render sends nothing', async () => {
    const res = await storyreel(['render', project]);
    expect(res.stdout).toContain('Nothing to generate');
  });

  it('refuses a render that breaks a provider rule before anything is sent, naming shot and field', async () => {
    const file = path.join(project, 'project.json');
    const doc = JSON.parse(await fs.readFile(file, 'utf8'));
    doc.shots[1].audio.voiceIds = ['v1'];
    doc.shots[0].prompt = '';
    await fs.writeFile(file, JSON.stringify(doc));
    const res = await storyreel(['render', project]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Nothing was sent');
    expect(res.stderr).toContain('shot 1 “Harbour”, prompt: is empty');
    expect(res.stderr).toContain('group of shots 2–3, voices: voices need native audio switched on');
    const after = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(after.shots.map((s: { takes: unknown[] }) => s.takes.length)).toEqual([1, 1, 1]);
  });
});
