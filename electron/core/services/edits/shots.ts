// Shots on the timeline: add, edit (one or several as one step), delete, reorder, duplicate, and their frames.
import { shotLabel } from '../../../../shared/work-units';
import { StudioError } from '../../../../shared/errors';
import { shotAspect } from '../../../../shared/schema';
import type { ProjectSession } from '../../project/session';
import { newShot } from '../../project/project-folder';
import { applyShotPatch, patchFieldNames } from '../../project/shot-patch';
import { fitFrameImage } from '../../media/frame-fit';
import type { Imports } from '../imports';
import type { Handlers } from '../handlers';
import { dropBrokenGroups, findShot } from './find';
import { dropBrokenChains } from '../../../../shared/chain';
import type { ChainKeeper } from './chain';
import { keepingKeyframes } from '../../../../shared/keyframe';
import type { Project } from '../../../../shared/schema';

export function shotEdits(session: ProjectSession, imports: Pick<Imports, 'refImage'>, chain?: Pick<ChainKeeper, 'edit'>) {
  // An edit that moves a chain's source frame (take, trim, length) carries the chained shots' new frames in its step.
  const base = chain ? chain.edit.bind(chain) : async (...args: Parameters<ProjectSession['edit']>) => session.edit(...args);
  // A keyframe shared by two shots follows every frame edit: replaced on one side, replaced on both
  // (in the same undo step); removed on one side or the shot deleted, the link ends (shared/keyframe.ts).
  const edit = (label: string, recipe: (p: Project) => void, key?: string) => base(label, keepingKeyframes(recipe), key);
  const plain = (label: string, recipe: (p: Project) => void) => session.edit(label, keepingKeyframes(recipe));
  return {
    'shots.add': ({ afterId, ...fields }) =>
      session.edit('Add shot', (p) => {
        const at = afterId ? p.shots.findIndex((s) => s.id === afterId) + 1 : p.shots.length;
        const d = p.settings.shotDefaults;
        p.shots.splice(
          at,
          0,
          // Untitled: the lists call it "Untitled shot N" by where it is now; a numbered title would be wrong once it moved.
          newShot({ durationSec: d.durationSec, cfgScale: d.cfgScale, negativePrompt: d.negativePrompt, ...fields }),
        );
      }),
    'shots.update': ({ id, patch }) => {
      const before = session.current.shots.find((s) => s.id === id);
      const label = `Edit ${patchFieldNames(patch)}${before ? ` of ${shotLabel(session.current, before.id)}` : ''}`;
      return edit(label, (p) => applyShotPatch(p, findShot(p, id), patch), `shot:${id}:${Object.keys(patch).sort().join(',')}`);
    },
    'shots.updateMany': ({ ids, patch }) => {
      const unique = [...new Set(ids)];
      const label = `Edit ${patchFieldNames(patch)} of ${unique.length === 1 ? shotLabel(session.current, findShot(session.current, unique[0]).id) : `${unique.length} shots`}`;
      return edit(
        label,
        (p) => {
          for (const id of unique) applyShotPatch(p, findShot(p, id), patch);
        },
        `shots:${[...unique].sort().join(',')}:${Object.keys(patch).sort().join(',')}`,
      );
    },
    'shots.remove': ({ id, ids }) => {
      const gone = new Set(ids ?? [id!]);
      return plain(gone.size === 1 ? 'Delete shot' : `Delete ${gone.size} shots`, (p) => {
        for (const x of gone) findShot(p, x);
        // The shots' takes stay on disk in media/takes/<shot>/: paid-for clips are never deleted.
        p.shots = p.shots.filter((s) => !gone.has(s.id));
        p.groups = p.groups.filter((g) => !g.shotIds.some((x) => gone.has(x)));
        // A shot chained to a deleted one keeps its frame as an ordinary start frame.
        dropBrokenChains(p);
      });
    },
    'shots.move': ({ id, toIndex }) =>
      session.edit('Move shot', (p) => {
        const shot = findShot(p, id);
        p.shots = p.shots.filter((s) => s.id !== id);
        p.shots.splice(Math.min(toIndex, p.shots.length), 0, shot);
        dropBrokenGroups(p);
      }),
    'shots.moveMany': ({ ids, toIndex }) =>
      session.edit(ids.length === 1 ? 'Move shot' : `Move ${ids.length} shots`, (p) => {
        const moving = new Set(ids);
        for (const x of moving) findShot(p, x);
        const picked = p.shots.filter((s) => moving.has(s.id));
        const rest = p.shots.filter((s) => !moving.has(s.id));
        rest.splice(Math.min(toIndex, rest.length), 0, ...picked);
        p.shots = rest;
        dropBrokenGroups(p);
      }),
    'shots.duplicate': ({ id }) =>
      session.edit('Duplicate shot', (p) => {
        const shot = findShot(p, id);
        const { takes: _takes, selectedTakeId: _sel, trim: _trim, id: _id, startFrameFrom: _chain, startKeyframe: _keyframe, ...fields } = structuredClone(shot);
        p.shots.splice(p.shots.indexOf(shot) + 1, 0, newShot({ ...fields, title: fields.title ? `${fields.title} (copy)` : '' }));
      }),
    'shots.setFrame': async ({ shotId, which, path: file }) => {
      findShot(session.current, shotId);
      const rel = await imports.refImage(file, `the ${which} frame`);
      return plain(`Set ${which} frame of ${shotLabel(session.current, shotId)}`, (p) => {
        const s2 = findShot(p, shotId);
        // A start frame chosen by hand ends a chain (shared/chain.ts).
        if (which === 'start') {
          s2.startFrame = rel;
          delete s2.startFrameFrom;
        } else s2.endFrame = rel;
      });
    },
    'shots.fitFrame': async ({ shotId, which, mode }) => {
      const shot = findShot(session.current, shotId);
      const rel = which === 'start' ? shot.startFrame : shot.endFrame;
      if (!rel) throw new StudioError('INVALID_INPUT', `Nothing was changed: ${shotLabel(session.current, shotId)} has no ${which} frame.`);
      const fitted = await fitFrameImage({ projectDir: session.dir, rel, aspect: shotAspect(session.current, shot), mode });
      return plain(`${mode === 'pad' ? 'Fit' : 'Crop'} ${which} frame of ${shotLabel(session.current, shotId)}`, (p) => {
        const s2 = findShot(p, shotId);
        if (which === 'start') {
          s2.startFrame = fitted;
          delete s2.startFrameFrom;
        } else s2.endFrame = fitted;
      });
    },
  } satisfies Partial<Handlers>;
}
