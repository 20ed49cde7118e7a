// A shot whose earlier request waits for a decision is left out of Generate all (it may be charged already),
// whatever became of the shot since; a shot the person names is still generated, priced, as asked.
import { describe, expect, it } from 'vitest';
import { newProject, newShot } from '../../../electron/core/project/project-folder';
import { chooseUnits, waitingShots } from '../../../electron/core/jobs/plan-units';
import { workUnits } from '../../../shared/work-units';

const project = () =>
  newProject('p', [newShot({ title: 'Harbour', prompt: 'The harbour at dawn', durationSec: 5 }), newShot({ title: 'Lamp', prompt: 'The lamp turns', durationSec: 4 })]);

describe('waitingShots + chooseUnits', () => {
  it('Generate all leaves out a shot with a job that needs attention, and says which job', () => {
    const p = project();
    const [harbour, lamp] = p.shots.map((s) => s.id);
    const waiting = waitingShots([{ id: 'job_1', status: 'needs-attention', provider: 'fal', shotIds: [harbour] }]);
    const choice = chooseUnits({ project: p, units: workUnits(p, 'fal'), provider: 'fal', waiting });
    expect(choice.chosen.map((u) => u.shotIds)).toEqual([[lamp]]);
    expect(choice.skipped).toEqual([{ shotId: harbour, reason: expect.stringMatching(/^waiting for a decision: .*job job_1.*fal\.ai/) }]);
  });

  it('jobs that are ready, failed, canceled or under way hold nothing back', () => {
    const p = project();
    const [harbour] = p.shots.map((s) => s.id);
    for (const status of ['ready', 'failed', 'canceled', 'queued', 'submitting', 'submitted', 'running', 'downloading'] as const) {
      expect(waitingShots([{ id: 'job_1', status, provider: 'fal', shotIds: [harbour] }]).size, status).toBe(0);
    }
  });

  it('a shot the person names is left out too while its earlier request waits, and another named shot still goes', () => {
    const p = project();
    const [harbour, second] = p.shots.map((s) => s.id);
    const waiting = waitingShots([{ id: 'job_1', status: 'needs-attention', provider: 'fal', shotIds: [harbour] }]);
    const choice = chooseUnits({ project: p, units: workUnits(p, 'fal'), provider: 'fal', shotIds: [harbour, second], waiting });
    expect(choice.chosen.map((u) => u.shotIds)).toEqual([[second]]);
    expect(choice.skipped).toEqual([{ shotId: harbour, reason: expect.stringMatching(/^waiting for a decision: its earlier request \(job job_1\) may have reached fal\.ai/) }]);
  });
});
