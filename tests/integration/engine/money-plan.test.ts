// Issue 10's money defects, end to end against the provider mocks:
//  - `storyreel render` with one invalid shot renders the others, lists the skipped one and says why; a
//    second render with nothing changed generates nothing;
//  - a take paid for on Kling stays current when the project switches to fal and to Pro: a render sends
//    nothing to fal; animatic drafts are replaced by a cloud provider, which says so;
//  - a project saved by the previous version (old hash format) opens with its takes as they were.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studio } from '../../../electron/core/api';
import { envConfig } from '../../../electron/core/providers/registry';
import { makeClip, type RunningMock } from '../../mock-providers/common';
import { startFalMock } from '../../mock-providers/fal';
import { startKlingMock } from '../../mock-providers/kling';
import { png } from '../../helpers/png';
import { ROOT, tempDir } from '../helpers';
import { makeProject, providerEnv, runCli } from './helpers';

let base: string;
let kling: RunningMock;
let fal: RunningMock;
beforeAll(async () => {
  base = await tempDir('sr-money-');
  [kling, fal] = await Promise.all([startKlingMock(), startFalMock()]);
});
afterAll(async () => {
  await Promise.all([kling?.close(), fal?.close()]);
  await fs.rm(base, { recursive: true, force: true });
});

const env = () => ({ ...providerEnv('kling', kling.url), ...providerEnv('fal', fal.url) });
const submissions = (mock: RunningMock) => mock.state.submissions();

/** project.json as a person editing it by hand sees it. */
type Doc = { settings: Record<string, unknown>; shots: { prompt: string; endFrame?: string }[] };

async function editProject(dir: string, edit: (doc: Doc) => void): Promise<void> {
  const file = path.join(dir, 'project.json');
  const doc = JSON.parse(await fs.readFile(file, 'utf8'));
  edit(doc);
  await fs.writeFile(file, JSON.stringify(doc, null, 2));
}

describe('one bad shot does not block the rest', () => {
  it('render generates every valid shot, lists the skipped one with its problem, and a second render generates nothing', async () => {
    const dir = path.join(base, 'partial.storyreel');
    await makeProject({
      dir,
      provider: 'kling',
      shots: [
        { title: 'Harbour', prompt: 'The harbour at dawn', durationSec: 3 },
        { title: 'Lamp', prompt: 'The lamp turns', durationSec: 3 },
        { title: 'Gulls', prompt: 'Gulls over the rocks', durationSec: 3 },
      ],
    });
    await fs.mkdir(path.join(dir, 'media', 'refs'), { recursive: true });
    await fs.writeFile(path.join(dir, 'media', 'refs', 'end.png'), png(640, 360));
    await editProject(dir, (doc) => (doc.shots[2].endFrame = 'media/refs/end.png'));
    const before = submissions(kling).length;

    const first = await runCli(['render', dir, '--yes'], env());
    expect(first.stderr).toContain('Skipping 1 shot with problems; nothing is sent for it (fix and render again), the others are generated:');
    expect(first.stderr).toContain('shot 3 “Gulls”, end frame: an end frame needs a start frame');
    // Kling standard, silent, 3 s: 2 × 3 × $0.084 = $0.50 — the skipped shot is not priced.
    expect(first.stdout).toContain('Estimate: $0.50 for 2 requests (6 s of video) on Kling');
    expect(first.stdout).toContain('Generating 2 shots with Kling');
    expect(first.stdout).toContain('1 shot(s) shown as slates');
    expect(first.code).toBe(1); // not everything was generated: said again at the end
    expect(first.stderr).toContain('1 shot skipped for the problems listed above: shot 3 “Gulls”.');
    expect(submissions(kling).length - before).toBe(2);
    const doc = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
    expect(doc.shots.map((s: { takes: { status: string }[] }) => s.takes.map((t) => t.status))).toEqual([['ready'], ['ready'], []]);

    const second = await runCli(['render', dir, '--yes'], env());
    expect(second.stdout).not.toContain('Estimate:');
    expect(second.stdout).toContain('Nothing new to generate.');
    expect(second.stderr).toContain('shot 3 “Gulls”, end frame: an end frame needs a start frame');
    expect(submissions(kling).length - before).toBe(2);
  });

  it('the animatic, which accepts an end frame alone, renders that shot too', async () => {
    const dir = path.join(base, 'animatic-end.storyreel');
    await makeProject({ dir, shots: [{ title: 'Gulls', prompt: 'Gulls over the rocks', durationSec: 3 }] });
    await fs.mkdir(path.join(dir, 'media', 'refs'), { recursive: true });
    await fs.writeFile(path.join(dir, 'media', 'refs', 'end.png'), png(640, 360));
    await editProject(dir, (doc) => (doc.shots[0].endFrame = 'media/refs/end.png'));
    const res = await runCli(['render', dir], {});
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Generating 1 shot with Animatic');
  });
});

describe('switching provider or tier never marks a paid take stale', () => {
  it('a Kling take stays current when the project switches to fal Pro: render sends fal nothing; animatic drafts are replaced and said so', async () => {
    const dir = path.join(base, 'switch.storyreel');
    await makeProject({
      dir,
      shots: [
        { title: 'Harbour', prompt: 'The harbour at dawn', durationSec: 3 },
        { title: 'Lamp', prompt: 'The lamp turns', durationSec: 3 },
      ],
    });
    // Animatic drafts of both shots first (free), then Kling: drafts are replaced, and the render says so.
    const drafts = await runCli(['render', dir], {});
    expect(drafts.code, drafts.stderr).toBe(0);
    await editProject(dir, (doc) => (doc.settings.provider = 'kling'));
    const paid = await runCli(['render', dir, '--yes'], env());
    expect(paid.code, paid.stderr).toBe(0);
    expect(paid.stdout).toContain('2 shots have only animatic drafts: Kling (official API) generates them.');
    expect(paid.stdout).toContain('Generating 2 shots with Kling');

    await editProject(dir, (doc) => {
      doc.settings.provider = 'fal';
      doc.settings.tier = 'pro';
    });
    const falBefore = submissions(fal).length;
    const again = await runCli(['render', dir, '--yes'], env());
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to generate: every shot has a current take.');
    expect(again.stdout).not.toContain('Estimate:');
    expect(submissions(fal).length).toBe(falBefore);

    // A creative change does make its take stale: only that shot goes to fal.
    await editProject(dir, (doc) => (doc.shots[1].prompt = 'The lamp stops turning'));
    const changed = await runCli(['render', dir, '--yes'], env());
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toContain('Generating 1 shot with fal.ai');
    expect(changed.stdout).toContain('(1 shot already up to date)');
    expect(submissions(fal).length - falBefore).toBe(1);
  });
});

/**
 * The fixture keeps no media (no generated clips in git): each ready take gets a real clip of its length
 * again, with its hash recorded in project.json and jobs.json, so the takes are whole (a missing clip would
 * rightly need a new take).
 */
async function putBackClips(dir: string): Promise<void> {
  const file = path.join(dir, 'project.json');
  const doc = JSON.parse(await fs.readFile(file, 'utf8'));
  for (const shot of doc.shots) {
    for (const take of shot.takes) {
      if (take.status !== 'ready' || !take.media) continue;
      const clip = await makeClip({ durationSec: take.media.durationSec, aspect: '16:9', audio: true, text: take.id });
      const to = path.join(dir, take.media.path);
      await fs.mkdir(path.dirname(to), { recursive: true });
      await fs.copyFile(clip, to);
      take.media.sha256 = createHash('sha256').update(await fs.readFile(to)).digest('hex');
    }
  }
  await fs.writeFile(file, JSON.stringify(doc, null, 2));
  // The journal records each delivered clip's hash too (and mirrors it onto the take when the project opens).
  const journalFile = path.join(dir, 'jobs.json');
  const journal = JSON.parse(await fs.readFile(journalFile, 'utf8'));
  const hashes = new Map<string, string>(doc.shots.flatMap((s: { takes: { media?: { path: string; sha256: string } }[] }) => s.takes.flatMap((t) => (t.media ? [[t.media.path, t.media.sha256]] : []))));
  for (const job of journal.jobs) {
    for (const { media } of job.media ?? []) if (media && hashes.has(media.path)) media.sha256 = hashes.get(media.path);
  }
  await fs.writeFile(journalFile, JSON.stringify(journal, null, 2));
}

describe('a project saved by the previous version', () => {
  it('opens with its takes as they were: current Kling takes are not generated again, the edited shot is', async () => {
    // tests/fixtures/legacy-hashes.storyreel was made by the previous version: rendered with the animatic
    // and then with Kling, switched to Kling, and shot 3's prompt edited afterwards.
    const dir = path.join(base, 'legacy.storyreel');
    await fs.cp(path.join(ROOT, 'tests', 'fixtures', 'legacy-hashes.storyreel'), dir, { recursive: true });
    await putBackClips(dir);
    const studio = await Studio.open(dir, { host: 'cli', resolveConfig: envConfig(providerEnv('kling', kling.url)), engineTiming: { scale: 0.02 } });
    try {
      const estimate = await studio.call('jobs.estimate', {});
      expect(estimate.lines.map((l) => l.label)).toEqual(['shot 3 “Gulls”']);
      expect(estimate.draftShots).toBe(0);
    } finally {
      await studio.close();
    }
    // The upgrade is saved: the next open finds the same.
    const saved = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
    expect(saved.shots[0].takes.map((t: { request: { hash: string } }) => t.request.hash.startsWith('2:'))).toEqual([true, true]);
  });
});
