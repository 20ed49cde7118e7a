// A shot may be 1–2 s only inside a multi-shot group (Kling V3's per-shot floor, shared/limits.ts); on its
// own it stays 3–15 s. The shot commands refuse the rest, naming the shot and the field, and keep the length.
import { describe, expect, it } from 'vitest';
import { applyShotPatch } from '../../../electron/core/project/shot-patch';
import { ProjectSchema } from '../../../shared/schema';

const project = (provider: 'fal' | 'lumenfall' | 'replicate' = 'fal') =>
  ProjectSchema.parse({
    schemaVersion: 1,
    id: 'p',
    name: 'Storm',
    settings: { provider },
    shots: [
      { id: 'a', title: 'Wide', durationSec: 5 },
      { id: 'b', title: 'Flash', durationSec: 4 },
      { id: 'c', title: 'Keeper', durationSec: 4 },
    ],
    groups: [{ id: 'g', shotIds: ['b', 'c'] }],
  });

describe('shot length in and out of a group', () => {
  it('lets a grouped shot be 1 s on fal and Lumenfall, and refuses 2 s for a shot on its own', () => {
    for (const provider of ['fal', 'lumenfall'] as const) {
      const p = project(provider);
      applyShotPatch(p, p.shots[1], { durationSec: 1 });
      expect(p.shots[1].durationSec).toBe(1);
      expect(() => applyShotPatch(p, p.shots[0], { durationSec: 2 })).toThrow(
        'Shot 1 “Wide”, duration: 2 s is refused — a shot on its own is 3–15 s (1–2 s shots only inside a multi-shot group); it stays 5 s.',
      );
      expect(p.shots[0].durationSec).toBe(5);
    }
  });
});
