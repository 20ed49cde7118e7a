// The patch format of `project.changed`: what changed between two revisions of the document, by id.
// One implementation for both sides: the core makes patches (diffProject) and the renderer applies them
// (applyProjectPatch, and applyProjectChange for a whole ProjectState), so
//   applyProjectPatch(a, diffProject(a, b)) deep-equals b.
// Objects carry the fields that changed (`set`), the ones removed (`unset`) and, for lists whose items all
// have an `id` (shots, takes, groups, lanes, voices, elements), a list patch: the ids removed, the items
// changed (recursively, so one take's status change sends that take, not the shot's other takes), the new
// order of the surviving items when it changed, and the items inserted at their final index.
// Plain JSON-like values only (what the schema parses): undefined is the same as absent.
import { z } from 'zod';
import type { Project } from './schema';
import type { ProjectChange, ProjectState } from './api';

export interface ObjectPatch {
  set?: Record<string, unknown>;
  unset?: string[];
  lists?: Record<string, ListPatch>;
  /** Every key of the result in order, when a key was added (so the result's JSON is the same text too). */
  keys?: string[];
}

export interface ListPatch {
  remove?: string[];
  change?: Array<{ id: string } & ObjectPatch>;
  /** Ids of the items kept from before, in their new order (only when that order changed). */
  order?: string[];
  /** New items with their index in the final list, ascending. */
  insert?: Array<{ index: number; item: unknown }>;
}

export type ProjectPatch = ObjectPatch;

const ObjectPatchSchema: z.ZodType<ObjectPatch> = z.lazy(() =>
  z.object({
    set: z.record(z.string(), z.unknown()).optional(),
    unset: z.array(z.string()).optional(),
    lists: z.record(z.string(), ListPatchSchema).optional(),
    keys: z.array(z.string()).optional(),
  }),
);
const ListPatchSchema: z.ZodType<ListPatch> = z.lazy(() =>
  z.object({
    remove: z.array(z.string()).optional(),
    change: z.array(z.intersection(z.object({ id: z.string() }), ObjectPatchSchema)).optional(),
    order: z.array(z.string()).optional(),
    insert: z.array(z.object({ index: z.number().int().nonnegative(), item: z.unknown() })).optional(),
  }),
);
export const ProjectPatchSchema = ObjectPatchSchema;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function idOf(v: unknown): string | undefined {
  return isObject(v) && typeof v.id === 'string' ? v.id : undefined;
}

/** An array whose items are all objects with a string id (an empty array qualifies). */
function isIdList(v: unknown): v is Json[] {
  if (!Array.isArray(v)) return false;
  const ids = new Set<string>();
  for (const item of v) {
    const id = idOf(item);
    // Items without ids, or two with the same id, travel as the whole list.
    if (id === undefined || ids.has(id)) return false;
    ids.add(id);
  }
  return true;
}

/** Deep equality of JSON-like values; an undefined field is the same as an absent one. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (!isObject(a) || !isObject(b)) return false;
  for (const k in a) if (!jsonEqual(a[k], b[k])) return false;
  for (const k in b) if (a[k] === undefined && b[k] !== undefined) return false;
  return true;
}

export function isEmptyPatch(p: ObjectPatch): boolean {
  return !p.set && !p.unset && !p.lists && !p.keys;
}

/** What turns object `a` into object `b` (empty when they are deep-equal). */
export function diffObject(a: Json, b: Json): ObjectPatch {
  const patch: ObjectPatch = {};
  let added = false;
  for (const k in b) {
    const next = b[k];
    if (next === undefined) continue;
    const prev = a[k];
    if (prev === undefined) added = true;
    if (jsonEqual(prev, next)) continue;
    if (isIdList(prev) && isIdList(next) && (prev.length > 0 || next.length > 0)) {
      const lp = diffList(prev, next);
      if (lp) (patch.lists ??= {})[k] = lp;
    } else {
      (patch.set ??= {})[k] = next;
    }
  }
  for (const k in a) if (a[k] !== undefined && b[k] === undefined) (patch.unset ??= []).push(k);
  if (added) patch.keys = Object.keys(b).filter((k) => b[k] !== undefined);
  return patch;
}

function diffList(a: Json[], b: Json[]): ListPatch | undefined {
  const before = new Map(a.map((item) => [item.id as string, item]));
  const after = new Set(b.map((item) => item.id as string));
  const patch: ListPatch = {};
  const remove = a.map((item) => item.id as string).filter((id) => !after.has(id));
  if (remove.length) patch.remove = remove;
  const kept: string[] = [];
  b.forEach((item, index) => {
    const id = item.id as string;
    const prev = before.get(id);
    if (!prev) {
      (patch.insert ??= []).push({ index, item });
      return;
    }
    kept.push(id);
    const p = diffObject(prev, item);
    if (!isEmptyPatch(p)) (patch.change ??= []).push({ id, ...p });
  });
  const keptBefore = a.map((item) => item.id as string).filter((id) => after.has(id));
  if (kept.some((id, i) => id !== keptBefore[i])) patch.order = kept;
  return patch.remove || patch.insert || patch.change || patch.order ? patch : undefined;
}

/**
 * `base` with `patch` applied, as a new object: `base` is never changed, and every part the patch does not
 * touch is `base`'s own object (an unchanged shot keeps its identity, so per-shot selectors stay quiet).
 */
export function applyObjectPatch<T extends object>(base: T, patch: ObjectPatch): T {
  const out: Json = { ...(base as Json) };
  for (const k of patch.unset ?? []) delete out[k];
  for (const [k, v] of Object.entries(patch.set ?? {})) out[k] = v;
  for (const [k, lp] of Object.entries(patch.lists ?? {})) out[k] = applyListPatch(Array.isArray(out[k]) ? (out[k] as Json[]) : [], lp);
  if (!patch.keys) return out as T;
  const ordered: Json = {};
  for (const k of patch.keys) if (k in out) ordered[k] = out[k];
  for (const k in out) if (!(k in ordered)) ordered[k] = out[k];
  return ordered as T;
}

function applyListPatch(base: Json[], patch: ListPatch): Json[] {
  const removed = new Set(patch.remove ?? []);
  const changes = new Map((patch.change ?? []).map(({ id, ...p }) => [id, p as ObjectPatch]));
  let items = base.filter((item) => !removed.has(item.id as string)).map((item) => {
    const p = changes.get(item.id as string);
    return p ? applyObjectPatch(item, p) : item;
  });
  if (patch.order) {
    const byId = new Map(items.map((item) => [item.id as string, item]));
    items = patch.order.map((id) => byId.get(id)).filter((item): item is Json => item !== undefined);
  }
  for (const { index, item } of patch.insert ?? []) items.splice(index, 0, item as Json);
  return items;
}

/** The patch that turns project `a` into project `b`. */
export function diffProject(a: Project, b: Project): ProjectPatch {
  return diffObject(a as unknown as Json, b as unknown as Json);
}

export function applyProjectPatch(base: Project, patch: ProjectPatch): Project {
  return applyObjectPatch(base, patch);
}

/**
 * The state after `change`, or undefined when `change` is a patch for another revision than `base`'s (a
 * gap: the caller asks for a whole state). A whole state is taken as it is.
 */
export function applyProjectChange(base: ProjectState | null, change: ProjectChange): ProjectState | undefined {
  if ('project' in change) return change;
  if (!base || base.rev !== change.baseRev) return undefined;
  const next: ProjectState = {
    ...base,
    project: isEmptyPatch(change.patch) ? base.project : applyProjectPatch(base.project, change.patch),
    rev: change.rev,
    saved: change.saved,
    history: change.history,
  };
  if (change.saveError) next.saveError = change.saveError;
  else delete next.saveError;
  return next;
}
