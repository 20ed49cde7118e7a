// When a take is current, and when a shot still needs generating — one rule for the engine's plan, the
// CLI and the studio. Pure (no Node, no DOM).
//
// A take is current when it was made from the shot's present creative parameters (prompt, negative
// prompt, frames, elements, voices, audio, CFG, ratio; for a grouped shot, its group's — shared/work-units.ts
// specHash) at a length its clip can be trimmed to (a grouped shot's clip is its piece of the group's clip),
// whoever made it and at whichever tier: switching the project's provider or tier never makes a paid take stale.
// An animatic take is a draft: it is current for its shot, but a cloud provider still generates a shot
// that has nothing better.
import { TIER_IDS, type TierId } from './capabilities';
import { isStopped } from './job-status';
import { MAX_SHOT_SECONDS, MIN_SHOT_SECONDS, type Project, type ProviderId, type Shot, type Take } from './schema';
import { clipCoversShot } from './trim';
import { HASH_PREFIX, legacySpecHash, workUnits, type UnitHashes } from './work-units';

type TakeLike = Pick<Take, 'provider' | 'request' | 'status' | 'media'>;

export const isDraft = (take: Pick<Take, 'provider'>): boolean => take.provider === 'animatic';

/**
 * How a take stands against its shot (`want` = the shot's hashes; none = a deleted shot):
 * - `current`: made from the shot's present creative parameters — at its length, or at another length with
 *   enough clip from the shot's in point to trim it to the shot (shortening a shot never asks for money);
 * - `short`: the same parameters, but too little clip for the shot's length ("needs a longer take": shown
 *   and played, held on its last frame, but a new take is offered);
 * - `stale`: made from other parameters.
 */
export type TakeFit = 'current' | 'short' | 'stale';

export function takeFit(take: Pick<Take, 'provider' | 'request' | 'media'>, want: UnitHashes | undefined): TakeFit {
  if (!want) return 'stale';
  const pick = (h: { draft: string; clip: string }) => (isDraft(take) ? h.draft : h.clip);
  if (take.request.hash === pick(want)) return 'current';
  const fit = want.fit;
  if (!fit) return 'stale';
  const asked = askedLengths(take.request.params, fit.shotId).find((lengths) => pick(fit.at(lengths)) === take.request.hash);
  if (!asked) return 'stale';
  // A group's take is the shot's piece of the group's clip: its own length is what the shot can use.
  const clipSec = take.media?.durationSec ?? asked[fit.shotId] ?? fit.durationSec;
  return clipCoversShot({ durationSec: fit.durationSec, trim: { inSec: fit.inSec } }, clipSec) ? 'current' : 'short';
}

/**
 * The lengths (by shot id) a take's request may have asked for: a group's take names each of its shots'
 * lengths; a single shot's take its own. An imported clip does not say: every length of its shot is tried
 * (the other shots of its group at their present lengths).
 */
function askedLengths(params: Record<string, unknown>, shotId: string): Record<string, number>[] {
  if (Array.isArray(params.shots)) {
    const lengths: Record<string, number> = {};
    for (const s of params.shots as { shotId?: unknown; durationSec?: unknown }[]) {
      if (typeof s?.shotId === 'string' && typeof s.durationSec === 'number') lengths[s.shotId] = s.durationSec;
    }
    return shotId in lengths ? [lengths] : [];
  }
  if (typeof params.durationSec === 'number') return [{ [shotId]: params.durationSec }];
  return ALL_LENGTHS.map((sec) => ({ [shotId]: sec }));
}

const ALL_LENGTHS = Array.from({ length: MAX_SHOT_SECONDS - MIN_SHOT_SECONDS + 1 }, (_, i) => MIN_SHOT_SECONDS + i);

/** Made from the shot's present creative parameters, and long enough for it (takeFit). */
export function isCurrentTake(take: Pick<Take, 'provider' | 'request' | 'media'>, want: UnitHashes | undefined): boolean {
  return takeFit(take, want) === 'current';
}

/** Ready, or still on its way (a failed or canceled take gave nothing). */
const live = (take: TakeLike) => !isStopped(take.status);

/**
 * Whether this take spares `provider` from generating its shot: current and live — and, when the provider
 * is a cloud one, not an animatic draft.
 */
export function takeCovers(take: TakeLike, want: UnitHashes | undefined, provider: ProviderId): boolean {
  return live(take) && isCurrentTake(take, want) && (provider === 'animatic' || !isDraft(take));
}

export type ShotNeed = 'covered' | 'draft-only' | 'needed';

/** What `provider` has to do for a shot: nothing, replace an animatic draft, or make its first current take. */
export function shotNeed(shot: Pick<Shot, 'takes'>, want: UnitHashes | undefined, provider: ProviderId): ShotNeed {
  if (shot.takes.some((t) => takeCovers(t, want, provider))) return 'covered';
  if (provider !== 'animatic' && shot.takes.some((t) => live(t) && isCurrentTake(t, want))) return 'draft-only';
  return 'needed';
}

/** "5 shots have only animatic drafts" — said wherever a cloud generate includes such shots. */
export function draftsNote(count: number): string {
  return count === 1 ? '1 shot has only an animatic draft' : `${count} shots have only animatic drafts`;
}

/**
 * Takes saved by an older Storyreel carry a hash of the whole request, provider and tier included. On
 * open, each old take that was current for its own provider and tier gets the creative hash it has now;
 * the others were stale and stay so (an old hash never equals a new one). Returns true when it changed
 * anything (`project` is changed in place: a draft of the document).
 */
export function upgradeLegacyHashes(project: Project): boolean {
  const memo = new Map<string, Map<string, { legacy: string; hashes: UnitHashes }>>();
  const unitsFor = (provider: ProviderId, tier: TierId) => {
    const key = `${provider}/${tier}`;
    let map = memo.get(key);
    if (!map) {
      map = new Map();
      for (const unit of workUnits(project, provider, tier)) {
        const entry = { legacy: legacySpecHash(unit.spec), hashes: unit.hashes };
        for (const id of unit.shotIds) map.set(id, entry);
      }
      memo.set(key, map);
    }
    return map;
  };
  let changed = false;
  for (const shot of project.shots) {
    for (const take of shot.takes) {
      const hash = take.request.hash;
      if (hash.startsWith(HASH_PREFIX) || hash.startsWith('import:')) continue;
      const asked = take.request.params.tier;
      const tier = (TIER_IDS as readonly string[]).includes(asked as string) ? (asked as TierId) : take.tier;
      const unit = unitsFor(take.provider, tier).get(shot.id);
      if (!unit || unit.legacy !== hash) continue;
      take.request.hash = isDraft(take) ? unit.hashes.draft : unit.hashes.clip;
      changed = true;
    }
  }
  return changed;
}
