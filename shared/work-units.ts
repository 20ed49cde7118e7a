// From the document to generation work: every ungrouped shot is one request, every group one multi-shot
// request. Each unit carries its GenerationSpec and the hashes of what shapes it creatively (one for an
// animatic draft, one for a cloud clip), so a take whose hash differs from its shot's is stale (shown,
// never deleted); the rule itself is shared/take-currency.ts.
// Pure (no Node, no DOM): the renderer uses the same hashes to tell current takes from stale ones.
import { capabilitiesFor, type TierId } from './capabilities';
import type { DialogueLine, GenerationSpec } from './generation';
import { shotAspect, type Project, type ProviderId, type Shot } from './schema';

/** cyrb53 (public domain): a fast 53-bit string hash; two seeds give 106 bits, plenty to tell specs apart. */
function cyrb53(str: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export function stableHash(text: string): string {
  return cyrb53(text, 0).toString(16).padStart(14, '0') + cyrb53(text, 0x9e3779b9).toString(16).padStart(14, '0');
}

export interface WorkUnit {
  /** The group id, or the shot id for an ungrouped shot. */
  key: string;
  shotIds: string[];
  spec: GenerationSpec;
  /** The hash a take made by this unit's provider carries (hashes.draft for the animatic, else hashes.clip). */
  hash: string;
  hashes: UnitHashes;
  /** The hashes each of its shots' takes are measured against (same order as shotIds): `hashes` and the shot's own fit. */
  shotHashes: UnitHashes[];
  /** "shot 3 “Storm”" or "group of shots 2–4" — how messages name it. */
  label: string;
  where: { shotId: string; shotLabel: string };
}

export function shotLabel(project: Project, shotId: string): string {
  return unitLabel(project.shots, { shotIds: [shotId] });
}

/**
 * How a request's shots are named *now*: "shot 3 “Storm”" or "group of shots 2–4", by their current
 * positions, so a label never carries a number from before a reorder (a job keeps only the ids). When all
 * of them are gone it names them by the titles they had (`titles`), without a number.
 */
export function unitLabel(shots: readonly Pick<Shot, 'id' | 'title'>[], unit: { shotIds: readonly string[]; titles?: readonly string[] }): string {
  const at = unit.shotIds.map((id) => shots.findIndex((s) => s.id === id)).filter((i) => i >= 0).sort((a, b) => a - b);
  if (unit.shotIds.length > 1) {
    if (at.length) return `group of shots ${at[0] + 1}–${at[at.length - 1] + 1}`;
    const named = (unit.titles ?? []).filter((t) => t.trim());
    return `a deleted group of ${unit.shotIds.length} shots${named.length ? ` (${named.map((t) => `“${t}”`).join(', ')})` : ''}`;
  }
  const shot = shots[at[0]];
  if (!shot) return unit.titles?.[0]?.trim() ? `deleted shot “${unit.titles[0]}”` : 'a deleted shot';
  return `shot ${at[0] + 1}${shot.title ? ` “${shot.title}”` : ''}`;
}

/** The provider's id of one of the project's voices ('' when it has none there). */
function providerVoiceId(project: Project, voiceId: string | undefined, provider: ProviderId): string | undefined {
  if (!voiceId) return undefined;
  const voice = project.voices.find((v) => v.id === voiceId);
  return voice ? (voice.providerIds[provider] ?? '') : undefined;
}

/** A shot's lines with their character, that character's voice and the voice's id at this provider. */
function linesOf(project: Project, shot: Shot, provider: ProviderId): DialogueLine[] {
  return shot.audio.dialogue.map((l) => {
    const el = l.characterId ? project.elements.find((e) => e.id === l.characterId) : undefined;
    if (!el) return { speaker: l.speaker, text: l.text };
    const voice = el.voiceId && project.voices.some((v) => v.id === el.voiceId) ? el.voiceId : undefined;
    const voiceId = providerVoiceId(project, voice, provider);
    return { speaker: l.speaker || el.name, text: l.text, characterId: el.id, character: el.name, ...(voice ? { voice, voiceId } : {}) };
  });
}

/**
 * The voice ids beside the prompt: the shot's own voices, then (where voices are listed beside the prompt,
 * as Kling's voice_list) the voices of the characters who speak, in order of their first line.
 */
function voiceIds(project: Project, shot: Shot, provider: ProviderId, tier: TierId, lines: DialogueLine[]): string[] {
  const ids = shot.audio.voiceIds.map((id) => project.voices.find((v) => v.id === id)?.providerIds[provider] ?? id);
  const caps = capabilitiesFor(provider, tier);
  if (caps.maxVoices > 0 && caps.voiceBinding !== 'element') {
    for (const l of lines) if (l.voiceId && !ids.includes(l.voiceId)) ids.push(l.voiceId);
  }
  return ids;
}

function elements(project: Project, shot: Shot, provider: ProviderId, tier: TierId, lines: DialogueLine[]): GenerationSpec['elements'] {
  const caps = capabilitiesFor(provider, tier);
  return shot.elementIds.map((id) => {
    const el = project.elements.find((e) => e.id === id);
    const voice = el?.voiceId && project.voices.some((v) => v.id === el.voiceId) ? el.voiceId : undefined;
    // Where a voice binds to its character (fal v3), a character who speaks in this request carries it.
    const speaks = lines.some((l) => l.characterId === id && l.voice);
    const voiceId = caps.voiceBinding === 'element' && speaks ? providerVoiceId(project, voice, provider) : undefined;
    return {
      id,
      name: el?.name ?? id,
      frontal: el?.images[0],
      references: el?.images.slice(1) ?? [],
      libraryId: el?.providerIds[provider],
      ...(el?.video ? { video: el.video.path } : {}),
      ...(voice ? { voice } : {}),
      ...(voiceId !== undefined ? { voiceId } : {}),
    };
  });
}

/** The shot's spoken lines, when it has any (the animatic speaks them; attributed ones reach cloud prompts). */
function dialogueOf(project: Project, shot: Shot, provider: ProviderId): Pick<GenerationSpec, 'dialogue'> {
  return shot.audio.dialogue.length ? { dialogue: linesOf(project, shot, provider) } : {};
}

function baseSpec(project: Project, shot: Shot, provider: ProviderId, tier: TierId | undefined, lines: DialogueLine[]): Omit<GenerationSpec, 'durationSec' | 'prompt'> {
  const t = tier ?? shot.tier ?? project.settings.tier;
  return {
    provider,
    tier: t,
    aspectRatio: shotAspect(project, shot),
    audio: shot.audio.native || project.settings.nativeAudio,
    cfgScale: shot.cfgScale,
    negativePrompt: shot.negativePrompt,
    voiceIds: voiceIds(project, shot, provider, t, lines),
    elements: elements(project, shot, provider, t, lines),
    ...(project.elements.length ? { characterNames: project.elements.map((e) => e.name) } : {}),
    ...(shot.startFrame ? { startFrame: shot.startFrame } : {}),
    ...(shot.endFrame ? { endFrame: shot.endFrame } : {}),
  };
}

/** Creative hashes carry this prefix; a hash without it was made by an older Storyreel (see legacySpecHash). */
export const HASH_PREFIX = '2:';

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/**
 * The hash of what shapes the clip creatively: prompt, negative prompt, duration, frames, elements, voices,
 * audio, CFG, ratio. Who renders it and at which tier are left out (switching provider or tier never makes
 * a take stale; regenerating at another tier is an explicit action), and so are provider ids of voices and
 * elements (`voices` are the project's library ids). The shot's position is left out too (reordering must
 * not make takes stale). A draft (the animatic) also hashes the card title and the dialogue it draws and
 * speaks; a cloud clip does not.
 */
export function specHash(spec: GenerationSpec, voices: string[] = spec.voiceIds, draft: boolean = spec.provider === 'animatic'): string {
  const { card, shots, dialogue, provider: _provider, tier: _tier, voiceIds: _voiceIds, elements, characterNames: _names, ...rest } = spec;
  const hashed = {
    ...rest,
    voices,
    // Provider ids are left out (a character's library voice id stands for its voice); ids are the library's.
    elements: elements.map(({ libraryId: _libraryId, voiceId: _voiceId, id: _id, ...e }) => e),
    ...(draft ? { title: card?.title ?? '' } : {}),
    ...(draft && dialogue?.length ? { dialogue: dialogue.map(plainLine) } : {}),
    ...(!draft && spokenLines(dialogue).length ? { spoken: spokenLines(dialogue) } : {}),
    // Labels carry the shot's position, so only what reaches the provider is hashed.
    ...(shots
      ? {
          shots: shots.map((s) => ({
            prompt: s.prompt,
            durationSec: s.durationSec,
            ...(draft ? { title: s.title ?? '' } : {}),
            ...(draft && s.dialogue?.length ? { dialogue: s.dialogue.map(plainLine) } : {}),
            ...(!draft && spokenLines(s.dialogue).length ? { spoken: spokenLines(s.dialogue) } : {}),
          })),
        }
      : {}),
  };
  return HASH_PREFIX + stableHash(stableJson(hashed));
}

/** What the animatic draws and speaks of a line (as hashed before lines had characters). */
const plainLine = (l: DialogueLine) => ({ speaker: l.speaker, text: l.text });
/** The lines a cloud provider is sent (attributed ones): who says what, with which of the project's voices. */
const spokenLines = (lines: DialogueLine[] | undefined) =>
  (lines ?? []).filter((l) => l.characterId).map((l) => ({ characterId: l.characterId, text: l.text, ...(l.voice ? { voice: l.voice } : {}) }));

/**
 * The hash older versions stamped on takes: the whole spec, provider and tier included. Only used to
 * recognise, when a project is opened, which of its old takes were current (upgradeLegacyHashes).
 */
export function legacySpecHash(spec: GenerationSpec): string {
  // Fields older versions did not have are left out, so their hashes are recognised as they were.
  const { card, shots, dialogue, characterNames: _names, elements, ...rest0 } = spec;
  const rest = { ...rest0, elements: elements.map(({ id: _id, voice: _voice, ...e }) => e) };
  const animatic = spec.provider === 'animatic';
  const hashed = {
    ...rest,
    ...(animatic ? { title: card?.title ?? '' } : {}),
    ...(animatic && dialogue?.length ? { dialogue } : {}),
    ...(shots ? { shots: shots.map((s) => ({ prompt: s.prompt, durationSec: s.durationSec, ...(animatic ? { title: s.title ?? '' } : {}), ...(animatic && s.dialogue?.length ? { dialogue: s.dialogue } : {}) })) } : {}),
  };
  return stableHash(stableJson(hashed));
}

/** What a take of a unit must carry to be current: a draft (animatic) take one hash, a cloud take the other. */
export interface UnitHashes {
  draft: string;
  clip: string;
  /**
   * For one shot of the unit (a shot of its own, or one shot of a group): its id, length and in point, and
   * the hashes its unit would have with some of its shots at other lengths (`at`, by shot id; a shot not
   * named keeps its length; worked out when asked and remembered). A take made with the same parameters at
   * other lengths is trimmed to the shot (current) when its clip — for a group, the shot's piece — is long
   * enough, and "needs a longer take" when it is not (shared/take-currency.ts).
   */
  fit?: { shotId: string; durationSec: number; inSec: number; at(lengths: Readonly<Record<string, number>>): { draft: string; clip: string } };
}

function hashesOf(spec: GenerationSpec, voices: string[]): UnitHashes {
  return { draft: specHash(spec, voices, true), clip: specHash(spec, voices, false) };
}

const stamp = (spec: GenerationSpec, hashes: UnitHashes) => (spec.provider === 'animatic' ? hashes.draft : hashes.clip);

/**
 * Each shot's hashes for a unit whose spec is `spec` (`hashes`, at its shots' present lengths): all share
 * the unit's hashes and one memo of the hashes at other lengths.
 */
function shotFits(spec: GenerationSpec, hashes: UnitHashes, shots: Shot[], voices: string[]): UnitHashes[] {
  const lengthsNow = shots.map((s) => s.durationSec);
  const memo = new Map<string, { draft: string; clip: string }>([[lengthsNow.join(','), hashes]]);
  const at = (lengths: Readonly<Record<string, number>>) => {
    const secs = shots.map((s, i) => lengths[s.id] ?? lengthsNow[i]);
    const key = secs.join(',');
    let h = memo.get(key);
    if (!h) {
      const other: GenerationSpec = spec.shots
        ? { ...spec, durationSec: secs.reduce((a, b) => a + b, 0), shots: spec.shots.map((s, i) => ({ ...s, durationSec: secs[i] })) }
        : { ...spec, durationSec: secs[0] };
      memo.set(key, (h = hashesOf(other, voices)));
    }
    return h;
  };
  return shots.map((s) => ({ ...hashes, fit: { shotId: s.id, durationSec: s.durationSec, inSec: s.trim?.inSec ?? 0, at } }));
}

export function workUnits(project: Project, provider: ProviderId, tier?: TierId): WorkUnit[] {
  const units: WorkUnit[] = [];
  const grouped = new Map<string, string>();
  for (const g of project.groups) for (const id of g.shotIds) grouped.set(id, g.id);
  const done = new Set<string>();
  project.shots.forEach((shot) => {
    const groupId = grouped.get(shot.id);
    if (groupId) {
      if (done.has(groupId)) return;
      done.add(groupId);
      const group = project.groups.find((g) => g.id === groupId)!;
      const shots = project.shots.filter((s) => group.shotIds.includes(s.id));
      const first = shots[0];
      const groupLines = shots.flatMap((s) => linesOf(project, s, provider));
      const spec: GenerationSpec = {
        ...baseSpec(project, first, provider, tier, groupLines),
        durationSec: shots.reduce((sum, s) => sum + s.durationSec, 0),
        shotType: group.shotType,
        shots: shots.map((s) => ({ shotId: s.id, label: shotLabel(project, s.id), prompt: s.prompt, durationSec: s.durationSec, title: s.title, ...dialogueOf(project, s, provider) })),
        ...(group.shotType === 'intelligence' ? { prompt: shots.map((s) => s.prompt).join(' ') } : {}),
        card: { title: first.title },
      };
      const label = unitLabel(project.shots, { shotIds: shots.map((s) => s.id) });
      const hashes = hashesOf(spec, first.audio.voiceIds);
      const perShot = shotFits(spec, hashes, shots, first.audio.voiceIds);
      units.push({ key: group.id, shotIds: shots.map((s) => s.id), spec, hash: stamp(spec, hashes), hashes, shotHashes: perShot, label, where: { shotId: first.id, shotLabel: label } });
      return;
    }
    const spec: GenerationSpec = {
      ...baseSpec(project, shot, provider, tier, linesOf(project, shot, provider)),
      durationSec: shot.durationSec,
      prompt: shot.prompt,
      ...dialogueOf(project, shot, provider),
      card: { title: shot.title },
    };
    const label = shotLabel(project, shot.id);
    const hashes = hashesOf(spec, shot.audio.voiceIds);
    const perShot = shotFits(spec, hashes, [shot], shot.audio.voiceIds);
    units.push({ key: shot.id, shotIds: [shot.id], spec, hash: stamp(spec, hashes), hashes, shotHashes: perShot, label, where: { shotId: shot.id, shotLabel: label } });
  });
  return units;
}

const hashCache = new WeakMap<Project, Map<string, UnitHashes>>();

/**
 * shot id → the hashes its takes must carry to be current (memoized per document). They do not depend on
 * the provider, so any provider's units give them; the project's own is used.
 */
export function shotHashes(project: Project): Map<string, UnitHashes> {
  let map = hashCache.get(project);
  if (!map) {
    map = new Map();
    for (const unit of workUnits(project, project.settings.provider)) unit.shotIds.forEach((id, i) => map!.set(id, unit.shotHashes[i]));
    hashCache.set(project, map);
  }
  return map;
}

/** shot id → the hash a new take from the project's own provider would carry. */
export function currentHashes(project: Project): Map<string, string> {
  const draft = project.settings.provider === 'animatic';
  return new Map([...shotHashes(project)].map(([id, h]) => [id, draft ? h.draft : h.clip]));
}

/** The hash a new take of this shot from `provider` would carry. */
export function currentHash(project: Project, shotId: string, provider: ProviderId = project.settings.provider): string | undefined {
  const hashes = shotHashes(project).get(shotId);
  if (!hashes) return undefined;
  return provider === 'animatic' ? hashes.draft : hashes.clip;
}
