import { describe, expect, it } from 'vitest';
import { shotCapabilities } from '../../../renderer/src/features/inspector/shot-capabilities';
import { validateDialogue, validateDuration, parseDialogue, formatDialogue } from '../../../renderer/src/features/inspector/validation';

describe('shotCapabilities: what the inspector offers, and why not', () => {
  it('offers everything for the local animatic', () => {
    const c = shotCapabilities('animatic', 'standard');
    for (const f of ['negativePrompt', 'cfgScale', 'nativeAudio', 'voices', 'elements', 'startFrame', 'endFrame'] as const) expect(c.reason(f)).toBeNull();
    expect(c.aspectReason('9:16')).toBeNull();
    expect(c.durationRange).toEqual({ min: 3, max: 15 });
  });

  it('names Replicate for what it cannot take', () => {
    const c = shotCapabilities('replicate', 'standard');
    expect(c.reason('voices')).toBe('Replicate does not take voices for Kling V3');
    expect(c.reason('cfgScale')).toBe('Replicate does not take a CFG scale for Kling V3');
    expect(c.reason('elements')).toBe('Replicate does not take elements for Kling V3');
    expect(c.reason('startFrame')).toBeNull();
  });

  it('names the tier when only that tier loses a feature (Lumenfall Pro goes through Replicate)', () => {
    expect(shotCapabilities('lumenfall', 'standard').reason('voices')).toBeNull();
    expect(shotCapabilities('lumenfall', 'pro').reason('voices')).toBe('Lumenfall (Pro tier) does not take voices for Kling V3');
  });
});

describe('field rules', () => {
  it('duration follows the given range', () => {
    expect(validateDuration('5')).toBeNull();
    expect(validateDuration('2')).toMatch(/3 to 15/);
    expect(validateDuration('4.5')).toMatch(/whole number/);
    expect(validateDuration('', { min: 4, max: 10 })).toMatch(/4 to 10/);
  });

  it('dialogue round-trips and refuses what the core would refuse', () => {
    const lines = [{ speaker: 'Mara', text: 'Light the lamp.' }];
    expect(parseDialogue(formatDialogue(lines))).toEqual(lines);
    expect(validateDialogue(formatDialogue(lines))).toBeNull();
    expect(validateDialogue(formatDialogue([{ speaker: 'x'.repeat(81), text: '' }]))).toMatch(/Speaker 1/);
    expect(validateDialogue(formatDialogue(Array.from({ length: 21 }, () => ({ speaker: '', text: 'a' }))))).toMatch(/at most 20/);
  });
});
