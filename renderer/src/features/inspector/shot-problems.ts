// The core's pre-flight problems (jobs.estimate) sorted onto the inspector's fields, so a person sees
// what would stop "Generate" next to the control that fixes it, before anything is sent or paid for.

export type FieldKey =
  | 'title'
  | 'prompt'
  | 'negativePrompt'
  | 'durationSec'
  | 'aspectRatio'
  | 'tier'
  | 'cfgScale'
  | 'startFrame'
  | 'endFrame'
  | 'elements'
  | 'nativeAudio'
  | 'voices'
  | 'dialogue';

export interface EstimateProblem {
  shotId?: string;
  field: string;
  message: string;
}

/** The core's field names (shared/validate.ts, zod paths, engine) → the control that shows them. */
const FIELD_ALIASES: Record<string, FieldKey> = {
  prompt: 'prompt',
  'negative prompt': 'negativePrompt',
  negativeprompt: 'negativePrompt',
  duration: 'durationSec',
  durationsec: 'durationSec',
  'aspect ratio': 'aspectRatio',
  aspectratio: 'aspectRatio',
  tier: 'tier',
  'cfg scale': 'cfgScale',
  cfgscale: 'cfgScale',
  'start frame': 'startFrame',
  startframe: 'startFrame',
  'end frame': 'endFrame',
  endframe: 'endFrame',
  elements: 'elements',
  elementids: 'elements',
  audio: 'nativeAudio',
  'native audio': 'nativeAudio',
  voices: 'voices',
  voiceids: 'voices',
  dialogue: 'dialogue',
  title: 'title',
};

const FIELD_LABELS: Record<FieldKey, string> = {
  title: 'Title',
  prompt: 'Prompt',
  negativePrompt: 'Negative prompt',
  durationSec: 'Duration',
  aspectRatio: 'Aspect ratio',
  tier: 'Tier',
  cfgScale: 'CFG scale',
  startFrame: 'Start frame',
  endFrame: 'End frame',
  elements: 'Elements',
  nativeAudio: 'Native audio',
  voices: 'Voices',
  dialogue: 'Dialogue',
};

export function fieldKeyOf(field: string): FieldKey | null {
  return FIELD_ALIASES[field.trim().toLowerCase()] ?? null;
}

/**
 * The core prefixes each message with the shot it is about ("shot 2 “Storm”: is empty"); beside the
 * field that is noise, and a bare "is empty" reads better as "Prompt is empty".
 */
export function fieldMessage(key: FieldKey | null, message: string): string {
  const bare = message.replace(/^(?:shot \d+(?: “[^”]*”)?|group of shots [^:“]*(?:“[^”]*”)?|a deleted shot):\s*/i, '');
  const text = key && /^(is|are|needs?|has|must)\b/.test(bare) ? `${FIELD_LABELS[key]} ${bare}` : bare.charAt(0).toUpperCase() + bare.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

export interface SortedProblems {
  byField: Partial<Record<FieldKey, string[]>>;
  /** Problems no control owns (a group, a missing reference file…): shown at the top of the inspector. */
  other: string[];
}

export function sortProblems(problems: readonly EstimateProblem[], shotId: string): SortedProblems {
  const byField: SortedProblems['byField'] = {};
  const other: string[] = [];
  for (const p of problems) {
    if (p.shotId && p.shotId !== shotId) continue;
    const key = fieldKeyOf(p.field);
    const text = fieldMessage(key, p.message);
    if (key) {
      const list = (byField[key] ??= []);
      if (!list.includes(text)) list.push(text);
    } else {
      const line = `${p.field.charAt(0).toUpperCase()}${p.field.slice(1)}: ${text}`;
      if (!other.includes(line)) other.push(line);
    }
  }
  return { byField, other };
}
