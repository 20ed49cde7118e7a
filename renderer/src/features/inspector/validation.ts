// Field rules, worded for a person. They match the contract's schema so nothing invalid is ever sent.
import { MAX_PROMPT_CHARS, MAX_SHOT_SECONDS, MIN_SHOT_SECONDS } from '../../../../shared/schema';

export const MAX_TITLE_CHARS = 200;

export function validateTitle(text: string): string | null {
  return text.length > MAX_TITLE_CHARS ? `Titles are at most ${MAX_TITLE_CHARS} characters (${text.length} now).` : null;
}

export function validatePrompt(text: string): string | null {
  return text.length > MAX_PROMPT_CHARS
    ? `Kling accepts at most ${MAX_PROMPT_CHARS} characters; shorten it by ${text.length - MAX_PROMPT_CHARS}. It is not saved until then.`
    : null;
}

export function validateDuration(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return `Enter a length from ${MIN_SHOT_SECONDS} to ${MAX_SHOT_SECONDS} seconds.`;
  if (!/^\d+$/.test(trimmed)) return 'Use a whole number of seconds.';
  const n = Number(trimmed);
  if (n < MIN_SHOT_SECONDS || n > MAX_SHOT_SECONDS) return `Kling V3 makes shots of ${MIN_SHOT_SECONDS} to ${MAX_SHOT_SECONDS} seconds.`;
  return null;
}
