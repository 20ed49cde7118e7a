// A keyframe shared by two shots, through the real edits and session (images copied into media/refs/ by
// content): one image is shot 1's end frame and shot 2's start frame; replacing it on either side replaces
// both in one undo step; unlinking keeps both frames; chaining ends it; both shots' takes go stale, kept;
// providers that need a start frame under an end frame still refuse shot 1 without one, naming it.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectSession } from '../../electron/core/project/session';
import { createProjectFolder, newProject, newShot } from '../../electron/core/project/project-folder';
import { ChainKeeper, chainEdits } from '../../electron/core/services/edits/chain';
import { keyframeEdits } from '../../electron/core/services/edits/keyframe';
import { shotEdits } from '../../electron/core/services/edits/shots';
import { Imports } from '../../electron/core/services/imports';
import { isCurrentTake } from '../../shared/take-currency';
import { shotHashes, workUnits } from '../../shared/work-units';
import { formatIssue, validateSpec } from '../../shared/validate';
import type { Take } from '../../shared/schema';
import { tempDir } from './helpers';

const exec = promisify(execFile);
let base: string;
beforeAll(async () => {
  base = await tempDir('sr-keyframe-');
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

/** A 640×360 PNG of one colour, outside the project (as a person would pick it). */
async function picture(name: string, color: string): Promise<string> {
  const file = path.join(base, `${name}.png`);
  await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=${color}:size=640x360`, '-frames:v', '1', file]);
  return file;
}
async function clip(dir: string, name: string): Promise<Take['media'] & object> {
  const rel = `media/takes/${name}.mp4`;
  await fs.mkdir(path.join(dir, 'media', 'takes'), { recursive: true });
  await exec('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=24:duration=5', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', path.join(dir, rel)]);
  return { path: rel, sha256: name, durationSec: 5, width: 320, height: 180, fps: 24, hasAudio: false };
}
function readyTake(id: string, media: Take['media']): Take {
  return { id, jobId: `job-${id}`, provider: 'animatic', tier: 'standard', request: { hash: 'x', params: {} }, status: 'ready', media, estimatedUsd: 0, review: { rating: 0, flag: 'none', notes: [] }, createdAt: '2025-01-01T00:00:00Z' };
}

describe('a keyframe shared by two shots', () => {
  it('is one image on both sides, replaced on both in one step, unlinked keeping both, and makes both takes stale', async () => {
    const dir = path.join(base, 'keyframe.storyreel');
    const shots = ['Harbour', 'Storm', 'Keeper'].map((title) => newShot({ title, prompt: `${title} prompt`, durationSec: 5 }));
    await createProjectFolder(dir, newProject('Keyframe', shots));
    const media = await clip(dir, 'a1');
    const project = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
    project.shots[0].takes = [readyTake('a1', media)];
    project.shots[0].selectedTakeId = 'a1';
    project.shots[1].takes = [readyTake('b1', { ...media, sha256: 'b1' })];
    project.shots[1].selectedTakeId = 'b1';
    await fs.writeFile(path.join(dir, 'project.json'), JSON.stringify(project));
    const red = await picture('red', 'red');
    const blue = await picture('blue', 'blue');
    const green = await picture('green', 'green');
    const s = await ProjectSession.open(dir);
    try {
      const imports = new Imports({ session: s, browserHost: false });
      const keeper = new ChainKeeper(s);
      const shotsApi = shotEdits(s, imports, keeper);
      const kf = keyframeEdits(s, imports);
      const chain = chainEdits(s, keeper);
      const [harbour, storm, last] = s.current.shots.map((x) => x.id);
      const [h, st] = [() => s.current.shots[0], () => s.current.shots[1]];
      // Both takes are current for their shots' present parameters before the keyframe.
      s.mutate((d) => {
        const hashes = shotHashes(d);
        d.shots[0].takes[0].request.hash = hashes.get(harbour)!.draft;
        d.shots[1].takes[0].request.hash = hashes.get(storm)!.draft;
      });
      const current = (i: number) => isCurrentTake(s.current.shots[i].takes[0], shotHashes(s.current).get(s.current.shots[i].id));
      expect([current(0), current(1)]).toEqual([true, true]);

      await expect(kf['shots.shareKeyframe']({ shotId: last, keyframe: { path: red } })).rejects.toThrow(
        'shot 3 “Keeper”: end frame: it is the last shot, so there is no shot after it to share a keyframe with. Nothing was changed.',
      );
      await expect(kf['shots.shareKeyframe']({ shotId: harbour, keyframe: { use: 'end' } })).rejects.toThrow('shot 1 “Harbour”: end frame: there is none to share');

      // Share a picked image: copied once into media/refs/, the same path on both sides, the link recorded.
      await kf['shots.shareKeyframe']({ shotId: harbour, keyframe: { path: red } });
      const key = h().endFrame!;
      expect(key).toMatch(/^media\/refs\//);
      expect(st().startFrame).toBe(key);
      expect(st().startKeyframe).toEqual({ shotId: harbour });
      await expect(fs.stat(path.join(dir, key))).resolves.toBeTruthy();
      expect(s.state().history.undo).toBe('Share a keyframe between shot 1 “Harbour” and shot 2 “Storm”');
      // Both takes were made without it: stale, and kept.
      expect([current(0), current(1)]).toEqual([false, false]);
      expect([h().takes.length, st().takes.length]).toEqual([1, 1]);

      // Replaced on the start side (Storm's well): both change, one undo step puts both back.
      await shotsApi['shots.setFrame']({ shotId: storm, which: 'start', path: blue });
      const blueRel = st().startFrame!;
      expect(blueRel).not.toBe(key);
      expect(h().endFrame).toBe(blueRel);
      expect(st().startKeyframe).toEqual({ shotId: harbour });
      s.undo();
      expect([h().endFrame, st().startFrame]).toEqual([key, key]);
      // Replaced on the end side through a plain edit: both change.
      await shotsApi['shots.update']({ id: harbour, patch: { endFrame: blueRel } });
      expect([h().endFrame, st().startFrame]).toEqual([blueRel, blueRel]);
      // Replaced through the action itself (a new image): both change.
      await kf['shots.shareKeyframe']({ shotId: harbour, keyframe: { path: green } });
      const greenRel = h().endFrame!;
      expect(st().startFrame).toBe(greenRel);

      // Unlink: both keep the picture as an ordinary frame; undo links them again.
      await kf['shots.shareKeyframe']({ shotId: harbour, keyframe: null });
      expect(st().startKeyframe).toBeUndefined();
      expect([h().endFrame, st().startFrame]).toEqual([greenRel, greenRel]);
      expect(s.state().history.undo).toBe('Unlink the keyframe of shot 1 “Harbour” and shot 2 “Storm”');
      // Now a change on one side stays on that side.
      await shotsApi['shots.setFrame']({ shotId: storm, which: 'start', path: red });
      expect(h().endFrame).toBe(greenRel);
      s.undo();
      s.undo();
      expect(st().startKeyframe).toEqual({ shotId: harbour });

      // Removing the frame on one side ends the link; the other side keeps its picture.
      await shotsApi['shots.update']({ id: storm, patch: { startFrame: null } });
      expect(st().startKeyframe).toBeUndefined();
      expect(h().endFrame).toBe(greenRel);
      s.undo();
      expect(st().startKeyframe).toEqual({ shotId: harbour });

      // Chaining Storm's start frame ends the keyframe link (Harbour keeps its end frame)…
      await chain['shots.chain']({ shotId: storm, from: 'previous' });
      expect(st().startFrameFrom?.shotId).toBe(harbour);
      expect(st().startKeyframe).toBeUndefined();
      expect(h().endFrame).toBe(greenRel);
      // …and sharing again ends the chain.
      await kf['shots.shareKeyframe']({ shotId: harbour, keyframe: { use: 'end' } });
      expect(st().startFrameFrom).toBeUndefined();
      expect(st().startKeyframe).toEqual({ shotId: harbour });
      expect(st().startFrame).toBe(greenRel);

      // A copy of Storm does not share the keyframe; deleting Harbour ends the link, Storm keeps its frame.
      await shotsApi['shots.duplicate']({ id: storm });
      expect(s.current.shots[2].startFrame).toBe(greenRel);
      expect(s.current.shots[2].startKeyframe).toBeUndefined();
      s.undo();

      // Providers that need a start frame under an end frame refuse Harbour (no start frame), naming it;
      // the animatic accepts an end frame alone. Storm (start frame only) passes on both.
      const issues = (provider: 'kling' | 'animatic') =>
        workUnits(s.current, provider)
          .slice(0, 2)
          .flatMap((u) => validateSpec(u.spec, u.where).map(formatIssue));
      expect(issues('kling')).toEqual(['shot 1 “Harbour”, end frame: an end frame needs a start frame']);
      expect(issues('animatic')).toEqual([]);

      await shotsApi['shots.remove']({ id: harbour });
      expect(s.current.shots[0].startKeyframe).toBeUndefined();
      expect(s.current.shots[0].startFrame).toBe(greenRel);
    } finally {
      await s.close();
    }
  }, 60_000);
});
