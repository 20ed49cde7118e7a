// The currency rule (shared/take-currency.ts): a take is stale only when its shot's creative parameters
// changed — never because the project's provider or tier changed; an animatic take is a draft that a cloud
// provider still replaces; takes saved by the previous version keep their state when a project is opened.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newProject, newShot } from '../../../electron/core/project/project-folder';
import { isCurrentTake, shotNeed, takeFit, upgradeLegacyHashes } from '../../../shared/take-currency';
import { ProjectSchema, type Project, type ProviderId, type Take } from '../../../shared/schema';
import { currentHash, shotHashes, workUnits } from '../../../shared/work-units';
import { chooseUnits } from '../../../electron/core/jobs/plan-units';

const FIXTURE = path.resolve(__dirname, '../../fixtures/legacy-hashes.storyreel/project.json');

function make(): Project {
  const p = newProject('p', [
    newShot({ title: 'Harbour', prompt: 'The harbour at dawn', durationSec: 5 }),
    newShot({ title: 'Lamp', prompt: 'The lamp turns', durationSec: 4 }),
  ]);
  p.voices = [{ id: 'v1', name: 'Keeper', providerIds: { kling: 'kling-voice-9', fal: 'fal-voice-3' } }];
  p.shots[1].audio = { native: true, voiceIds: ['v1'], dialogue: [] };
  return p;
}

/** A take as the engine stamps it: the hash a new take from `provider` gets for the shot now. */
function takeFrom(p: Project, shotId: string, provider: ProviderId, status: Take['status'] = 'ready'): Take {
  return {
    id: `take-${provider}`,
    jobId: `job-${provider}`,
    provider,
    tier: p.settings.tier,
    request: { hash: currentHash(p, shotId, provider)!, params: {} },
    status,
    estimatedUsd: 0.42,
    review: { rating: 0, flag: 'none', notes: [] },
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

const current = (p: Project, shotIndex: number, take: Take) => isCurrentTake(take, shotHashes(p).get(p.shots[shotIndex].id));

describe('a take is stale only when its shot changed creatively', () => {
  it('a Kling take stays current when the project switches to fal and to Pro (a shot with voices included)', () => {
    const p = make();
    p.settings.provider = 'kling';
    const takes = p.shots.map((s) => takeFrom(p, s.id, 'kling'));
    const switched = structuredClone(p);
    switched.settings.provider = 'fal';
    switched.settings.tier = 'pro';
    switched.shots[0].tier = 'standard';
    expect(takes.map((t, i) => current(switched, i, t))).toEqual([true, true]);
    // …and fal would not generate them again.
    expect(switched.shots.map((s, i) => shotNeed({ takes: [takes[i]] }, shotHashes(switched).get(s.id), 'fal'))).toEqual(['covered', 'covered']);
  });

  it('prompt, negative prompt, duration, frames, audio, CFG, ratio and voices each make it stale', () => {
    const p = make();
    const take = takeFrom(p, p.shots[1].id, 'fal');
    const edits: ((q: Project) => void)[] = [
      (q) => (q.shots[1].prompt = 'The lamp stops'),
      (q) => (q.shots[1].negativePrompt = 'blur'),
      (q) => (q.shots[1].durationSec = 6),
      (q) => (q.shots[1].startFrame = 'media/refs/a.png'),
      (q) => (q.shots[1].audio.native = false),
      (q) => (q.shots[1].cfgScale = 0.8),
      (q) => (q.settings.aspectRatio = '9:16'),
      (q) => (q.shots[1].audio.voiceIds = []),
    ];
    expect(current(p, 1, take)).toBe(true);
    for (const edit of edits) {
      const q = structuredClone(p);
      edit(q);
      expect(current(q, 1, take), edit.toString()).toBe(false);
    }
  });

  it('an animatic take is a draft: current for the animatic, replaced by a cloud provider', () => {
    const p = make();
    const draft = takeFrom(p, p.shots[0].id, 'animatic');
    const want = shotHashes(p).get(p.shots[0].id);
    expect(isCurrentTake(draft, want)).toBe(true);
    expect(shotNeed({ takes: [draft] }, want, 'animatic')).toBe('covered');
    expect(shotNeed({ takes: [draft] }, want, 'kling')).toBe('draft-only');
    // A cloud take covers for the animatic too, and a failed one covers for nobody.
    expect(shotNeed({ takes: [takeFrom(p, p.shots[0].id, 'fal')] }, want, 'animatic')).toBe('covered');
    expect(shotNeed({ takes: [takeFrom(p, p.shots[0].id, 'fal', 'failed')] }, want, 'kling')).toBe('needed');
    // The title is drawn by the animatic only: renaming makes the draft stale, not the cloud take.
    const renamed = structuredClone(p);
    renamed.shots[0].title = 'Quay';
    expect(current(renamed, 0, draft)).toBe(false);
    expect(current(renamed, 0, takeFrom(p, p.shots[0].id, 'fal'))).toBe(true);
  });
});

describe('takes saved by the previous version (tests/fixtures/legacy-hashes.storyreel, made by it)', () => {
  // Rendered with the animatic, then with Kling; then the project was switched to Kling and shot 3's
  // prompt edited. The previous version called shots 1–2's Kling takes current and shot 3's takes stale.
  const load = () => ProjectSchema.parse(JSON.parse(readFileSync(FIXTURE, 'utf8')));

  it('keeps each old take current or stale as it was, and no longer calls the animatic drafts stale', () => {
    const p = load();
    const state = (q: Project) => q.shots.map((s, i) => s.takes.map((t) => `${t.provider}:${current(q, i, t) ? 'current' : 'stale'}`));
    // Without the upgrade every old take would look stale (the hash format changed).
    expect(state(p).flat().every((s) => s.endsWith('stale'))).toBe(true);
    expect(upgradeLegacyHashes(p)).toBe(true);
    expect(state(p)).toEqual([
      ['animatic:current', 'kling:current'],
      ['animatic:current', 'kling:current'],
      ['animatic:stale', 'kling:stale'],
    ]);
    expect(p.shots.map((s) => shotNeed(s, shotHashes(p).get(s.id), 'kling'))).toEqual(['covered', 'covered', 'needed']);
    // A second open finds nothing more to change.
    expect(upgradeLegacyHashes(p)).toBe(false);
  });
});

describe('a shorter shot trims its take; a longer one needs a longer take', () => {
  const withClip = (take: Take, durationSec: number): Take => ({
    ...take,
    media: { path: 'media/takes/a.mp4', sha256: 'x', durationSec, width: 1280, height: 720, fps: 24, hasAudio: false },
  });

  it('shortening a shot keeps its take current and asks for nothing; lengthening past it offers a new take', () => {
    const p = make();
    p.settings.provider = 'kling';
    const take = withClip(takeFrom(p, p.shots[0].id, 'kling'), 5.042);
    const shorter = structuredClone(p);
    shorter.shots[0].durationSec = 3;
    const want = shotHashes(shorter).get(shorter.shots[0].id);
    expect(takeFit(take, want)).toBe('current');
    expect(shotNeed({ takes: [take] }, want, 'kling')).toBe('covered');
    // With an in point the 5 s clip still covers 3 s from 2 s, not from 2.5 s.
    shorter.shots[0].trim = { inSec: 2 };
    expect(takeFit(take, shotHashes(structuredClone(shorter)).get(shorter.shots[0].id))).toBe('current');
    shorter.shots[0].trim = { inSec: 2.5 };
    expect(takeFit(take, shotHashes(structuredClone(shorter)).get(shorter.shots[0].id))).toBe('short');

    const longer = structuredClone(p);
    longer.shots[0].durationSec = 8;
    const wantLonger = shotHashes(longer).get(longer.shots[0].id);
    expect(takeFit(take, wantLonger)).toBe('short');
    expect(shotNeed({ takes: [take] }, wantLonger, 'kling')).toBe('needed');
    // Back to its own length, it is current again (never stale for the shorter parts).
    const back = structuredClone(longer);
    back.shots[0].durationSec = 5;
    expect(takeFit(take, shotHashes(back).get(back.shots[0].id))).toBe('current');
  });

  it('a take in flight counts by the length it was asked for; another parameter still makes it stale', () => {
    const p = make();
    const running = takeFrom(p, p.shots[0].id, 'fal', 'running');
    const shorter = structuredClone(p);
    shorter.shots[0].durationSec = 4;
    expect(shotNeed({ takes: [running] }, shotHashes(shorter).get(shorter.shots[0].id), 'fal')).toBe('covered');
    const edited = structuredClone(shorter);
    edited.shots[0].prompt = 'The harbour at night';
    expect(takeFit(withClip(running, 5), shotHashes(edited).get(edited.shots[0].id))).toBe('stale');
  });
});

describe('a shot of a multi-shot group retimes like a shot of its own', () => {
  /** Harbour alone; Keeper (3 s) and Lamp (5 s) generated together as one Kling multi_prompt request. */
  function grouped(): Project {
    const p = newProject('p', [
      newShot({ title: 'Harbour', prompt: 'The harbour at dawn', durationSec: 4 }),
      newShot({ title: 'Keeper', prompt: 'Close-up: the keeper', durationSec: 3 }),
      newShot({ title: 'Lamp', prompt: 'The lamp turns', durationSec: 5 }),
    ]);
    p.settings.provider = 'kling';
    p.groups = [{ id: 'grp', shotIds: [p.shots[1].id, p.shots[2].id], shotType: 'customize' }];
    return p;
  }
  /**
   * The takes the engine makes of each unit (engine.ts takeFor: the unit's hash, its spec as the request's
   * params): a group's clip cut into one piece per shot, each as long as the shot was.
   */
  function generate(p: Project): Project {
    for (const unit of workUnits(p, 'kling')) {
      const { card: _card, ...params } = unit.spec;
      unit.shotIds.forEach((id) => {
        const shot = p.shots.find((s) => s.id === id)!;
        const take: Take = {
          id: `take-${id}`,
          jobId: `job-${unit.key}`,
          provider: 'kling',
          tier: 'standard',
          request: { hash: unit.hash, params },
          status: 'ready',
          media: { path: `media/takes/${id}/take.mp4`, sha256: 'x', durationSec: shot.durationSec + 0.042, width: 1280, height: 720, fps: 24, hasAudio: false },
          estimatedUsd: 0.3,
          review: { rating: 0, flag: 'none', notes: [] },
          createdAt: '2026-01-01T00:00:00.000Z',
        };
        shot.takes.push(take);
        shot.selectedTakeId = take.id;
      });
    }
    return p;
  }
  // shotHashes is memoized per document: each look is at a fresh copy, as each save makes one.
  const fits = (edited: Project) => {
    const p = structuredClone(edited);
    return p.shots.map((s) => takeFit(s.takes[0], shotHashes(p).get(s.id)));
  };
  const chosen = (p: Project) => chooseUnits({ project: p, units: workUnits(p, 'kling'), provider: 'kling' }).chosen.map((u) => u.label);

  it('shortening a grouped shot trims its piece: every shot of the group stays current and nothing is sent', () => {
    const p = generate(grouped());
    expect(fits(p)).toEqual(['current', 'current', 'current']);
    p.shots[2].durationSec = 3;
    expect(fits(p)).toEqual(['current', 'current', 'current']);
    expect(chosen(p)).toEqual([]);
    // Both shots of the group shorter at once: still nothing.
    p.shots[1].durationSec = 2;
    p.shots[2].durationSec = 4;
    expect(fits(p)).toEqual(['current', 'current', 'current']);
    expect(chosen(p)).toEqual([]);
  });

  it('a head trim on a grouped shot uses its piece: 3 s from 2 s of a 5 s piece fits, from 2.5 s it does not', () => {
    const p = generate(grouped());
    p.shots[2].durationSec = 3;
    p.shots[2].trim = { inSec: 2 };
    expect(fits(p)).toEqual(['current', 'current', 'current']);
    p.shots[2].trim = { inSec: 2.5 };
    expect(fits(p)).toEqual(['current', 'current', 'short']);
  });

  it('lengthening a grouped shot past its piece: that shot needs a longer take, its neighbour stays current, the group is offered', () => {
    const p = generate(grouped());
    p.shots[1].durationSec = 5;
    expect(fits(p)).toEqual(['current', 'short', 'current']);
    const q = structuredClone(p);
    expect(q.shots.map((s) => shotNeed(s, shotHashes(q).get(s.id), 'kling'))).toEqual(['covered', 'needed', 'covered']);
    expect(chosen(p)).toEqual(['group of shots 2–3']);
    // Back to its piece's length, nothing is needed again.
    p.shots[1].durationSec = 3;
    expect(chosen(p)).toEqual([]);
  });

  it('another parameter of the group still makes all its shots stale; so does ungrouping', () => {
    const p = generate(grouped());
    p.shots[2].durationSec = 3;
    const prompt = structuredClone(p);
    prompt.shots[2].prompt = 'The lamp goes dark';
    expect(fits(prompt)).toEqual(['current', 'stale', 'stale']);
    const apart = structuredClone(p);
    apart.groups = [];
    expect(fits(apart)).toEqual(['current', 'stale', 'stale']);
  });

  it('a clip imported for a grouped shot trims like one generated for it', () => {
    const p = generate(grouped());
    const lamp = p.shots[2];
    lamp.takes = [{ ...lamp.takes[0], id: 'imported', request: { hash: lamp.takes[0].request.hash, params: { source: 'import', file: 'edit.mp4' } } }];
    lamp.durationSec = 4;
    expect(fits(p)).toEqual(['current', 'current', 'current']);
  });
});
