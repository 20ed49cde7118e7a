// Field rules, worded for a person. They match the contract's schema so nothing invalid is ever sent.
import { MAX_DIALOGUE_LINES, MAX_LINE_CHARS, MAX_PROMPT_CHARS, MAX_SHOT_SECONDS, MAX_SPEAKER_CHARS, MAX_TITLE_CHARS, MIN_SHOT_SECONDS } from '../../../../shared/limits';

export { MAX_DIALOGUE_LINES, MAX_LINE_CHARS, MAX_SPEAKER_CHARS, MAX_TITLE_CHARS };

export function validateTitle(text: string): string | null {
  return text.length > MAX_TITLE_CHARS ? `Titles are at most ${MAX_TITLE_CHARS} characters (${text.length} now).` : null;
}

/** The limit is the same on every provider (docs/providers.md: prompt and negative prompt ≤ 2500), so no provider is named. */
export function validatePrompt(text: string): string | null {
  return text.length > MAX_PROMPT_CHARS
    ? `A prompt is at most ${MAX_PROMPT_CHARS} characters on every provider; shorten it by ${text.length - MAX_PROMPT_CHARS}. It is not saved until then.`
    : null;
}

export function validateDuration(text: string, range: { min: number; max: number } = { min: MIN_SHOT_SECONDS, max: MAX_SHOT_SECONDS }): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return `Enter a length from ${range.min} to ${range.max} seconds.`;
  if (!/^\d+$/.test(trimmed)) return 'Use a whole number of seconds.';
  const n = Number(trimmed);
  if (n < range.min || n > range.max) return `Kling V3 makes shots of ${range.min} to ${range.max} seconds.`;
  return null;
}

/**
 * Why a duration the person typed was put back on leaving the field (validateDuration refused it), with
 * what is kept ("the shot stays 5 s"): "20 s is longer than Kling V3 makes (3–15 s); the shot stays 5 s."
 */
export function durationRevertNote(text: string, keeps: string, range: { min: number; max: number } = { min: MIN_SHOT_SECONDS, max: MAX_SHOT_SECONDS }): string {
  const trimmed = text.trim();
  const stays = `${keeps}.`;
  const n = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(n)) return `A length is a whole number of seconds from ${range.min} to ${range.max}; ${stays}`;
  if (n > range.max) return `${trimmed} s is longer than Kling V3 makes (${range.min}–${range.max} s); ${stays}`;
  if (n < range.min) return `${trimmed} s is shorter than Kling V3 makes (${range.min}–${range.max} s); ${stays}`;
  return `Lengths are whole seconds (${trimmed} is not); ${stays}`;
}

export function validateCfgScale(text: string): string | null {
  const n = Number(text);
  return text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1 ? 'CFG scale is a number from 0 to 1.' : null;
}

export interface DialogueLine {
  speaker: string;
  text: string;
  /** The character (library element) who says it; the provider gets that character's voice. */
  characterId?: string;
}

/** Dialogue is edited as one draft (JSON text) so it shares use-shot-draft's save/retry/reconcile logic. */
export function parseDialogue(text: string): DialogueLine[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value)
      ? value.map((l: { speaker?: unknown; text?: unknown; characterId?: unknown }) => ({
          speaker: String(l?.speaker ?? ''),
          text: String(l?.text ?? ''),
          ...(typeof l?.characterId === 'string' && l.characterId ? { characterId: l.characterId } : {}),
        }))
      : [];
  } catch {
    return [];
  }
}

export function formatDialogue(lines: readonly DialogueLine[]): string {
  return JSON.stringify(lines.map(({ speaker, text, characterId }) => ({ speaker, text, ...(characterId ? { characterId } : {}) })));
}

export function validateDialogue(text: string): string | null {
  const lines = parseDialogue(text);
  if (lines.length > MAX_DIALOGUE_LINES) return `A shot holds at most ${MAX_DIALOGUE_LINES} lines of dialogue.`;
  const i = lines.findIndex((l) => l.speaker.length > MAX_SPEAKER_CHARS);
  if (i >= 0) return `Speaker ${i + 1} is longer than ${MAX_SPEAKER_CHARS} characters; it is not saved until it is shorter.`;
  const j = lines.findIndex((l) => l.text.length > MAX_LINE_CHARS);
  if (j >= 0) return `Line ${j + 1} is longer than ${MAX_LINE_CHARS} characters (${lines[j].text.length}); it is not saved until it is shorter.`;
  return null;
}
