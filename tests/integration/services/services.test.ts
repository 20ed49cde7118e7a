// The services Studio is built from, used on their own: each edit family needs only the open project (no
// engine, no Studio), and the jobs service is the CLI's door to generation (plan, generate, hear, wait).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studio } from '../../../electron/core/api';
import { ProjectSession } from '../../../electron/core/project/session';
import { createProjectFolder, newProject, newShot } from '../../../electron/core/project/project-folder';
import { envConfig } from '../../../electron/core/providers/registry';
import { shotEdits } from '../../../electron/core/services/edits/shots';
import { groupEdits } from '../../../electron/core/services/edits/groups';
import { Imports } from '../../../electron/core/services/imports';
import { MediaService } from '../../../electron/core/services/media';
import type { EventName, Job, Preview } from '../../../shared/api';
import { startFalMock } from '../../mock-providers/fal';
import { makeProject, providerEnv } from '../engine/helpers';
import { tempDir } from '../helpers';
import { png } from '../../helpers/png';

let base: string;
let n = 0;
beforeAll(async () => {
  base = await tempDir('sr-services-');
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

async function session(): Promise<ProjectSession> {
  const dir = path.join(base, `p${++n}.storyreel`);
  const shots = ['Harbour', 'Storm', 'Keeper', 'Lamp'].map((title) => newShot({ title, prompt: `${title} prompt`, durationSec: 3 }));
  await createProjectFolder(dir, newProject('Services', shots));
  return ProjectSession.open(dir);
}

describe('edit families on a bare project session', () => {
  it('shot and group edits change the document and name shots by their current place', async () => {
    const s = await session();
    try {
      const shots = shotEdits(s, new Imports({ session: s, browserHost: false }));
      const groups = groupEdits(s);
      const id = (title: string) => s.current.shots.find((x) => x.title === title)!.id;

      await shots['shots.move']({ id: id('Lamp'), toIndex: 0 });
      await shots['shots.update']({ id: id('Storm'), patch: { prompt: 'A rising storm' } });
      // Storm is third after the move: the label says so.
      expect(s.state().history.undo).toBe('Edit prompt of shot 3 “Storm”');
      await expect(shots['shots.fitFrame']({ shotId: id('Keeper'), which: 'start', mode: 'pad' })).rejects.toThrow('Nothing was changed: shot 4 “Keeper” has no start frame.');

      await groups['groups.create']({ shotIds: [id('Storm'), id('Harbour')] });
      expect(s.current.groups.map((g) => g.shotIds)).toEqual([[id('Harbour'), id('Storm')]]);
      expect(() => groups['groups.create']({ shotIds: [id('Keeper'), id('Storm')] })).toThrow('shotIds: shot 3 “Storm” already belongs to a group. Ungroup it first.');
      // Moving a grouped shot away from its neighbour dissolves the group.
      await shots['shots.move']({ id: id('Harbour'), toIndex: 3 });
      expect(s.current.shots.map((x) => x.title)).toEqual(['Lamp', 'Storm', 'Keeper', 'Harbour']);
      expect(s.current.groups).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('a frame that is not an image is refused before the document changes', async () => {
    const s = await session();
    try {
      const shots = shotEdits(s, new Imports({ session: s, browserHost: false }));
      const notImage = path.join(base, 'notes.png');
      await fs.writeFile(notImage, 'just text');
      const before = JSON.stringify(s.current);
      await expect(shots['shots.setFrame']({ shotId: s.current.shots[1].id, which: 'start', path: notImage })).rejects.toThrow(/^Nothing was changed: /);
      expect(JSON.stringify(s.current)).toBe(before);
    } finally {
      await s.close();
    }
  });
});

describe('the jobs service (what the CLI calls instead of the engine)', () => {
  it('plans, sends what the plan priced, reports each job and waits until the queue is done', async () => {
    const mock = await startFalMock();
    const dir = path.join(base, `jobs${++n}.storyreel`);
    await makeProject({ dir, provider: 'fal', shots: [{ title: 'A', prompt: 'a lighthouse', durationSec: 5 }, { title: 'B', prompt: 'a storm', durationSec: 5 }] });
    const studio = await Studio.open(dir, { host: 'cli', resolveConfig: envConfig(providerEnv('fal', mock.url)), engineTiming: { scale: 0.02 } });
    try {
      const jobs = studio.services.jobs;
      const plan = await jobs.plan();
      // The same plan the studio's confirmation shows.
      const estimate = await studio.call('jobs.estimate', {});
      expect(plan.units.length).toBe(2);
      expect(plan.estimatedUsd).toBe(estimate.estimatedUsd);
      expect(plan.estimatedUsd).toBeGreaterThan(0);
      expect(estimate.lines).toHaveLength(2);
      // The toolbar's live figure: the same totals, without the lines.
      const summary = await studio.call('jobs.estimate', { summary: true });
      expect(summary).toEqual({ ...estimate, lines: [] });

      const heard: Job[] = [];
      const stop = jobs.onJob((job) => heard.push(job));
      const { jobIds } = await jobs.generate({ expectedUsd: plan.estimatedUsd });
      expect(jobIds).toHaveLength(2);
      await jobs.idle();
      expect(jobs.list().filter((j) => jobIds.includes(j.id)).map((j) => j.status)).toEqual(['ready', 'ready']);
      expect(new Set(heard.filter((j) => j.status === 'ready').map((j) => j.id))).toEqual(new Set(jobIds));
      expect(jobs.recovery).toBeUndefined();
      expect(jobs.takeProblems).toEqual([]);

      // After unsubscribing, a new job is not heard.
      stop();
      const count = heard.length;
      const again = await jobs.generate({ shotIds: [studio.session.current.shots[0].id], expectedUsd: (await jobs.plan({ shotIds: [studio.session.current.shots[0].id] })).estimatedUsd });
      await jobs.idle();
      expect(again.jobIds).toHaveLength(1);
      expect(heard).toHaveLength(count);
    } finally {
      await studio.close();
      await mock.close();
    }
  });
});

describe('undo labels of frame edits', () => {
  it('name the shot by its place when another change lands while the image is being copied or fitted', async () => {
    const dir = path.join(base, `frames${++n}.storyreel`);
    const shots = ['Harbour', 'Storm', 'Keeper'].map((title) => newShot({ title, prompt: `${title} prompt`, durationSec: 3 }));
    await createProjectFolder(dir, newProject('Frames', shots));
    const studio = await Studio.open(dir, { host: 'cli' });
    try {
      const frame = path.join(base, `wide${n}.png`);
      await fs.writeFile(frame, png(640, 480, [200, 120, 40]));
      const storm = studio.session.current.shots[1].id;
      // The project is renamed while the frame is read and copied: the document is a new one by then.
      const setting = studio.call('shots.setFrame', { shotId: storm, which: 'start', path: frame });
      await studio.call('project.rename', { name: 'Frames, renamed' });
      await setting;
      expect(studio.session.state().history.undo).toBe('Set start frame of shot 2 “Storm”');

      // Likewise while a 4:3 frame is padded to the shot's 16:9.
      const fitting = studio.call('shots.fitFrame', { shotId: storm, which: 'start', mode: 'pad' });
      await studio.call('project.rename', { name: 'Frames, renamed again' });
      await fitting;
      expect(studio.session.state().history.undo).toBe('Fit start frame of shot 2 “Storm”');
    } finally {
      await studio.close();
    }
  });
});

describe('the media service', () => {
  it('builds one preview at a time: asks during a build make one more build, with the latest cut', async () => {
    const s = await session();
    const events: { event: EventName; payload: unknown }[] = [];
    const media = new MediaService({ session: s, send: (event, payload) => void events.push({ event, payload }), autoStitch: false });
    try {
      const first = media.stitch();
      // Renamed while the first build runs: the slate of shot 1 changes, so the cut does.
      s.edit('Rename shot', (p) => void (p.shots[0].title = 'Harbour at night'));
      const second = media.stitch();
      const third = media.stitch();
      const [a, b, c] = await Promise.all([first, second, third]);
      const ready = events.filter((e) => e.event === 'preview.ready').map((e) => e.payload as Preview);
      // Two builds, not three: the two asks during the first build share the one after it.
      expect(ready.map((p) => p.key)).toEqual([a.key, b.key]);
      expect(b.key).not.toBe(a.key);
      expect(c).toEqual(b);
      // The second build was of the cut as it is now: asked again, the preview is that same cut.
      await media.stitch();
      const again = events.filter((e) => e.event === 'preview.ready').map((e) => (e.payload as Preview).key);
      expect(again.at(-1)).toBe(b.key);
    } finally {
      await media.close();
      await s.close();
    }
  });
});
