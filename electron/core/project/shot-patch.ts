// One place that applies a ShotPatch to a shot of a draft project: shots.update (one shot) and
// shots.updateMany (a multi-selection, one undo step) both use it, so both refuse the same bad input.
import { capabilitiesFor, shotDurationRange } from '../../../shared/capabilities';
import { StudioError } from '../../../shared/errors';
import type { Project, Shot, ShotPatch } from '../../../shared/schema';
import { selectTake, trimProblem } from '../../../shared/trim';

/** How a person calls each field, for undo labels ("Edit duration of 3 shots"). */
export const FIELD_NAMES: Record<string, string> = {
  title: 'title',
  prompt: 'prompt',
  negativePrompt: 'negative prompt',
  durationSec: 'duration',
  cfgScale: 'CFG scale',
  aspectRatio: 'aspect ratio',
  tier: 'tier',
  startFrame: 'start frame',
  endFrame: 'end frame',
  elementIds: 'elements',
  audio: 'audio',
  notes: 'notes',
  selectedTakeId: 'chosen take',
  trim: 'trim',
};

export function patchFieldNames(patch: ShotPatch): string {
  return Object.keys(patch)
    .map((f) => FIELD_NAMES[f] ?? f)
    .join(', ');
}

/** Changes `shot` (part of `p`, a draft) as the patch says; throws a StudioError naming the field for input it cannot take. */
export function applyShotPatch(p: Project, shot: Shot, patch: ShotPatch): void {
  if (patch.selectedTakeId !== undefined && !shot.takes.some((t) => t.id === patch.selectedTakeId)) {
    throw new StudioError('NOT_FOUND', `Shot ${shot.title || shot.id} has no take ${patch.selectedTakeId}.`);
  }
  if (patch.elementIds) {
    const unknown = patch.elementIds.filter((e) => !p.elements.some((el) => el.id === e));
    if (unknown.length) throw new StudioError('INVALID_INPUT', `elementIds: ${unknown.join(', ')} is not in the project's element library.`);
  }
  if (patch.audio?.voiceIds) {
    const unknown = patch.audio.voiceIds.filter((v) => !p.voices.some((vo) => vo.id === v));
    if (unknown.length) throw new StudioError('INVALID_INPUT', `audio.voiceIds: ${unknown.join(', ')} is not in the project's voice library.`);
  }
  if (patch.durationSec !== undefined) {
    // One table for every shot length (shared/capabilities.ts): 1–2 s only inside a multi-shot group.
    const grouped = p.groups.some((g) => g.shotIds.includes(shot.id));
    const caps = capabilitiesFor(p.settings.provider, patch.tier ?? shot.tier ?? p.settings.tier);
    const range = shotDurationRange(caps, grouped);
    if (patch.durationSec < range.min || patch.durationSec > range.max) {
      const where = `Shot ${p.shots.indexOf(shot) + 1}${shot.title ? ` “${shot.title}”` : ''}`;
      const why = grouped ? `a shot in a multi-shot group on ${caps.label} is ${range.min}–${range.max} s` : `a shot on its own is ${range.min}–${range.max} s (1–2 s shots only inside a multi-shot group)`;
      throw new StudioError('INVALID_INPUT', `${where}, duration: ${patch.durationSec} s is refused — ${why}; it stays ${shot.durationSec} s.`);
    }
  }
  const { aspectRatio, tier, trim, startFrame, endFrame, audio, selectedTakeId, ...rest } = patch;
  if (trim) {
    const take = shot.takes.find((t) => t.id === (selectedTakeId ?? shot.selectedTakeId));
    const problem = trimProblem(trim.inSec, take?.media?.durationSec);
    if (problem) throw new StudioError('INVALID_INPUT', problem);
  }
  if (selectedTakeId !== undefined) selectTake(shot, selectedTakeId);
  Object.assign(shot, rest);
  if (audio) Object.assign(shot.audio, audio);
  // A start frame set or removed by hand ends a chain (shared/chain.ts): the chain would overwrite it.
  if (startFrame !== undefined) delete shot.startFrameFrom;
  if (startFrame === null) delete shot.startFrame;
  else if (startFrame !== undefined) shot.startFrame = startFrame;
  if (endFrame === null) delete shot.endFrame;
  else if (endFrame !== undefined) shot.endFrame = endFrame;
  if (trim === null) delete shot.trim;
  else if (trim !== undefined) shot.trim = trim;
  // null hands the choice back to the project's setting.
  if (aspectRatio === null) delete shot.aspectRatio;
  else if (aspectRatio !== undefined) shot.aspectRatio = aspectRatio;
  if (tier === null) delete shot.tier;
  else if (tier !== undefined) shot.tier = tier;
}
