// One validator for every generation request, run before any money is spent — by the UI (to mark the
// field), the CLI (to refuse a render) and the engine (to refuse a submission). Each problem names the
// shot and the field.
import { capabilitiesFor } from './capabilities';
import type { DialogueLine, GenerationSpec } from './generation';
import { mentionsIn } from './character-prompt';
import { MAX_ELEMENT_REFERENCES, MAX_PROMPT_CHARS, MAX_SHOT_PROMPT_CHARS } from './limits';

export type { GenerationSpec } from './generation';
export { MAX_ELEMENT_REFERENCES, MAX_SHOT_PROMPT_CHARS };

export interface ValidationIssue {
  /** The shot the problem belongs to (for a group: the group's first shot unless a shot is named). */
  shotId?: string;
  /** "shot 3 “Storm”" — what a person recognises. */
  shotLabel: string;
  field: string;
  message: string;
}

/** An element-library id (Kling's `element_id`, a long): kept as a string of digits, sent as a bare number. */
export const LIBRARY_ELEMENT_ID = /^\d+$/;

export function formatIssue(i: ValidationIssue): string {
  return `${i.shotLabel}, ${i.field}: ${i.message}`;
}

export function validateSpec(spec: GenerationSpec, where: { shotId?: string; shotLabel: string }): ValidationIssue[] {
  const caps = capabilitiesFor(spec.provider, spec.tier);
  const issues: ValidationIssue[] = [];
  const add = (field: string, message: string, shot: { shotId?: string; shotLabel: string } = where) =>
    issues.push({ shotId: shot.shotId, shotLabel: shot.shotLabel, field, message });
  const name = caps.label;

  if (!Number.isInteger(spec.durationSec) || spec.durationSec < caps.minDurationSec || spec.durationSec > caps.maxDurationSec) {
    add('duration', `${spec.durationSec} s is outside ${caps.minDurationSec}–${caps.maxDurationSec} s`);
  }
  if (!caps.tiers.includes(spec.tier)) add('tier', `${name} has no ${spec.tier} tier (it offers ${caps.tiers.join(', ')})`);
  if (!caps.aspectRatios.includes(spec.aspectRatio)) add('aspect ratio', `${name} cannot make ${spec.aspectRatio}`);
  if (spec.cfgScale < 0 || spec.cfgScale > 1) add('CFG scale', `${spec.cfgScale} is outside 0–1`);
  if (spec.negativePrompt.length > MAX_PROMPT_CHARS) add('negative prompt', `${spec.negativePrompt.length} characters; the limit is ${MAX_PROMPT_CHARS}`);

  const multi = spec.shots !== undefined;
  const hasPrompt = (spec.prompt ?? '').trim() !== '';
  if (multi) {
    const shots = spec.shots!;
    if (!caps.multiShot) add('group', `${name} cannot make multi-shot clips`);
    else {
      const type = spec.shotType ?? 'customize';
      if (!caps.multiShot.shotTypes.includes(type)) add('shot type', `${name} does not offer the "${type}" multi-shot mode`);
      if (shots.length < 1 || shots.length > caps.multiShot.maxShots) {
        add('group', `${shots.length} shots in one request; ${name} allows 1–${caps.multiShot.maxShots}`);
      }
      const sum = shots.reduce((s, x) => s + x.durationSec, 0);
      if (sum !== spec.durationSec) add('duration', `the shots add up to ${sum} s but the request is ${spec.durationSec} s`);
      if (type === 'customize') {
        for (const shot of shots) {
          const at = { shotId: shot.shotId, shotLabel: shot.label };
          if (shot.durationSec < caps.multiShot.minShotSec) {
            add('duration', `${shot.durationSec} s is below ${name}'s ${caps.multiShot.minShotSec} s minimum per shot in a group`, at);
          }
          if (shot.prompt.trim() === '') add('prompt', 'is empty', at);
          if (shot.prompt.length > MAX_SHOT_PROMPT_CHARS) add('prompt', `${shot.prompt.length} characters; a shot in a group allows ${MAX_SHOT_PROMPT_CHARS}`, at);
        }
        if (hasPrompt) add('prompt', 'give either one prompt or per-shot prompts, not both');
      } else if (!hasPrompt) add('prompt', 'the model-split ("intelligence") mode needs one overall prompt');
    }
  } else if (!hasPrompt) add('prompt', 'is empty');
  if ((spec.prompt ?? '').length > MAX_PROMPT_CHARS) add('prompt', `${spec.prompt!.length} characters; the limit is ${MAX_PROMPT_CHARS}`);

  if (spec.audio && !caps.nativeAudio) add('audio', `${name} cannot generate sound`);
  const boundVoices = spec.elements.filter((e) => e.voiceId);
  if (spec.voiceIds.length > 0) {
    if (caps.maxVoices === 0) add('voices', `${name} has no voice control`);
    // fal v3 has no voice list beside the prompt: a voice belongs to a character (elements[].voice_id).
    else if (caps.voiceBinding === 'element') add('voices', `${name} binds a voice to a character: add a character with this voice (nothing was sent; the shot's voices are kept)`);
    else if (spec.voiceIds.length > caps.maxVoices) add('voices', `${spec.voiceIds.length} voices; at most ${caps.maxVoices}`);
    if (!spec.audio) add('voices', 'voices need native audio switched on');
    // Where voices are listed beside the prompt (Kling), they exclude elements (element_list and voice_list
    // cannot be used together, docs/providers.md §5); fal binds them to one.
    if (spec.elements.length > 0 && caps.voiceBinding !== 'element') {
      add('voices', `${name} takes voices or characters in one request, not both: remove the characters from this shot or the voices from its lines (nothing was sent; the shot is kept as it is)`);
    }
  }
  if (boundVoices.length > 0) {
    if (caps.voiceBinding !== 'element' || caps.maxVoices === 0) add('voices', `${name} does not bind voices to characters`);
    else {
      if (boundVoices.length > caps.maxVoices) add('voices', `${boundVoices.length} characters with a voice; ${name} binds at most ${caps.maxVoices}`);
      for (const e of boundVoices) if (!e.video) add('voices', `character “${e.name}” has a voice but no video; ${name} binds a voice only to a character given as a video`);
    }
    if (!spec.audio) add('voices', 'voices need native audio switched on');
  }
  if (spec.elements.length > 0) {
    if (caps.elements === 'none') add('elements', `${name} does not take characters (elements): remove ${spec.elements.map((e) => `“${e.name}”`).join(', ')} from this shot or pick another provider (nothing was sent)`);
    else if (spec.elements.length > caps.maxElements) add('elements', `${spec.elements.length} elements; at most ${caps.maxElements}`);
    if (!spec.startFrame) add('elements', 'elements need a start frame (image-to-video)');
    if (caps.elements === 'library') {
      for (const e of spec.elements) {
        if (!e.libraryId) add('elements', `element “${e.name}” has no ${name} element id`);
        else if (!LIBRARY_ELEMENT_ID.test(e.libraryId)) add('elements', `element “${e.name}” has the ${name} element id “${e.libraryId}”, but element ids are numbers (digits only, as the element library shows them); the shot was not sent`);
      }
    }
    if (caps.elements === 'inline') {
      // Sent as a front view plus 1–3 reference images (a lone front image also stands in as the reference).
      for (const e of spec.elements) {
        const refs = e.references?.length ?? 0;
        // fal also takes an element as a video (KlingV3ComboElementInput.video_url) instead of images.
        if (!e.frontal && refs === 0 && !e.video) add('elements', `element “${e.name}” has no image; ${name} takes element images, not library ids`);
        else if (refs > MAX_ELEMENT_REFERENCES) add('elements', `element “${e.name}” has ${refs} reference images besides its front view; ${name} takes at most ${MAX_ELEMENT_REFERENCES}`);
      }
    }
  }
  checkCharacters(spec, add, name, caps);
  if (spec.startFrame && !caps.startFrame) add('start frame', `${name} cannot start from an image`);
  if (spec.endFrame) {
    if (!caps.endFrame) add('end frame', `${name} cannot end on an image`);
    // The animatic draws a title card for a shot without a start frame (it accepts every setting).
    if (!spec.startFrame && spec.provider !== 'animatic') add('end frame', 'an end frame needs a start frame');
    if (multi) add('end frame', 'an end frame cannot be used in a multi-shot group');
  }
  return issues;
}

type Add = (field: string, message: string, shot?: { shotId?: string; shotLabel: string }) => void;

/**
 * `@Name` mentions and attributed lines: a mention must name a character of the request; a line by a
 * character with a voice needs that voice's id at this provider, and (where a voice binds to a character)
 * the character in the shot; only one character may be given as a video on fal.
 */
function checkCharacters(spec: GenerationSpec, add: Add, name: string, caps: ReturnType<typeof capabilitiesFor>): void {
  if (spec.provider === 'animatic') return;
  const inRequest = new Set(spec.elements.map((e) => e.name.trim()));
  const names = spec.characterNames ?? [];
  const prompts: { field: string; text: string; lines?: DialogueLine[]; at?: { shotId?: string; shotLabel: string } }[] = spec.shots
    ? spec.shots.map((s) => ({ field: 'prompt', text: s.prompt, lines: s.dialogue, at: { shotId: s.shotId, shotLabel: s.label } }))
    : [];
  prompts.push({ field: 'prompt', text: spec.prompt ?? '', lines: spec.shots ? undefined : spec.dialogue });
  for (const p of prompts) {
    for (const m of mentionsIn(p.text, names)) {
      if (!inRequest.has(m)) add('prompt', `names @${m}, who is not among this shot's characters: add “${m}” to the shot's characters or take the mention out (nothing was sent)`, p.at);
    }
    for (const l of p.lines ?? []) {
      if (!l.characterId || !l.voice) continue;
      const who = l.character ?? l.speaker;
      if (caps.maxVoices === 0) add('dialogue', `“${who}” speaks with a voice, but ${name} has no voice control (nothing was sent)`, p.at);
      else if (!l.voiceId) add('dialogue', `“${who}” speaks with a voice that has no ${name} voice id: create it from the voice's sample or type its id in the library (nothing was sent)`, p.at);
      else if (caps.voiceBinding === 'element' && !spec.elements.some((e) => e.id === l.characterId)) {
        add('dialogue', `“${who}” speaks, but ${name} binds a voice to a character in the shot: add “${who}” to the shot's characters (nothing was sent)`, p.at);
      }
    }
  }
  // (More voices than fal binds is already refused under "voices".)
  if (caps.voiceBinding === 'element' && spec.elements.filter((e) => e.voiceId).length <= caps.maxVoices) {
    const videos = spec.elements.filter((e) => e.video && (e.voiceId || !e.frontal));
    if (videos.length > 1) add('elements', `${videos.length} characters would go as videos; ${name} takes one element given as a video per request (nothing was sent)`);
  }
}
