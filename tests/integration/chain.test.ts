// Continuity with real ffmpeg: a chained shot's start frame is exactly the last frame that plays of the
// shot before it, and it follows that shot's take (another take chosen, a trim, undo), leaving the chained
// shot's own take stale and kept.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectSession } from '../../electron/core/project/session';
import { createProjectFolder, newProject, newShot } from '../../electron/core/project/project-folder';
import { ChainKeeper, chainEdits } from '../../electron/core/services/edits/chain';
import { shotEdits } from '../../electron/core/services/edits/shots';
import { Imports } from '../../electron/core/services/imports';
import { isCurrentTake } from '../../shared/take-currency';
import { shotHashes } from '../../shared/work-units';
import type { Take } from '../../shared/schema';
import { tempDir } from './helpers';

const exec = promisify(execFile);
const W = 320;
const H = 180;

/** Raw RGB of one decoded frame of a clip (every frame decoded, frame n kept), or of a picture file. */
async function rgb(file: string, frame?: number): Promise<Buffer> {
  const select = frame === undefined ? [] : ['-vf', `select=eq(n\\,${frame})`];
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-i', file, ...select, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 64 << 20 });
  return stdout as unknown as Buffer;
}
function meanDiff(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

let base: string;
beforeAll(async () => {
  base = await tempDir('sr-chain-');
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

/** A 5 s clip (120 frames) whose every frame differs: a moving test pattern with a frame counter. */
async function clip(dir: string, name: string, source: string): Promise<Take['media'] & object> {
  const rel = `media/takes/${name}.mp4`;
  await fs.mkdir(path.join(dir, 'media', 'takes'), { recursive: true });
  await exec('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `${source}=size=${W}x${H}:rate=24:duration=5`, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '48', path.join(dir, rel)]);
  return { path: rel, sha256: name, durationSec: 5, width: W, height: H, fps: 24, hasAudio: false };
}
function readyTake(id: string, media: Take['media'], hash = 'old'): Take {
  return { id, jobId: `job-${id}`, provider: 'animatic', tier: 'standard', request: { hash, params: {} }, status: 'ready', media, estimatedUsd: 0, review: { rating: 0, flag: 'none', notes: [] }, createdAt: '2025-01-01T00:00:00Z' };
}

describe('chained start frames', () => {
  it('are the exact last played frame of the shot before, and follow its take, trim and undo', async () => {
    const dir = path.join(base, 'chain.storyreel');
    const shots = ['Harbour', 'Storm', 'Keeper'].map((title) => newShot({ title, prompt: `${title} prompt`, durationSec: 5 }));
    await createProjectFolder(dir, newProject('Chain', shots));
    const a = await clip(dir, 'a1', 'testsrc2');
    const b = await clip(dir, 'a2', 'testsrc');
    const c = await clip(dir, 'b1', 'smptebars');
    const project = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
    project.shots[0].takes = [readyTake('a1', a), readyTake('a2', b)];
    project.shots[0].selectedTakeId = 'a1';
    project.shots[1].takes = [readyTake('b1', c)];
    project.shots[1].selectedTakeId = 'b1';
    await fs.writeFile(path.join(dir, 'project.json'), JSON.stringify(project));
    const s = await ProjectSession.open(dir);
    try {
      const keeper = new ChainKeeper(s);
      const shotsApi = shotEdits(s, new Imports({ session: s, browserHost: false }), keeper);
      const chain = chainEdits(s, keeper);
      const [harbour, storm] = s.current.shots.map((x) => x.id);

      await expect(chain['shots.chain']({ shotId: harbour, from: 'previous' })).rejects.toThrow('shot 1 “Harbour”: start frame: it is the first shot, so there is no shot before it to continue from. Nothing was changed.');
      const keeperShot = s.current.shots[2].id;
      await expect(chain['shots.chain']({ shotId: keeperShot, from: 'previous' })).resolves.toBeTruthy();
      // Storm's take counts as current for its present parameters before the chain.
      const stormTakeCurrent = () => isCurrentTake(s.current.shots[1].takes[0], shotHashes(s.current).get(storm));
      s.mutate((d) => void (d.shots[1].takes[0].request.hash = shotHashes(d).get(storm)!.draft));
      expect(stormTakeCurrent()).toBe(true);

      await chain['shots.chain']({ shotId: storm, from: 'previous' });
      const chained = () => s.current.shots[1];
      expect(chained().startFrameFrom).toEqual({ shotId: harbour, takeId: 'a1', frame: 119 });
      expect(s.state().history.undo).toBe('Chain shot 2 “Storm” to shot 1 “Harbour”');
      const frameA = await rgb(path.join(dir, chained().startFrame!));
      expect(meanDiff(frameA, await rgb(path.join(dir, a.path), 119))).toBeLessThan(1);
      // A neighbouring frame of the same take is clearly further away.
      expect(meanDiff(frameA, await rgb(path.join(dir, a.path), 100))).toBeGreaterThan(2);
      // The new start frame is part of the request: Storm's take is stale now, and kept.
      expect(stormTakeCurrent()).toBe(false);
      expect(chained().takes.map((t) => [t.id, t.status])).toEqual([['b1', 'ready']]);

      // Another take of Harbour: the frame follows in the same undo step.
      await shotsApi['shots.update']({ id: harbour, patch: { selectedTakeId: 'a2' } });
      expect(chained().startFrameFrom).toEqual({ shotId: harbour, takeId: 'a2', frame: 119 });
      const frameB = await rgb(path.join(dir, chained().startFrame!));
      expect(meanDiff(frameB, await rgb(path.join(dir, b.path), 119))).toBeLessThan(1);
      expect(meanDiff(frameB, frameA)).toBeGreaterThan(10);

      // A shorter Harbour ends earlier: the frame at its out point continues.
      await shotsApi['shots.update']({ id: harbour, patch: { durationSec: 3, trim: { inSec: 1 } } });
      expect(chained().startFrameFrom).toEqual({ shotId: harbour, takeId: 'a2', frame: 24 + 72 - 1 });
      expect(meanDiff(await rgb(path.join(dir, chained().startFrame!)), await rgb(path.join(dir, b.path), 95))).toBeLessThan(1);

      // Undo puts back the trim and the frame together; again, the take choice and its frame.
      s.undo();
      expect(chained().startFrameFrom).toEqual({ shotId: harbour, takeId: 'a2', frame: 119 });
      s.undo();
      expect(s.current.shots[0].selectedTakeId).toBe('a1');
      expect(chained().startFrameFrom?.takeId).toBe('a1');
      expect(meanDiff(await rgb(path.join(dir, chained().startFrame!)), frameA)).toBeLessThan(1);

      // A take put in the cut without an edit (a new take arriving) is followed right after.
      s.mutate((d) => void (d.shots[0].selectedTakeId = 'a2'));
      await expect.poll(() => chained().startFrameFrom?.takeId, { timeout: 20_000 }).toBe('a2');

      // A start frame chosen by hand (here: removed) ends the chain.
      await shotsApi['shots.update']({ id: storm, patch: { startFrame: null } });
      expect(chained().startFrameFrom).toBeUndefined();
    } finally {
      await s.close();
    }
  }, 60_000);
});
