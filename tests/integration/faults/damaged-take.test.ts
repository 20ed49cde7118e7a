// Issue 11, item 12: a take's clip that is missing, replaced by garbage or bit-rotten is named ("Take 1 of
// shot 2 … is missing"), its shot is shown as needing a take and generating offers it — never "every shot
// has a current take"; and a clip damaged while the studio is open does not fail the stitch: its shot is
// slated and the preview says why.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studio } from '../../../electron/core/api';
import { ProjectSchema } from '../../../shared/schema';
import { tempDir } from '../helpers';
import { makeProject, runCli } from '../engine/helpers';

const SHOTS = [
  { title: 'Harbour', prompt: 'The harbour at dawn', durationSec: 3 },
  { title: 'Keeper', prompt: 'The keeper lights the lamp', durationSec: 3 },
  { title: 'Beam', prompt: 'The beam sweeps the sea', durationSec: 3 },
  { title: 'Dawn', prompt: 'Morning over the rocks', durationSec: 3 },
];

let base: string;
beforeAll(async () => {
  base = await tempDir('sr-fault-damaged-');
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

/** A project whose every shot has a ready animatic take; returns the clip of each shot. */
async function generated(name: string): Promise<{ dir: string; clips: string[] }> {
  const dir = path.join(base, `${name}.storyreel`);
  await makeProject({ dir, shots: SHOTS });
  const studio = await Studio.open(dir, { host: 'cli' });
  try {
    await studio.engine.generate({});
    await studio.engine.idle();
    expect(studio.engine.list().map((j) => j.status)).toEqual(['ready', 'ready', 'ready', 'ready']);
  } finally {
    await studio.close();
  }
  const doc = ProjectSchema.parse(JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8')));
  return { dir, clips: doc.shots.map((s) => path.join(dir, s.takes[0].media!.path)) };
}

/** Damages a clip three ways: gone; replaced by bytes that are no video; a few bytes flipped mid-file (still probes). */
async function damage(clips: string[]): Promise<void> {
  await fs.rm(clips[0]);
  const size = (await fs.stat(clips[1])).size;
  await fs.writeFile(clips[1], Buffer.alloc(size, 0x5a));
  const rotten = await fs.readFile(clips[2]);
  for (let i = 0; i < 64; i++) rotten[Math.floor(rotten.length * 0.6) + i] ^= 0xff;
  await fs.writeFile(clips[2], rotten);
}

describe('missing and damaged take files', () => {
  it('render names each damaged take, generates those shots again, and the cut is complete', async () => {
    const { dir, clips } = await generated('render');
    await damage(clips);
    const run = await runCli(['render', dir], {});
    const out = `${run.stdout}\n${run.stderr}`;
    expect(run.code, out).toBe(0);
    expect(run.stderr).toContain('Take 1 of shot 1 “Harbour” is missing');
    expect(run.stderr).toContain('Take 1 of shot 2 “Keeper” is damaged (not a playable video)');
    expect(run.stderr).toContain('Take 1 of shot 3 “Beam” is damaged (its contents changed since it was downloaded)');
    expect(out).not.toContain('every shot has a current take');
    expect(run.stdout).toContain('Generating 3 shots');
    expect(run.stdout).toContain('Cut: 12.00 s');
    expect(run.stdout).not.toContain('slate');
    // The damaged takes stay (history), marked with what is wrong; each shot has a new ready take in the cut.
    const doc = ProjectSchema.parse(JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8')));
    for (const shot of doc.shots.slice(0, 3)) {
      expect(shot.takes.map((t) => t.status)).toEqual(['failed', 'ready']);
      expect(shot.takes[0].error).toMatch(/is (missing|damaged)/);
      expect(shot.selectedTakeId).toBe(shot.takes[1].id);
    }
    expect(doc.shots[3].takes.map((t) => t.status)).toEqual(['ready']);
  });

  it('a clip put back makes its take ready again', async () => {
    const { dir, clips } = await generated('restored');
    const kept = await fs.readFile(clips[0]);
    await fs.rm(clips[0]);
    const first = await Studio.open(dir, { host: 'cli' });
    try {
      expect(first.engine.takeProblems).toEqual([expect.stringContaining('Take 1 of shot 1 “Harbour” is missing')]);
      expect((await first.engine.plan()).units.map((u) => u.shotIds[0])).toEqual([first.session.current.shots[0].id]);
    } finally {
      await first.close();
    }
    await fs.writeFile(clips[0], kept);
    const again = await Studio.open(dir, { host: 'cli' });
    try {
      expect(again.engine.takeProblems).toEqual([]);
      expect(again.session.current.shots[0].takes[0].status).toBe('ready');
      expect((await again.engine.plan()).units).toHaveLength(0);
    } finally {
      await again.close();
    }
  });

  it('a clip damaged while the studio is open: the stitch still succeeds, slating that shot and saying why', async () => {
    const { dir, clips } = await generated('stitch');
    const studio = await Studio.open(dir, { host: 'cli' });
    try {
      const shots = studio.session.current.shots;
      await fs.rm(clips[0]);
      await fs.writeFile(clips[1], Buffer.alloc((await fs.stat(clips[1])).size + 1, 0x5a));
      const preview = await studio.stitch();
      expect(preview.durationSec).toBeCloseTo(12, 1);
      expect(preview.slateShotIds).toEqual([shots[0].id, shots[1].id]);
      expect(preview.slateReasons).toEqual([
        { shotId: shots[0].id, message: expect.stringMatching(/^its clip media\/takes\/.*\.mp4 is missing$/) },
        { shotId: shots[1].id, message: expect.stringMatching(/^its clip media\/takes\/.*\.mp4 is damaged \(not a playable video\)$/) },
      ]);
    } finally {
      await studio.close();
    }
  });
});
