// What each provider will do with a character of the library, in one line each (shown on its card), from
// the same rules the adapters and the validator follow (docs/providers.md §2.6, §5; shared/validate.ts).
import type { Element, Voice } from '../../../../shared/schema';

export interface PlanLine {
  provider: string;
  text: string;
  /** The character cannot be used there as it is. */
  blocked?: boolean;
}

export function elementPlan(el: Pick<Element, 'images' | 'video' | 'voiceId' | 'providerIds'>, voices: readonly Pick<Voice, 'id' | 'name' | 'providerIds'>[]): PlanLine[] {
  const voice = el.voiceId ? voices.find((v) => v.id === el.voiceId) : undefined;
  const images = el.images.length;
  const lines: PlanLine[] = [];

  // fal: images, or one video; a voice binds only to a video element.
  if (images === 0 && !el.video) lines.push({ provider: 'fal', text: 'needs a front image (or a video)', blocked: true });
  else if (!voice) lines.push({ provider: 'fal', text: images ? `${images} image${images === 1 ? '' : 's'} as @Element` : 'its video as @Element' });
  else if (!el.video) lines.push({ provider: 'fal', text: 'images — add a video to carry the voice (fal binds a voice only to a video)', blocked: true });
  else if (!voice.providerIds.fal) lines.push({ provider: 'fal', text: `video — “${voice.name}” has no fal.ai voice id yet`, blocked: true });
  else lines.push({ provider: 'fal', text: `images; its video with voice “${voice.name}” in shots where it speaks` });

  // Kling: an element id from Kling's library; voices go in voice_list, never beside element_list.
  const kid = el.providerIds.kling;
  const klingVoice = voice?.providerIds.kling;
  if (!kid) lines.push({ provider: 'Kling', text: 'no element id — add the id from Kling’s element library', blocked: true });
  else lines.push({ provider: 'Kling', text: `element ${kid}` });
  if (voice) {
    lines.push(
      klingVoice
        ? { provider: 'Kling', text: `voice ${klingVoice} only where it speaks off screen (Kling takes voices or elements in one request, not both)` }
        : { provider: 'Kling', text: `“${voice.name}” has no Kling voice id yet`, blocked: true },
    );
  }
  lines.push({ provider: 'Replicate', text: 'takes no characters', blocked: true });
  return lines;
}
