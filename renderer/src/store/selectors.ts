// Selectors shared by features. With hundreds of shots, every store change runs every subscribed
// selector, so the per-shot ones here are O(1): shots are found through an id → index map built once per
// shots array, derived values are memoized per document snapshot, and objects they return keep their
// identity while their contents are equal (so components need no useShallow, which allocates per call).
import type { Job } from '../../../shared/api';
import type { Project, Shot } from '../../../shared/schema';
import { needsGeneration, shotStatus, type ShotStatus } from '../domain/shot-status';
import type { StudioState } from './types';

const NO_SHOTS: Shot[] = [];
const NO_IDS: string[] = [];

export const selectShots = (s: StudioState): Shot[] => s.doc?.project.shots ?? NO_SHOTS;

const indexCache = new WeakMap<readonly Shot[], Map<string, number>>();

/** id → position, built once per shots array (snapshots are immutable). */
export function shotIndexMap(shots: readonly Shot[]): Map<string, number> {
  let map = indexCache.get(shots);
  if (!map) {
    map = new Map(shots.map((x, i) => [x.id, i]));
    indexCache.set(shots, map);
  }
  return map;
}

export function findShot(s: StudioState, id: string): Shot | undefined {
  const shots = selectShots(s);
  const i = shotIndexMap(shots).get(id);
  return i === undefined ? undefined : shots[i];
}

export function findShotIndex(s: StudioState, id: string): number {
  return shotIndexMap(selectShots(s)).get(id) ?? -1;
}

let lastIds: string[] = NO_IDS;
const idsCache = new WeakMap<readonly Shot[], string[]>();

/** The shots' ids in order; the same array for as long as the order is the same. */
export const selectShotIds = (s: StudioState): string[] => {
  const shots = selectShots(s);
  let ids = idsCache.get(shots);
  if (!ids) {
    ids = shots.map((x) => x.id);
    if (ids.length === lastIds.length && ids.every((id, i) => id === lastIds[i])) ids = lastIds;
    lastIds = ids;
    idsCache.set(shots, ids);
  }
  return ids;
};

const durationsCache = new WeakMap<readonly Shot[], number[]>();
let lastDurations: number[] = [];

/** The shots' durations in order; the same array for as long as they are the same. */
export const selectShotDurations = (s: StudioState): number[] => {
  const shots = selectShots(s);
  let d = durationsCache.get(shots);
  if (!d) {
    d = shots.map((x) => x.durationSec);
    if (d.length === lastDurations.length && d.every((v, i) => v === lastDurations[i])) d = lastDurations;
    lastDurations = d;
    durationsCache.set(shots, d);
  }
  return d;
};

export const selectShot =
  (id: string | null) =>
  (s: StudioState): Shot | undefined =>
    id ? findShot(s, id) : undefined;

/** The take in the cut, when it is ready to be pictured. */
export function readyTakeId(shot: Shot | undefined): string | undefined {
  if (!shot?.selectedTakeId) return undefined;
  const take = shot.takes.find((t) => t.id === shot.selectedTakeId);
  return take?.status === 'ready' && take.media ? take.id : undefined;
}

function sameStatus(a: ShotStatus, b: ShotStatus): boolean {
  if (a.kind !== b.kind) return false;
  const x = a as Partial<Record<'position' | 'progress' | 'message', unknown>>;
  const y = b as Partial<Record<'position' | 'progress' | 'message', unknown>>;
  return x.position === y.position && x.progress === y.progress && x.message === y.message;
}

const NONE: ShotStatus = { kind: 'none' };
/** Per snapshot and jobs map: the statuses asked for so far. */
const statusCache = new WeakMap<Project, { jobs: ReadonlyMap<string, Job>; byId: Map<string, ShotStatus> }>();
/** The last status handed out per shot, returned again while it reads the same. */
const lastStatus = new Map<string, ShotStatus>();

export function shotStatusOf(s: StudioState, id: string): ShotStatus {
  const project = s.doc?.project;
  if (!project) return NONE;
  let entry = statusCache.get(project);
  if (!entry || entry.jobs !== s.jobs) {
    entry = { jobs: s.jobs, byId: new Map() };
    statusCache.set(project, entry);
  }
  let status = entry.byId.get(id);
  if (!status) {
    const shot = findShot(s, id);
    status = shot ? shotStatus(project, shot, s.jobs) : NONE;
    const prev = lastStatus.get(id);
    if (prev && sameStatus(prev, status)) status = prev;
    else lastStatus.set(id, status);
    entry.byId.set(id, status);
  }
  return status;
}

/** A shot's generation status; the same object while it reads the same (no useShallow needed). */
export const selectShotStatus =
  (id: string) =>
  (s: StudioState): ShotStatus =>
    shotStatusOf(s, id);

/** What a shot's row and timeline block show of it. */
export interface ShotView {
  index: number;
  title: string;
  prompt: string;
  durationSec: number;
  takeId: string | undefined;
  /** The shot's start frame (project-relative): its picture until a take has one. */
  startFrame: string | undefined;
  /** Where the shot starts in its take (its trim's in point; 0 without one). */
  inSec: number;
}

const EMPTY_VIEW: ShotView = { index: -1, title: '', prompt: '', durationSec: 0, takeId: undefined, startFrame: undefined, inSec: 0 };
const lastView = new Map<string, { shot: Shot; view: ShotView }>();

/** The fields a shot's row shows, as one object that keeps its identity while they are equal. */
export function shotViewOf(s: StudioState, id: string): ShotView {
  const shots = selectShots(s);
  const index = shotIndexMap(shots).get(id);
  if (index === undefined) return EMPTY_VIEW;
  const shot = shots[index];
  const prev = lastView.get(id);
  if (prev && prev.shot === shot && prev.view.index === index) return prev.view;
  const next: ShotView = { index, title: shot.title, prompt: shot.prompt, durationSec: shot.durationSec, takeId: readyTakeId(shot), startFrame: shot.startFrame, inSec: shot.trim?.inSec ?? 0 };
  const v = prev?.view;
  const same = v && v.index === next.index && v.title === next.title && v.prompt === next.prompt && v.durationSec === next.durationSec && v.takeId === next.takeId && v.startFrame === next.startFrame && v.inSec === next.inSec;
  const view = same ? v : next;
  lastView.set(id, { shot, view });
  return view;
}

export const selectShotView =
  (id: string) =>
  (s: StudioState): ShotView =>
    shotViewOf(s, id);

/** What a shot's timeline block reads: its view and its status (each already interned). */
export interface ShotFace {
  view: ShotView;
  status: ShotStatus;
}

const lastFace = new Map<string, ShotFace>();

export function shotFaceOf(s: StudioState, id: string): ShotFace {
  const view = shotViewOf(s, id);
  const status = shotStatusOf(s, id);
  const prev = lastFace.get(id);
  if (prev && prev.view === view && prev.status === status) return prev;
  const face = { view, status };
  lastFace.set(id, face);
  return face;
}

/** One subscription per block instead of one per value: with hundreds of blocks, every store change runs each. */
export const selectShotFace =
  (id: string) =>
  (s: StudioState): ShotFace =>
    shotFaceOf(s, id);

/** What a shot's row in the list reads, as one object that keeps its identity while nothing in it changed. */
export interface ShotRowState extends ShotFace {
  /** The shot the inspector shows. */
  primary: boolean;
  /** Part of the (multi-)selection. */
  selected: boolean;
  grouped: boolean;
}

const lastRow = new Map<string, ShotRowState>();

export function shotRowOf(s: StudioState, id: string): ShotRowState {
  const { view, status } = shotFaceOf(s, id);
  const primary = s.selectedShotId === id;
  const selected = s.selectedShotIds.includes(id);
  const grouped = isGrouped(s, id);
  const prev = lastRow.get(id);
  if (prev && prev.view === view && prev.status === status && prev.primary === primary && prev.selected === selected && prev.grouped === grouped) return prev;
  const row = { view, status, primary, selected, grouped };
  lastRow.set(id, row);
  return row;
}

/** One subscription per row instead of five (see selectShotFace). */
export const selectShotRow =
  (id: string) =>
  (s: StudioState): ShotRowState =>
    shotRowOf(s, id);

const groupedCache = new WeakMap<Project['groups'], Set<string>>();

/** Whether the shot is part of a multi-shot group. */
export function isGrouped(s: StudioState, id: string): boolean {
  const groups = s.doc?.project.groups;
  if (!groups || groups.length === 0) return false;
  let set = groupedCache.get(groups);
  if (!set) {
    set = new Set(groups.flatMap((g) => g.shotIds));
    groupedCache.set(groups, set);
  }
  return set.has(id);
}

const needsCache = new WeakMap<Project, number>();

export const selectNeedsGenerationCount = (s: StudioState): number => {
  const project = s.doc?.project;
  if (!project) return 0;
  let count = needsCache.get(project);
  if (count === undefined) {
    count = project.shots.filter((shot) => needsGeneration(project, shot)).length;
    needsCache.set(project, count);
  }
  return count;
};

export const selectSaveState = (s: StudioState): 'saved' | 'saving' | 'unsaved' | 'offline' | 'failed' => {
  if (!s.doc) return 'saved';
  if (s.connection.status !== 'open' && s.connection.status !== 'connecting') return 'offline';
  // The core could not write project.json: the edits are only in its memory until a save works.
  if (s.doc.saveError) return 'failed';
  if (s.pendingMutations > 0) return 'saving';
  // A draft the core refused (a prompt over the limit) is on screen and not on disk: not "Saved".
  if (s.unsentEdits > 0 || !s.doc.saved || Object.keys(s.drafts).length > 0) return 'unsaved';
  return 'saved';
};

/** Short display name for a shot: its title, or its number when it has none. */
export function shotName(shot: Pick<Shot, 'title'>, index: number): string {
  return shot.title.trim() || `Untitled shot ${index + 1}`;
}
