// Characters in the prompt: a person writes `@Name` for a character of the project's library and attributes
// dialogue lines to characters; each provider reads them its own way (docs/providers.md §2.6, §5):
//   fal      `@Name` → `@Element1`… in the order of the request's elements; a line → `@Element1 says: "…"`
//            (the voice travels on the element: elements[].voice_id).
//   Kling    `@Name` → `<<<element_1>>>`… in the order of element_list; a line by a voiced character →
//            `Name <<<voice_1>>> says: "…"` in the order of voice_list.
//   others   `@Name` → `Name`; a line → `Name says: "…"`.
// Pure: the adapters, the validator and the inspector's `@` menu share it.
import type { DialogueLine, GenerationSpec } from './generation';

export type MentionStyle = 'fal' | 'kling' | 'plain';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A regex for `@Name` of any of these names (longest first, so “Ana Lu” wins over “Ana”), or null. */
function mentionPattern(names: readonly string[]): RegExp | null {
  const usable = [...new Set(names.map((n) => n.trim()).filter(Boolean))].sort((a, b) => b.length - a.length);
  if (usable.length === 0) return null;
  return new RegExp(`@(${usable.map(escape).join('|')})(?![\\p{L}\\p{N}_])`, 'gu');
}

/** The character names a text mentions as `@Name`, in order of first mention, each once. */
export function mentionsIn(text: string, names: readonly string[]): string[] {
  const re = mentionPattern(names);
  if (!re) return [];
  const found: string[] = [];
  for (const m of text.matchAll(re)) if (!found.includes(m[1])) found.push(m[1]);
  return found;
}

/** What the `@` menu offers after the caret: the `@query` being typed (from the `@` to the caret), or null. */
export function mentionQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return null;
  if (at > 0 && /[\p{L}\p{N}_]/u.test(before[at - 1])) return null; // an e-mail address, not a mention
  const query = before.slice(at + 1);
  if (query.length > 40 || /[\n@]/.test(query)) return null;
  return { start: at, query };
}

/** The characters whose name starts with (or contains) the query, prefix matches first. */
export function matchCharacters<T extends { name: string }>(characters: readonly T[], query: string): T[] {
  const q = query.toLocaleLowerCase();
  const starts = characters.filter((c) => c.name.toLocaleLowerCase().startsWith(q));
  const contains = characters.filter((c) => !starts.includes(c) && c.name.toLocaleLowerCase().includes(q));
  return [...starts, ...contains];
}

type Els = GenerationSpec['elements'];

/** The text a provider reads for `@Name` of the request's element at `index` (0-based). */
function elementRef(style: MentionStyle, elements: Els, index: number): string {
  const el = elements[index];
  if (style === 'fal') return `@Element${index + 1}`;
  if (style === 'kling') {
    // Kling numbers the element_list entries; elements without a Kling id are not in it.
    const listed = elements.filter((e) => e.libraryId);
    const n = listed.indexOf(el);
    if (n >= 0) return `<<<element_${n + 1}>>>`;
  }
  return el.name;
}

/** A dialogue line as the provider reads it; null for a line attributed to nobody (the animatic's alone). */
function lineText(line: DialogueLine, spec: Pick<GenerationSpec, 'elements' | 'voiceIds'>, style: MentionStyle): string | null {
  if (!line.characterId) return null;
  const index = spec.elements.findIndex((e) => e.id === line.characterId);
  const who = index >= 0 ? elementRef(style, spec.elements, index) : (line.character ?? line.speaker);
  const quoted = JSON.stringify(line.text.trim());
  if (style === 'kling' && line.voiceId) {
    const v = spec.voiceIds.indexOf(line.voiceId);
    if (v >= 0) return `${line.character ?? who} <<<voice_${v + 1}>>> says: ${quoted}`;
  }
  return `${who} says: ${quoted}`;
}

/**
 * The prompt a provider is sent: `@Name` mentions of the request's characters in its own form, then the
 * attributed dialogue lines. A mention of a character not in the request stays as typed (the validator
 * refuses it before anything is sent).
 */
export function providerPrompt(text: string, lines: readonly DialogueLine[] | undefined, spec: Pick<GenerationSpec, 'elements' | 'voiceIds'>, style: MentionStyle): string {
  const re = mentionPattern(spec.elements.map((e) => e.name));
  const body = re ? text.replace(re, (_m, name: string) => elementRef(style, spec.elements, spec.elements.findIndex((e) => e.name.trim() === name))) : text;
  const spoken = (lines ?? []).map((l) => lineText(l, spec, style)).filter((l): l is string => l !== null);
  if (spoken.length === 0) return body;
  return [body.trimEnd(), ...spoken].filter(Boolean).join(' ');
}
