// The provider-neutral description of one generation request. A single shot, or a multi-shot group
// sent as one request. Built from the document by the core, checked by shared/validate.ts, turned into
// each provider's wire format by its adapter.
import type { TierId } from './capabilities';
import type { AspectRatio, ProviderId } from './schema';

export interface DialogueLine {
  speaker: string;
  text: string;
  /**
   * The character who speaks it (a library element id). Only attributed lines reach a cloud provider, in
   * the prompt (shared/character-prompt.ts); the others are the animatic's.
   */
  characterId?: string;
  /** The character's name, as `@Name` and in the prompt. */
  character?: string;
  /** The project's voice (library id) the character speaks with: hashed, so a new voice makes takes stale. */
  voice?: string;
  /** That voice's id at this request's provider (Kling: in voice_list; fal: on the character's element). */
  voiceId?: string;
}

export interface GenerationSpec {
  provider: ProviderId;
  tier: TierId;
  aspectRatio: AspectRatio;
  durationSec: number;
  audio: boolean;
  cfgScale: number;
  negativePrompt: string;
  /** Single-shot prompt (or the overall prompt of an `intelligence` group). */
  prompt?: string;
  /** Multi-shot: the shots of the group, in order. */
  shots?: { shotId: string; label: string; prompt: string; durationSec: number; title?: string; dialogue?: DialogueLine[] }[];
  shotType?: 'customize' | 'intelligence';
  /** Provider voice ids, in the order the prompt references them (<<<voice_1>>>, <<<voice_2>>>). */
  voiceIds: string[];
  /**
   * Character elements: inline images (project-relative paths) or a provider library id. Where the provider
   * binds voices to characters (capabilities voiceBinding 'element', fal v3), `voiceId` is the provider's
   * voice for this character and `video` the project-relative clip the element is given as (fal binds a
   * voice only to an element given as a video).
   */
  elements: {
    /** The library element id (what a line's characterId names). */
    id?: string;
    name: string;
    frontal?: string;
    references?: string[];
    libraryId?: string;
    video?: string;
    /** The project's voice (library id) this character has: hashed instead of the provider's id. */
    voice?: string;
    voiceId?: string;
  }[];
  /**
   * The names of every character in the project's library: a prompt's `@Name` naming one that is not in
   * this request's elements is refused (shared/validate.ts) rather than sent as plain text.
   */
  characterNames?: string[];
  /** Project-relative image paths. */
  startFrame?: string;
  endFrame?: string;
  /**
   * What the local animatic draws; cloud providers ignore it. No shot number: a take stays current when
   * its shot is moved, so a number drawn into the clip would go wrong after a reorder.
   */
  card?: { title: string };
  /** Lines the local animatic speaks (flite); cloud providers take dialogue from the prompt. */
  dialogue?: DialogueLine[];
  /** Provider-specific options nobody here knows about: passed straight through to the request body. */
  extra?: Record<string, unknown>;
}

/** Whether a request uses voice control (priced apart): voice ids beside the prompt, or a voice bound to a character. */
export function usesVoiceControl(spec: Pick<GenerationSpec, 'voiceIds' | 'elements'>): boolean {
  return spec.voiceIds.length > 0 || spec.elements.some((e) => e.voiceId !== undefined && e.voiceId !== '');
}
