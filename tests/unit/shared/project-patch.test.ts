// The patch protocol of project.changed: for any two documents a and b, applying diffProject(a, b) to a
// (after the patch has been through JSON, as it travels) gives b; patches carry what changed, by id; a
// patch on another revision than the one held is a gap, never applied.
import { describe, expect, it } from 'vitest';
import type { ProjectChange, ProjectState } from '../../../shared/api';
import { ProjectChangeSchema } from '../../../shared/api';
import { applyProjectChange, applyProjectPatch, diffProject, isEmptyPatch } from '../../../shared/project-patch';
import { ProjectSchema, type Project, type Take } from '../../../shared/schema';

function take(id: string, status: Take['status'] = 'ready'): Take {
  return {
    id,
    jobId: `job_${id}`,
    provider: 'animatic',
    tier: 'standard',
    request: { hash: `h_${id}`, params: { prompt: 'storm', duration: 5 } },
    status,
    estimatedUsd: 0,
    review: { rating: 0, flag: 'none', notes: [] },
    createdAt: '2026-01-01T00:00:00.000Z',
    ...(status === 'ready' ? { media: { path: `media/takes/${id}.mp4`, sha256: 'x', durationSec: 5, width: 1280, height: 720, fps: 24, hasAudio: false } } : {}),
  };
}

function project(count: number): Project {
  return ProjectSchema.parse({
    schemaVersion: 1,
    id: 'prj_test',
    name: 'Test',
    settings: {},
    shots: Array.from({ length: count }, (_, i) => ({
      id: `shot_${i}`,
      title: `Shot ${i + 1}`,
      prompt: `prompt ${i}`,
      durationSec: 3 + (i % 5),
      takes: i % 2 ? [take(`t${i}a`), take(`t${i}b`, 'failed')] : [],
    })),
    audioLanes: [{ id: 'lane_1', kind: 'music', path: 'media/audio/a.mp3', durationSec: 30 }],
  });
}

function edited(p: Project, change: (draft: Project) => void): Project {
  const draft = structuredClone(p);
  change(draft);
  return ProjectSchema.parse(draft);
}

/** The patch as the other side receives it: through JSON. */
function roundTrip(a: Project, b: Project): { patch: ReturnType<typeof diffProject>; result: Project } {
  const patch = JSON.parse(JSON.stringify(diffProject(a, b))) as ReturnType<typeof diffProject>;
  return { patch, result: applyProjectPatch(a, patch) };
}

const cases: Array<[string, (p: Project) => void]> = [
  ['a shot added in the middle', (p) => void p.shots.splice(2, 0, ProjectSchema.shape.shots.element.parse({ id: 'shot_new', prompt: 'new', durationSec: 4 }))],
  ['shots added at both ends', (p) => {
    p.shots.unshift(ProjectSchema.shape.shots.element.parse({ id: 'shot_first', durationSec: 4 }));
    p.shots.push(ProjectSchema.shape.shots.element.parse({ id: 'shot_last', durationSec: 4 }));
  }],
  ['a shot deleted', (p) => void p.shots.splice(3, 1)],
  ['every shot deleted', (p) => void (p.shots = [])],
  ['a shot moved earlier', (p) => void p.shots.splice(1, 0, ...p.shots.splice(5, 1))],
  ['shots reversed, one deleted and one added', (p) => {
    p.shots.reverse();
    p.shots.splice(2, 1);
    p.shots.splice(4, 0, ProjectSchema.shape.shots.element.parse({ id: 'shot_x', durationSec: 9 }));
  }],
  ['a prompt typed', (p) => void (p.shots[4].prompt += ' at dusk')],
  ['an optional field set and removed', (p) => {
    p.shots[0].aspectRatio = '9:16';
    delete p.shots[1].selectedTakeId;
    p.shots[2].trim = { inSec: 1.5 };
  }],
  ['a take added, one changing status and one removed', (p) => {
    p.shots[0].takes.push(take('t0new', 'queued'));
    p.shots[1].takes[0].status = 'failed';
    p.shots[1].takes[0].error = 'refused';
    p.shots[3].takes.splice(1, 1);
  }],
  ['takes reordered and a review note added', (p) => {
    p.shots[5].takes.reverse();
    p.shots[5].takes[0].review.notes.push({ atSec: 2, text: 'nice' });
  }],
  ['a lane added, one changed', (p) => {
    p.audioLanes[0].gainDb = -6;
    p.audioLanes.push({ id: 'lane_2', kind: 'voiceover', path: 'media/audio/b.wav', startSec: 4, gainDb: 0, duck: false });
  }],
  ['every lane removed', (p) => void (p.audioLanes = [])],
  ['settings changed, budget removed and added', (p) => {
    p.settings.provider = 'fal';
    p.settings.crossfadeSec = 0.5;
    p.settings.shotDefaults.durationSec = 8;
    p.settings.budgetUsd = 12;
  }],
  ['groups, voices and elements', (p) => {
    p.groups.push({ id: 'grp_1', shotIds: ['shot_1', 'shot_2'], shotType: 'customize' });
    p.voices.push({ id: 'voice_1', name: 'Narrator', providerIds: {} });
    p.elements.push({ id: 'el_1', name: 'Keeper', images: ['media/el/a.png'], providerIds: {}, kind: 'character' as const });
    p.name = 'Renamed';
  }],
];

describe('project patches', () => {
  const a = project(8);
  for (const [name, change] of cases) {
    it(`apply(patch(a, b), a) deep-equals b: ${name}`, () => {
      const b = edited(a, change);
      const { patch, result } = roundTrip(a, b);
      expect(isEmptyPatch(patch)).toBe(false);
      expect(result).toEqual(b);
      expect(JSON.stringify(result)).toBe(JSON.stringify(b));
    });
  }

  it('follows a long random run of edits (each patch applied to the result of the one before)', () => {
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const newShot = (id: string) => ProjectSchema.shape.shots.element.parse({ id, prompt: `p ${id}`, durationSec: 3 + rnd(10), takes: rnd(2) ? [take(`t_${id}`)] : [] });
    const ops: Array<(p: Project, step: number) => void> = [
      (p, step) => void p.shots.splice(rnd(p.shots.length + 1), 0, newShot(`s${step}`)),
      (p) => void p.shots.splice(rnd(p.shots.length), 1),
      (p) => p.shots.length && p.shots.splice(rnd(p.shots.length), 0, ...p.shots.splice(rnd(p.shots.length), 1)),
      (p) => p.shots.length && (p.shots[rnd(p.shots.length)].prompt += ' x'),
      (p) => p.shots.length && (p.shots[rnd(p.shots.length)].trim = rnd(2) ? { inSec: rnd(3) } : undefined),
      (p, step) => p.shots.length && p.shots[rnd(p.shots.length)].takes.splice(rnd(3), 0, take(`t${step}`, rnd(2) ? 'queued' : 'ready')),
      (p) => {
        const shot = p.shots.find((s) => s.takes.length);
        if (shot) shot.takes[rnd(shot.takes.length)].status = (['running', 'failed', 'ready'] as const)[rnd(3)];
      },
      (p) => p.shots.reverse(),
      (p, step) => (rnd(2) ? p.audioLanes.push({ id: `lane${step}`, kind: 'music', path: 'media/audio/x.mp3', startSec: step, gainDb: 0, duck: true }) : p.audioLanes.pop()),
      (p) => (p.settings.budgetUsd = rnd(2) ? rnd(50) : undefined),
    ];
    let truth = project(12);
    let mirror = truth;
    for (let step = 0; step < 400; step++) {
      const next = edited(truth, (p) => {
        for (let n = 1 + rnd(3); n > 0; n--) ops[rnd(ops.length)](p, step * 10 + n);
      });
      mirror = applyProjectPatch(mirror, JSON.parse(JSON.stringify(diffProject(truth, next))));
      truth = next;
      expect(JSON.stringify(mirror)).toBe(JSON.stringify(truth));
    }
  });

  it('carries only what changed: typing in one prompt of 1,000 shots sends that prompt, not the shots', () => {
    const big = project(1000);
    const b = edited(big, (p) => void (p.shots[500].prompt = 'prompt 500 and a storm'));
    const patch = diffProject(big, b);
    expect(patch).toEqual({ lists: { shots: { change: [{ id: 'shot_500', set: { prompt: 'prompt 500 and a storm' } }] } } });
    // A take changing status sends that take's status, not the shot's other takes.
    const c = edited(big, (p) => void (p.shots[1].takes[1].status = 'canceled'));
    expect(diffProject(big, c)).toEqual({ lists: { shots: { change: [{ id: 'shot_1', lists: { takes: { change: [{ id: 't1b', set: { status: 'canceled' } }] } } }] } } });
    // A move sends the order, not the shots.
    const d = edited(big, (p) => void p.shots.push(p.shots.shift()!));
    const moved = diffProject(big, d);
    expect(Object.keys(moved.lists!.shots)).toEqual(['order']);
    expect(JSON.stringify(moved).length).toBeLessThan(JSON.stringify(big).length / 5);
  });

  it('leaves the base untouched and keeps every unchanged shot and take as the same object', () => {
    const base = project(6);
    const frozen = structuredClone(base);
    const b = edited(base, (p) => {
      p.shots[1].takes[0].review.rating = 4;
      p.shots.splice(4, 1);
    });
    const result = applyProjectPatch(base, JSON.parse(JSON.stringify(diffProject(base, b))));
    expect(base).toEqual(frozen);
    expect(result.shots[0]).toBe(base.shots[0]);
    expect(result.shots[1]).not.toBe(base.shots[1]);
    expect(result.shots[1].takes[1]).toBe(base.shots[1].takes[1]);
    expect(result.audioLanes).toBe(base.audioLanes);
    expect(result.settings).toBe(base.settings);
  });

  it('an unchanged document is an empty patch', () => {
    const base = project(5);
    expect(isEmptyPatch(diffProject(base, ProjectSchema.parse(JSON.parse(JSON.stringify(base)))))).toBe(true);
  });
});

describe('applyProjectChange', () => {
  const base: ProjectState = { project: project(3), rev: 4, folderName: 'p.storyreel', saved: true, history: { undo: 'Add shot' } };
  const next = edited(base.project, (p) => void (p.shots[0].title = 'Dawn'));
  const patchEvent = (over: Partial<Extract<ProjectChange, { patch: unknown }>> = {}): ProjectChange =>
    ProjectChangeSchema.parse(JSON.parse(JSON.stringify({ rev: 5, baseRev: 4, patch: diffProject(base.project, next), saved: false, history: { undo: 'Rename shot' }, ...over })));

  it('applies a patch on the revision held: document, revision, save status and history', () => {
    const after = applyProjectChange(base, patchEvent());
    expect(after).toEqual({ project: next, rev: 5, folderName: 'p.storyreel', saved: false, history: { undo: 'Rename shot' } });
  });

  it('is a gap (undefined) when the patch is for another revision, or nothing is held yet', () => {
    expect(applyProjectChange(base, patchEvent({ baseRev: 3 }))).toBeUndefined();
    expect(applyProjectChange({ ...base, rev: 5 }, patchEvent())).toBeUndefined();
    expect(applyProjectChange(null, patchEvent())).toBeUndefined();
  });

  it('a save-status change keeps the document and says what failed, then that it is saved', () => {
    const failed = applyProjectChange(base, patchEvent({ rev: 4, baseRev: 4, patch: {}, saved: false, saveError: { reason: 'disk-full', message: 'The disk is full' }, history: base.history }))!;
    expect(failed.project).toBe(base.project);
    expect(failed.saveError).toEqual({ reason: 'disk-full', message: 'The disk is full' });
    const saved = applyProjectChange(failed, patchEvent({ rev: 4, baseRev: 4, patch: {}, saved: true, history: base.history }))!;
    expect(saved.saveError).toBeUndefined();
    expect(saved.saved).toBe(true);
  });

  it('takes a whole state as it is, whatever revision is held', () => {
    const whole = ProjectChangeSchema.parse({ ...base, rev: 1 });
    expect(applyProjectChange(base, whole)).toEqual({ ...base, rev: 1 });
  });
});
