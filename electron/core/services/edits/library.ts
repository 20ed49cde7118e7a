// The project's library: voices and elements (with their reference images) that shots refer to.
import { newId } from '../../../../shared/ids';
import { StudioError } from '../../../../shared/errors';
import type { ProjectSession } from '../../project/session';
import type { Imports } from '../imports';
import type { Handlers } from '../handlers';

/** Provider ids as typed, trimmed; empty ones are dropped. */
const cleanIds = (ids: Record<string, string>) => Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v));

export function libraryEdits(session: ProjectSession, imports: Pick<Imports, 'refImage'>) {
  return {
    'library.saveVoice': ({ id, name, providerIds }) =>
      session.edit(id ? `Edit voice “${name}”` : `Add voice “${name}”`, (p) => {
        const clean = cleanIds(providerIds);
        const existing = id ? p.voices.find((v) => v.id === id) : undefined;
        if (id && !existing) throw new StudioError('NOT_FOUND', `There is no voice ${id}.`);
        if (existing) Object.assign(existing, { name, providerIds: clean });
        else p.voices.push({ id: newId('voice'), name, providerIds: clean });
      }),
    'library.removeVoice': ({ id }) =>
      session.edit('Remove voice', (p) => {
        p.voices = p.voices.filter((v) => v.id !== id);
        for (const s2 of p.shots) s2.audio.voiceIds = s2.audio.voiceIds.filter((v) => v !== id);
      }),
    'library.saveElement': ({ id, name, providerIds }) =>
      session.edit(id ? `Edit element “${name}”` : `Add element “${name}”`, (p) => {
        const clean = providerIds && cleanIds(providerIds);
        const existing = id ? p.elements.find((e) => e.id === id) : undefined;
        if (id && !existing) throw new StudioError('NOT_FOUND', `There is no element ${id}.`);
        if (existing) Object.assign(existing, { name, ...(clean ? { providerIds: clean } : {}) });
        else p.elements.push({ id: newId('el'), name, images: [], providerIds: clean ?? {} });
      }),
    'library.addElementImage': async ({ elementId, path: file }) => {
      const el = session.current.elements.find((e) => e.id === elementId);
      if (!el) throw new StudioError('NOT_FOUND', `There is no element ${elementId}.`);
      if (el.images.length >= 4) throw new StudioError('INVALID_INPUT', `images: “${el.name}” already has 4 images (a front view and three more). Remove one first.`);
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
        for (const s2 of p.shots) s2.elementIds = s2.elementIds.filter((e) => e !== id);
      }),
  } satisfies Partial<Handlers>;
}
