// The prompt-length message: the 2500-character limit is the same on every provider (docs/providers.md), so
// it names none — it used to say "Kling accepts…" while fal was the chosen provider.
import { describe, expect, it } from 'vitest';
import { MAX_PROMPT_CHARS } from '../../../shared/schema';
import { CAPABILITIES } from '../../../shared/capabilities';
import { validatePrompt } from '../../../renderer/src/features/inspector/validation';

describe('prompt length message', () => {
  it('says the limit and how much to cut, without naming a provider', () => {
    const message = validatePrompt('x'.repeat(MAX_PROMPT_CHARS + 12));
    expect(message).toContain(`${MAX_PROMPT_CHARS} characters`);
    expect(message).toContain('shorten it by 12');
    for (const caps of Object.values(CAPABILITIES)) {
      expect(message).not.toContain(caps.label.split(' ')[0]);
    }
    expect(message).not.toMatch(/kling|fal|replicate|lumenfall/i);
  });

  it('has nothing to say at the limit', () => {
    expect(validatePrompt('x'.repeat(MAX_PROMPT_CHARS))).toBeNull();
  });
});
