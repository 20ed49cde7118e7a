// Every place that checks a field holds it to the one limit of shared/limits.ts: the document, the
// contract, the check before sending, the inspector's field rules and the capability table agree at the edge.
import { describe, expect, it } from 'vitest';
import { validateDuration, validatePrompt, validateTitle } from '../../../renderer/src/features/inspector/validation';
import { methods } from '../../../shared/api';
import { CAPABILITIES, PROVIDER_IDS, shotDurationRange } from '../../../shared/capabilities';
import { MAX_PROMPT_CHARS, MAX_SHOT_SECONDS, MAX_TITLE_CHARS, MIN_GROUP_SHOT_SECONDS, MIN_SHOT_SECONDS } from '../../../shared/limits';
import { SettingsPatchSchema, ShotPatchSchema } from '../../../shared/schema';
import { validateSpec, type GenerationSpec } from '../../../shared/validate';

const spec = (over: Partial<GenerationSpec>): GenerationSpec => ({
  provider: 'fal', tier: 'standard', aspectRatio: '16:9', durationSec: 5, audio: false, cfgScale: 0.5, negativePrompt: '', prompt: 'a harbour', voiceIds: [], elements: [], ...over,
});
const sendable = (over: Partial<GenerationSpec>) => validateSpec(spec(over), { shotLabel: 'shot 1' }).length === 0;
const addable = (input: Record<string, unknown>) => methods['shots.add'].input.safeParse(input).success;

describe('one limit for each field', () => {
  it('a prompt or negative prompt of 2,500 characters is kept and sent everywhere; one more is refused everywhere', () => {
    expect(MAX_PROMPT_CHARS).toBe(2500);
    for (const [n, ok] of [[MAX_PROMPT_CHARS, true], [MAX_PROMPT_CHARS + 1, false]] as const) {
      const text = 'x'.repeat(n);
      expect(ShotPatchSchema.safeParse({ prompt: text }).success, `document prompt ${n}`).toBe(ok);
      expect(ShotPatchSchema.safeParse({ negativePrompt: text }).success, `document negative ${n}`).toBe(ok);
      expect(SettingsPatchSchema.safeParse({ shotDefaults: { negativePrompt: text } }).success, `default negative ${n}`).toBe(ok);
      expect(addable({ prompt: text }), `shots.add ${n}`).toBe(ok);
      expect(sendable({ prompt: text }), `validate prompt ${n}`).toBe(ok);
      expect(sendable({ negativePrompt: text }), `validate negative ${n}`).toBe(ok);
      expect(validatePrompt(text) === null, `inspector ${n}`).toBe(ok);
    }
  });

  it('a title of 200 characters is kept everywhere; 201 is refused everywhere', () => {
    for (const [n, ok] of [[MAX_TITLE_CHARS, true], [MAX_TITLE_CHARS + 1, false]] as const) {
      const text = 't'.repeat(n);
      expect(ShotPatchSchema.safeParse({ title: text }).success).toBe(ok);
      expect(addable({ title: text })).toBe(ok);
      expect(validateTitle(text) === null).toBe(ok);
    }
  });

  it('a shot on its own is 3 to 15 s in the contract, the defaults, the inspector and every provider of the table', () => {
    for (const [n, ok] of [[MIN_SHOT_SECONDS - 1, false], [MIN_SHOT_SECONDS, true], [MAX_SHOT_SECONDS, true], [MAX_SHOT_SECONDS + 1, false]] as const) {
      expect(SettingsPatchSchema.safeParse({ shotDefaults: { durationSec: n } }).success, `default ${n}`).toBe(ok);
      expect(addable({ durationSec: n }), `shots.add ${n}`).toBe(ok);
      expect(validateDuration(String(n)) === null, `inspector ${n}`).toBe(ok);
      expect(sendable({ durationSec: n }), `validate ${n}`).toBe(ok);
      for (const id of PROVIDER_IDS) {
        const alone = shotDurationRange(CAPABILITIES[id], false);
        expect(n >= alone.min && n <= alone.max, `${id} ${n}`).toBe(ok);
      }
    }
  });

  it('a shot inside a multi-shot group may be 1 s in the document, the inspector and on every provider (fal: duration enum "1"…"15")', () => {
    expect(MIN_GROUP_SHOT_SECONDS).toBe(1);
    for (const [n, ok] of [[0, false], [1, true], [2, true], [MAX_SHOT_SECONDS + 1, false]] as const) {
      expect(ShotPatchSchema.safeParse({ durationSec: n }).success, `document ${n}`).toBe(ok);
      for (const id of PROVIDER_IDS) {
        const range = shotDurationRange(CAPABILITIES[id], true);
        expect(n >= range.min && n <= range.max, `${id} ${n}`).toBe(ok);
        expect(validateDuration(String(n), range) === null, `inspector ${id} ${n}`).toBe(ok);
      }
    }
    const shots = [
      { shotId: 'a', label: 'shot 1', prompt: 'lightning', durationSec: 1 },
      { shotId: 'b', label: 'shot 2', prompt: 'the keeper looks up', durationSec: 2 },
    ];
    // Two shots of 1 s and 2 s make a 3 s group: sendable on fal and Lumenfall alike.
    expect(sendable({ prompt: undefined, shots, durationSec: 3 })).toBe(true);
    expect(sendable({ provider: 'lumenfall', prompt: undefined, shots, durationSec: 3 })).toBe(true);
  });
});
