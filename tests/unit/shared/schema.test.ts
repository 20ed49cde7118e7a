import { describe, expect, it } from 'vitest';
import { ProjectSchema, SettingsPatchSchema, ShotPatchSchema, ShotSchema, describeIssues } from '../../../shared/schema';
import { methods } from '../../../shared/api';

describe('document schemas', () => {
  it('fills a new shot with the defaults a person expects', () => {
    const shot = ShotSchema.parse({ id: 's1', durationSec: 5 });
    expect(shot).toMatchObject({ title: '', prompt: '', cfgScale: 0.5, takes: [], audio: { native: false, voiceIds: [], dialogue: [] } });
  });

  it('refuses a 20 s shot and says why, naming the field', () => {
    const result = ShotSchema.safeParse({ id: 's1', durationSec: 20 });
    expect(result.success).toBe(false);
    expect(describeIssues(result.error!)).toEqual(['durationSec: duration must be at most 15 s']);
  });

  it('refuses fractional durations and prompts over 2500 characters', () => {
    expect(ShotSchema.safeParse({ id: 's', durationSec: 4.5 }).success).toBe(false);
    expect(ShotSchema.safeParse({ id: 's', durationSec: 4, prompt: 'x'.repeat(2501) }).success).toBe(false);
    expect(ShotSchema.safeParse({ id: 's', durationSec: 4, prompt: 'x'.repeat(2500) }).success).toBe(true);
  });

  it('keeps media paths inside the project folder', () => {
    const base = { id: 's', durationSec: 4 };
    expect(ShotSchema.safeParse({ ...base, startFrame: 'media/refs/a.png' }).success).toBe(true);
    for (const bad of ['../outside.png', '/etc/passwd', 'C:\\Users\\x.png', 'media/../../x.png']) {
      expect(ShotSchema.safeParse({ ...base, startFrame: bad }).success, bad).toBe(false);
    }
  });

  it('rejects a project with an unknown schema version', () => {
    expect(ProjectSchema.safeParse({ schemaVersion: 99, id: 'p', name: 'n', settings: {}, shots: [] }).success).toBe(false);
  });

  it('validates method input at the contract, with field names', () => {
    const bad = methods['shots.update'].input.safeParse({ id: 's1', patch: { durationSec: 0 } });
    expect(bad.success).toBe(false);
    expect(describeIssues(bad.error!)[0]).toMatch(/^patch\.durationSec: duration must be at least 1 s \(3 s for a shot outside a group\)/);
    expect(methods['shots.update'].input.safeParse({ id: 's1', patch: { title: 'Ok' } }).success).toBe(true);
  });

  it('a patch of one field changes only that field (defaults never fill a patch)', () => {
    expect(ShotPatchSchema.parse({ durationSec: 3 })).toEqual({ durationSec: 3 });
    expect(SettingsPatchSchema.parse({ tier: 'pro' })).toEqual({ tier: 'pro' });
    expect(ShotPatchSchema.safeParse({ takes: [] }).success).toBe(false);
  });
});
