// ffprobe results remembered per file. Starting ffprobe costs ~50 ms — more than a stream-copy stitch of a
// whole cut spends on each clip — so a file is probed once while it stays the same (same size, same mtime),
// in memory for this process and in the project's cache/probes.json for the next one.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { atomicWriteFile } from '../project/atomic-write';
import { earlierProbe, fileStamp, forgetProbes, probe, type ProbeResult } from './probe';

const VERSION = 1;
const FILE = path.join('cache', 'probes.json');

interface Entry {
  /** size:mtimeMs — a file rewritten in place gets probed again. */
  stamp: string;
  info: ProbeResult;
}

const memory = new Map<string, Entry>();
const loaded = new Map<string, Promise<Map<string, Entry>>>();
/** Projects whose cache/probes.json is behind what this process knows. */
const dirty = new Set<string>();

function stampOf(st: { size: number; mtimeMs: number }): string {
  return `${st.size}:${Math.round(st.mtimeMs)}`;
}

async function persisted(projectDir: string): Promise<Map<string, Entry>> {
  let p = loaded.get(projectDir);
  if (!p) {
    p = fs
      .readFile(path.join(projectDir, FILE), 'utf8')
      .then((text) => {
        const data = JSON.parse(text) as { version?: number; entries?: Record<string, Entry> };
        return new Map(data.version === VERSION ? Object.entries(data.entries ?? {}) : []);
      })
      // A missing or damaged cache file is only a slower first stitch.
      .catch(() => new Map<string, Entry>());
    loaded.set(projectDir, p);
  }
  return p;
}

/**
 * Probes `file`, or returns what an earlier probe found if the file has not changed. With `projectDir`, files
 * inside the project are remembered across runs (keyed by their path relative to the project).
 */
export async function probeCached(file: string, opts: { projectDir?: string } = {}): Promise<ProbeResult> {
  const abs = path.resolve(file);
  const st = await fs.stat(abs);
  const stamp = stampOf(st);
  const hit = memory.get(abs);
  if (hit?.stamp === stamp) return hit.info;
  // Probed under another name a moment ago (a download checked as `.part`, then renamed)?
  const earlier = earlierProbe(fileStamp(st));
  const rel = opts.projectDir ? path.relative(opts.projectDir, abs) : undefined;
  const inProject = rel !== undefined && !rel.startsWith('..') && !path.isAbsolute(rel);
  const store = inProject ? await persisted(opts.projectDir!) : undefined;
  const kept = store?.get(rel!.split(path.sep).join('/'));
  if (kept?.stamp === stamp) {
    memory.set(abs, kept);
    return kept.info;
  }
  const info = earlier ?? (await probe(abs));
  const entry = { stamp, info };
  memory.set(abs, entry);
  if (store) {
    store.set(rel!.split(path.sep).join('/'), entry);
    dirty.add(opts.projectDir!);
  }
  return info;
}

/** Writes what was learned about the project's files to cache/probes.json (entries for deleted files are dropped). */
export async function saveProbeCache(projectDir: string): Promise<void> {
  if (!dirty.has(projectDir)) return;
  dirty.delete(projectDir);
  const store = await persisted(projectDir);
  const entries: Record<string, Entry> = {};
  for (const [rel, entry] of store) {
    const st = await fs.stat(path.join(projectDir, rel)).catch(() => undefined);
    if (st && stampOf(st) === entry.stamp) entries[rel] = entry;
  }
  await fs.mkdir(path.join(projectDir, 'cache'), { recursive: true });
  await atomicWriteFile(path.join(projectDir, FILE), JSON.stringify({ version: VERSION, entries }));
}

/** Forgets everything (tests; or after ffmpeg changed, since results can differ between versions). */
export function clearProbeCache(): void {
  memory.clear();
  loaded.clear();
  dirty.clear();
  forgetProbes();
}

