import { describe, expect, it } from 'vitest';
import { formatIssue, validateSpec, type GenerationSpec } from '../../../shared/validate';
import { estimateUsd, PRICING } from '../../../shared/pricing';
import { CAPABILITIES } from '../../../shared/capabilities';
import { specFactory } from '../../helpers/spec';

const at = { shotId: 's1', shotLabel: 'shot 1 “Storm”' };
const spec = specFactory({ provider: 'fal', prompt: 'A lighthouse in a storm' });
const messages = (s: GenerationSpec) => validateSpec(s, at).map(formatIssue);

describe('generation validation', () => {
  it('accepts a plain text-to-video shot', () => {
    expect(messages(spec())).toEqual([]);
  });

  it('refuses a 20 s shot, naming shot and field', () => {
    expect(messages(spec({ durationSec: 20 }))).toEqual(['shot 1 “Storm”, duration: 20 s is outside 3–15 s']);
  });

  it('refuses a 7-shot group and checks that shots add up to the total', () => {
    const shots = Array.from({ length: 7 }, (_, i) => ({ shotId: `g${i}`, label: `shot ${i + 1}`, prompt: 'p', durationSec: 3 }));
    const issues = messages(spec({ prompt: undefined, shots, durationSec: 15 }));
    expect(issues).toContain('shot 1 “Storm”, group: 7 shots in one request; fal.ai allows 1–6');
    expect(issues).toContain('shot 1 “Storm”, duration: the shots add up to 21 s but the request is 15 s');
  });

  it("applies each provider's per-shot minimum in a group", () => {
    const shots = [
      { shotId: 'a', label: 'shot 1', prompt: 'wide', durationSec: 2 },
      { shotId: 'b', label: 'shot 2', prompt: 'close', durationSec: 4 },
    ];
    // fal's KlingV3MultiPromptElement.duration enum runs "1"…"15" (docs/providers.md §2.5): a 2 s shot is fine.
    expect(messages(spec({ prompt: undefined, shots, durationSec: 6 }))).toEqual([]);
    expect(messages(spec({ provider: 'kling', prompt: undefined, shots, durationSec: 6 }))).toEqual([]);
    const tooShort = [{ ...shots[0], durationSec: 0 }, { ...shots[1], durationSec: 6 }];
    expect(messages(spec({ prompt: undefined, shots: tooShort, durationSec: 6 }))).toEqual(["shot 1, duration: 0 s is below fal.ai's 1 s minimum per shot in a group"]);
  });

  it('wants prompt XOR shots and caps per-shot prompts at 512 characters', () => {
    const shots = [{ shotId: 'a', label: 'shot 1', prompt: 'x'.repeat(513), durationSec: 5 }];
    expect(messages(spec({ shots, durationSec: 5 }))).toEqual([
      'shot 1, prompt: 513 characters; a shot in a group allows 512',
      'shot 1 “Storm”, prompt: give either one prompt or per-shot prompts, not both',
    ]);
    expect(messages(spec({ prompt: '  ' }))).toEqual(['shot 1 “Storm”, prompt: is empty']);
    expect(messages(spec({ prompt: 'x'.repeat(2501) }))).toEqual(['shot 1 “Storm”, prompt: 2501 characters; the limit is 2500']);
  });

  it('refuses voices on Replicate, voices without audio, and voices with elements where voices are listed beside the prompt (Kling)', () => {
    expect(messages(spec({ provider: 'replicate', audio: true, voiceIds: ['v1'] }))).toEqual(['shot 1 “Storm”, voices: Replicate has no voice control']);
    expect(messages(spec({ provider: 'kling', voiceIds: ['v1'] }))).toEqual(['shot 1 “Storm”, voices: voices need native audio switched on']);
    expect(messages(spec({ provider: 'kling', audio: true, voiceIds: ['v1', 'v2', 'v3'] }))).toEqual(['shot 1 “Storm”, voices: 3 voices; at most 2']);
    const withElements = spec({ provider: 'kling', audio: true, voiceIds: ['v1'], startFrame: 'a.png', elements: [{ name: 'Hero', libraryId: '8' }] });
    expect(messages(withElements)).toEqual(['shot 1 “Storm”, voices: Kling (official API) takes voices or characters in one request, not both: remove the characters from this shot or the voices from its lines (nothing was sent; the shot is kept as it is)']);
  });

  it('on fal, a voice is bound to a character: shot voices are refused, a voice on a character given as a video is taken', () => {
    // fal-js endpoints.ts: no top-level voice_ids on any v3 input; KlingV3ComboElementInput.voice_id, video elements only.
    expect(messages(spec({ audio: true, voiceIds: ['v1'] }))).toEqual([
      "shot 1 “Storm”, voices: fal.ai binds a voice to a character: add a character with this voice (nothing was sent; the shot's voices are kept)",
    ]);
    const hero = { name: 'Hero', video: 'chars/hero.mp4', voiceId: 'v1' };
    expect(messages(spec({ audio: true, startFrame: 'a.png', elements: [hero] }))).toEqual([]);
    expect(messages(spec({ audio: true, startFrame: 'a.png', elements: [{ name: 'Hero', frontal: 'h.png', voiceId: 'v1' }] }))).toEqual([
      'shot 1 “Storm”, voices: character “Hero” has a voice but no video; fal.ai binds a voice only to a character given as a video',
    ]);
    expect(messages(spec({ audio: false, startFrame: 'a.png', elements: [hero] }))).toEqual(['shot 1 “Storm”, voices: voices need native audio switched on']);
    expect(messages(spec({ provider: 'kling', audio: true, startFrame: 'a.png', elements: [{ ...hero, libraryId: '8' }] }))).toEqual([
      'shot 1 “Storm”, voices: Kling (official API) does not bind voices to characters',
    ]);
  });

  it('refuses an end frame without a start frame, and in a group', () => {
    expect(messages(spec({ endFrame: 'b.png' }))).toEqual(['shot 1 “Storm”, end frame: an end frame needs a start frame']);
    const shots = [{ shotId: 'a', label: 'shot 1', prompt: 'p', durationSec: 5 }];
    expect(messages(spec({ prompt: undefined, shots, startFrame: 'a.png', endFrame: 'b.png' }))).toEqual([
      'shot 1 “Storm”, end frame: an end frame cannot be used in a multi-shot group',
    ]);
  });

  it('needs library ids for Kling elements and refuses elements on Replicate', () => {
    expect(messages(spec({ provider: 'kling', startFrame: 'a.png', elements: [{ name: 'Hero' }] }))).toEqual([
      'shot 1 “Storm”, elements: element “Hero” has no Kling (official API) element id',
    ]);
    expect(messages(spec({ provider: 'replicate', startFrame: 'a.png', elements: [{ name: 'Hero', frontal: 'h.png' }] }))).toContain(
      'shot 1 “Storm”, elements: Replicate does not take characters (elements): remove “Hero” from this shot or pick another provider (nothing was sent)',
    );
  });

  it('checks inline elements: at least one image each, and at most 3 reference images beside the front view', () => {
    const at3 = { name: 'Hero', frontal: 'h.png', references: ['a.png', 'b.png', 'c.png'] };
    expect(messages(spec({ startFrame: 's.png', elements: [at3] }))).toEqual([]);
    expect(messages(spec({ startFrame: 's.png', elements: [{ name: 'Solo', frontal: 'h.png' }] }))).toEqual([]);
    expect(messages(spec({ startFrame: 's.png', elements: [{ ...at3, references: [...at3.references, 'd.png'] }] }))).toEqual([
      'shot 1 “Storm”, elements: element “Hero” has 4 reference images besides its front view; fal.ai takes at most 3',
    ]);
    // An element known only by its Kling id cannot go to fal or Lumenfall, and is refused before any money is spent.
    const kid = { name: 'Kid', references: [], libraryId: '8123' };
    expect(messages(spec({ startFrame: 's.png', elements: [kid] }))).toEqual(['shot 1 “Storm”, elements: element “Kid” has no image; fal.ai takes element images, not library ids']);
    expect(messages(spec({ provider: 'lumenfall', startFrame: 's.png', elements: [kid] }))).toEqual([
      'shot 1 “Storm”, elements: element “Kid” has no image; Lumenfall takes element images, not library ids',
    ]);
    expect(messages(spec({ provider: 'kling', startFrame: 's.png', elements: [kid] }))).toEqual([]);
  });

  it("follows Lumenfall's route: the fal route binds voices to characters, pro goes through Replicate and loses voices and elements", () => {
    const voiced = spec({ provider: 'lumenfall', audio: true, startFrame: 'a.png', elements: [{ name: 'Hero', video: 'chars/hero.mp4', voiceId: 'v1' }] });
    expect(messages(voiced)).toEqual([]);
    expect(messages(spec({ provider: 'lumenfall', audio: true, voiceIds: ['v1'] }))[0]).toMatch(/voices: Lumenfall binds a voice to a character/);
    expect(messages({ ...voiced, tier: 'pro' })).toContain('shot 1 “Storm”, voices: Lumenfall does not bind voices to characters');
    const shots = [
      { shotId: 'a', label: 'shot 1', prompt: 'wide', durationSec: 2 },
      { shotId: 'b', label: 'shot 2', prompt: 'close', durationSec: 4 },
    ];
    expect(messages(spec({ provider: 'lumenfall', prompt: undefined, shots, durationSec: 6 }))).toEqual([]);
    expect(messages(spec({ provider: 'lumenfall', tier: 'pro', prompt: undefined, shots, durationSec: 6 }))).toEqual([]);
  });

  it('refuses tiers a provider does not sell', () => {
    expect(messages(spec({ provider: 'kling', tier: '4k' }))).toEqual(['shot 1 “Storm”, tier: Kling (official API) has no 4k tier (it offers standard, pro)']);
  });
});

describe('pricing', () => {
  it('prices fal per second by tier, audio and voice control', () => {
    expect(estimateUsd({ provider: 'fal', tier: 'standard', durationSec: 10, audio: false, voiceControl: false })).toBe(0.84);
    expect(estimateUsd({ provider: 'fal', tier: 'pro', durationSec: 5, audio: true, voiceControl: false })).toBe(0.84);
    expect(estimateUsd({ provider: 'fal', tier: 'pro', durationSec: 5, audio: true, voiceControl: true })).toBe(0.98);
    expect(estimateUsd({ provider: 'animatic', tier: 'pro', durationSec: 15, audio: true, voiceControl: true })).toBe(0);
  });

  it('has a dated rate for every tier every provider offers', () => {
    for (const caps of Object.values(CAPABILITIES)) {
      for (const tier of caps.tiers) {
        const card = PRICING[caps.id][tier];
        expect(card, `${caps.id} ${tier}`).toBeDefined();
        expect(card!.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
  });
});
