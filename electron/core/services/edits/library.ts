// The project's library: voices and elements (with their reference images) that shots refer to.
import { newId } from '../../../../shared/ids';
import { StudioError } from '../../../../shared/errors';
import { ELEMENT_VIDEO_MAX_SEC, ELEMENT_VIDEO_MIN_SEC, MAX_ELEMENT_IMAGES, VOICE_SAMPLE_MAX_SEC, VOICE_SAMPLE_MIN_SEC } from '../../../../shared/limits';
import { LIBRARY_ELEMENT_ID } from '../../../../shared/validate';
import type { ProjectSession } from '../../project/session';
import type { Imports } from '../imports';
import type { Handlers } from '../handlers';

/** Provider ids as typed, trimmed; empty ones are dropped. */
const cleanIds = (ids: Record<string, string>) => Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v));

/**
 * Kling's element ids are longs (sent as bare JSON numbers): an id with anything but digits is refused when
 * it is typed, not when a shot is sent. Returns the problem, or null.
 */
export function libraryIdProblem(provider: string, id: string | undefined, name: string): string | null {
  if (provider !== 'kling' || !id || LIBRARY_ELEMENT_ID.test(id)) return null;
  return `Kling element id of “${name}”: “${id}” is not a Kling element id — they are numbers (digits only, as Kling's element library shows them). The id was not saved; the element keeps its earlier id.`;
}

export function libraryEdits(session: ProjectSession, imports: Pick<Imports, 'refImage' | 'refVideo' | 'voiceSample'>) {
  return {
    'library.saveVoice': ({ id, name, providerIds }) =>
      session.edit(id ? `Edit voice “${name}”` : `Add voice “${name}”`, (p) => {
        const existing = id ? p.voices.find((v) => v.id === id) : undefined;
        if (id && !existing) throw new StudioError('NOT_FOUND', `There is no voice ${id}.`);
        // The ids given are set (an empty one removes its provider's); the others are kept, so two fields
        // saved one after the other never undo each other.
        const clean = cleanIds({ ...existing?.providerIds, ...providerIds });
        if (existing) Object.assign(existing, { name, providerIds: clean });
        else p.voices.push({ id: newId('voice'), name, providerIds: clean });
      }),
    'library.removeVoice': ({ id }) =>
      session.edit('Remove voice', (p) => {
        p.voices = p.voices.filter((v) => v.id !== id);
        for (const s2 of p.shots) s2.audio.voiceIds = s2.audio.voiceIds.filter((v) => v !== id);
        for (const e of p.elements) if (e.voiceId === id) delete e.voiceId;
      }),
    'library.setVoiceSample': async ({ voiceId, path: file }) => {
      const voice = session.current.voices.find((v) => v.id === voiceId);
      if (!voice) throw new StudioError('NOT_FOUND', `There is no voice ${voiceId}.`);
      const sample = file === null ? undefined : await imports.voiceSample(file, `the sample of voice “${voice.name}”`, { min: VOICE_SAMPLE_MIN_SEC, max: VOICE_SAMPLE_MAX_SEC });
      return session.edit(sample ? `Add a sample to “${voice.name}”` : `Remove the sample of “${voice.name}”`, (p) => {
        const v = p.voices.find((x) => x.id === voiceId);
        if (!v) return;
        if (sample) v.sample = { path: sample.rel, durationSec: sample.durationSec };
        else delete v.sample;
      });
    },
    'library.saveElement': ({ id, name, providerIds, kind, voiceId }) =>
      session.edit(id ? `Edit element “${name}”` : `Add element “${name}”`, (p) => {
        const clean = providerIds && cleanIds({ ...(id ? p.elements.find((e) => e.id === id)?.providerIds : {}), ...providerIds });
        // Only the ids typed now are checked: one saved by an older version is left to the send-time check.
        for (const [provider, value] of Object.entries(cleanIds(providerIds ?? {}))) {
          const problem = libraryIdProblem(provider, String(value), name);
          if (problem) throw new StudioError('INVALID_INPUT', problem);
        }
        if (voiceId && !p.voices.some((v) => v.id === voiceId)) throw new StudioError('NOT_FOUND', `voice of “${name}”: there is no voice ${voiceId} in the library; nothing was changed.`);
        const existing = id ? p.elements.find((e) => e.id === id) : undefined;
        if (id && !existing) throw new StudioError('NOT_FOUND', `There is no element ${id}.`);
        const voice = voiceId === null ? { voiceId: undefined } : voiceId ? { voiceId } : {};
        if (existing) {
          Object.assign(existing, { name, ...(clean ? { providerIds: clean } : {}), ...(kind ? { kind } : {}), ...voice });
          if (existing.voiceId === undefined) delete existing.voiceId;
        } else p.elements.push({ id: newId('el'), name, kind: kind ?? 'character', images: [], providerIds: clean ?? {}, ...(voiceId ? { voiceId } : {}) });
      }),
    'library.setElementVideo': async ({ elementId, path: file }) => {
      const el = session.current.elements.find((e) => e.id === elementId);
      if (!el) throw new StudioError('NOT_FOUND', `There is no element ${elementId}.`);
      const video = file === null ? undefined : await imports.refVideo(file, `the reference video of “${el.name}”`, { min: ELEMENT_VIDEO_MIN_SEC, max: ELEMENT_VIDEO_MAX_SEC });
      return session.edit(video ? `Add video to “${el.name}”` : `Remove video of “${el.name}”`, (p) => {
        const e2 = p.elements.find((e) => e.id === elementId);
        if (!e2) return;
        if (video) e2.video = { path: video.rel, durationSec: video.durationSec };
        else delete e2.video;
      });
    },
    'library.addElementImage': async ({ elementId, path: file }) => {
      const el = session.current.elements.find((e) => e.id === elementId);
      if (!el) throw new StudioError('NOT_FOUND', `There is no element ${elementId}.`);
      if (el.images.length >= MAX_ELEMENT_IMAGES) throw new StudioError('INVALID_INPUT', `images: “${el.name}” already has 4 images (a front view and three more). Remove one first.`);
      const rel = await imports.refImage(file, `the image of “${el.name}”`);
      return session.edit(`Add image to “${el.name}”`, (p) => {
        const e2 = p.elements.find((e) => e.id === elementId);
        if (e2 && !e2.images.includes(rel)) e2.images.push(rel);
      });
    },
    'library.removeElementImage': ({ elementId, index }) =>
      session.edit('Remove element image', (p) => {
        const e2 = p.elements.find((e) => e.id === elementId);
        if (!e2 || !e2.images[index]) throw new StudioError('NOT_FOUND', 'That image is no longer there.');
        e2.images.splice(index, 1);
      }),
    'library.removeElement': ({ id }) =>
      session.edit('Remove element', (p) => {
        p.elements = p.elements.filter((e) => e.id !== id);
        for (const s2 of p.shots) {
          s2.elementIds = s2.elementIds.filter((e) => e !== id);
          // Its lines stay, spoken by the name they showed (the animatic still says them).
          for (const l of s2.audio.dialogue) if (l.characterId === id) delete l.characterId;
        }
      }),
  } satisfies Partial<Handlers>;
}
