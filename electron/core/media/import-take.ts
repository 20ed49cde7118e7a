// A clip from elsewhere (an editor, another tool, a provider's dashboard) becomes a take of a shot: checked
// with ffprobe, copied into media/takes/<shot>/, hashed, selected, and made ready for the cut at once.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { selectTake } from '../../../shared/trim';
import type { ProjectState } from '../../../shared/api';
import { StudioError } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import type { Project, Shot, Take } from '../../../shared/schema';
import { currentHashes } from '../../../shared/work-units';
import type { ProjectSession } from '../project/session';
import { probe, type ProbeResult } from './ffmpeg';
import { targetFor } from './ffmpeg-args';
import { prepareClip, type StitchReport } from './stitch';
import { sha256File } from '../util/hash-file';

/** Picture codecs a take may carry; anything else (a still image, a text file ffprobe happens to read) is refused. */
const VIDEO_CODECS = new Set(['h264', 'hevc', 'vp8', 'vp9', 'av1', 'prores', 'mpeg4', 'mpeg2video', 'mjpeg', 'dnxhd', 'theora', 'ffv1', 'qtrle', 'png']);
/** Containers by ffprobe's format name → the extension the copy gets when the original's is not one of ours. */
const CONTAINERS: [RegExp, string][] = [
  [/\bmov\b|\bmp4\b/, '.mov'],
  [/\bmatroska\b|\bwebm\b/, '.mkv'],
  [/\bavi\b/, '.avi'],
  [/\bmpegts\b/, '.ts'],
  [/\bmxf\b/, '.mxf'],
  [/\bogg\b/, '.ogv'],
];
const KEEP_EXTENSIONS = new Set(['.mp4', '.mov', '.m4v', '.mkv', '.webm', '.avi', '.ts', '.mts', '.m2ts', '.mxf', '.ogv']);

/** Finds a shot by id, by its number on the timeline (1-based) or by its exact title (ignoring case). */
export function resolveShot(project: Project, ref: string): Shot {
  const byId = project.shots.find((s) => s.id === ref);
  if (byId) return byId;
  if (/^\d+$/.test(ref)) {
    const shot = project.shots[Number(ref) - 1];
    if (shot) return shot;
  }
  const byTitle = project.shots.filter((s) => s.title.trim().toLowerCase() === ref.trim().toLowerCase());
  if (byTitle.length === 1) return byTitle[0];
  const range = project.shots.length ? `a number from 1 to ${project.shots.length}, a shot id or a title` : 'none: the project has no shots yet';
  const why = byTitle.length > 1 ? `${byTitle.length} shots are titled "${ref}"` : `there is no shot "${ref}"`;
  throw new StudioError('NOT_FOUND', `Nothing was imported: ${why}. Shots can be named by ${range}.`);
}

/** The file's sha256 (electron/core/util/hash-file.ts; the name callers of this module know it by). */
export { sha256File as sha256Of };

/** Why this file cannot be a take, or undefined when it can. */
export function importProblem(info: ProbeResult): string | undefined {
  if (!info.video) return 'it has no picture (only sound?)';
  if (!VIDEO_CODECS.has(info.video.codec)) return `its picture is ${info.video.codec}, which is not a video codec Storyreel reads`;
  if (!CONTAINERS.some(([re]) => re.test(info.formatName))) return `it is a ${info.formatName} file, not a video container (MP4, MOV, MKV, WebM, AVI, MPEG-TS, MXF, Ogg)`;
  const seconds = info.video.durationSec ?? info.durationSec;
  if (!(seconds > 0.04)) return 'it is not even one frame long';
  return undefined;
}

function extensionFor(file: string, info: ProbeResult): string {
  const ext = path.extname(file).toLowerCase();
  if (KEEP_EXTENSIONS.has(ext)) return ext;
  return CONTAINERS.find(([re]) => re.test(info.formatName))![1];
}

export interface ImportResult {
  state: ProjectState;
  take: Take;
  shot: Shot;
  /** The same clip was already a take of this shot: that take was selected and nothing was copied. */
  alreadyThere: boolean;
  /** What was done so the clip stitches at once (proxy built, sound converted…). */
  prepared: StitchReport;
}

/**
 * Imports `file` as a new take of the shot and selects it. Nothing is written to the project until the clip
 * has been checked, copied whole, hashed and prepared for the cut; a failure leaves the project as it was.
 *
 * The take counts as current for the shot's present settings (its request hash is the shot's), so
 * "Generate all" does not pay to replace a clip someone chose by hand; params.source says it was imported.
 */
export async function importTake(opts: { session: ProjectSession; shotId: string; file: string; signal?: AbortSignal }): Promise<ImportResult> {
  const { session } = opts;
  const dir = session.dir;
  const source = path.resolve(opts.file);
  const name = path.basename(source);
  const st = await fs.stat(source).catch(() => undefined);
  if (!st?.isFile()) throw new StudioError('NOT_FOUND', `Nothing was imported: ${opts.file} ${st ? 'is not a file' : 'does not exist'}.`);
  const shot = resolveShot(session.current, opts.shotId);
  const info = await probe(source).catch((err: Error) => {
    throw new StudioError('INVALID_INPUT', `Nothing was imported: ${err.message}`);
  });
  const problem = importProblem(info);
  if (problem) throw new StudioError('INVALID_INPUT', `Nothing was imported: ${name} cannot be a take because ${problem}.`);

  const sha256 = await sha256File(source);
  const target = targetFor(session.current.settings.aspectRatio);
  const existing = shot.takes.find((t) => t.media?.sha256 === sha256 && t.status === 'ready');
  if (existing) {
    const prepared = await prepareClip({ dir, shot, target, file: path.join(dir, existing.media!.path), sha256, signal: opts.signal });
    const state = session.mutate((p) => void selectTake(p.shots.find((s) => s.id === shot.id)!, existing.id));
    return { state, take: existing, shot: state.project.shots.find((s) => s.id === shot.id)!, alreadyThere: true, prepared };
  }

  const takeId = newId('take');
  const rel = path.posix.join('media', 'takes', shot.id, `${takeId}${extensionFor(source, info)}`);
  const dest = path.join(dir, rel);
  const part = `${dest}.part`;
  await fs.mkdir(path.dirname(dest), { recursive: true });
  let prepared: StitchReport;
  try {
    await fs.copyFile(source, part);
    // The copy is hashed again: a file that changed while it was copied is not silently kept.
    if ((await sha256File(part)) !== sha256) throw new StudioError('INVALID_INPUT', `Nothing was imported: ${name} changed while it was being copied. Try again once it is finished.`);
    await fs.rename(part, dest);
    prepared = await prepareClip({ dir, shot, target, file: dest, sha256, signal: opts.signal });
  } catch (err) {
    await fs.rm(part, { force: true });
    await fs.rm(dest, { force: true });
    if (err instanceof StudioError) throw err;
    throw new StudioError('FFMPEG_FAILED', `Nothing was imported: ${name} could not be prepared for the cut (${(err as Error).message}). Your project is unchanged.`);
  }

  const project = session.current;
  const take: Take = {
    id: takeId,
    jobId: newId('import'),
    provider: project.settings.provider,
    tier: shot.tier ?? project.settings.tier,
    request: { hash: currentHashes(project).get(shot.id) ?? `import:${sha256.slice(0, 16)}`, params: { source: 'import', file: name } },
    status: 'ready',
    media: {
      path: rel,
      sha256,
      durationSec: info.video!.durationSec ?? info.durationSec,
      width: info.video!.width,
      height: info.video!.height,
      fps: info.video!.fps,
      hasAudio: Boolean(info.audio),
    },
    estimatedUsd: 0,
    actualUsd: 0,
    review: { rating: 0, flag: 'none', notes: [] },
    createdAt: new Date().toISOString(),
  };
  let state: ProjectState;
  try {
    state = session.mutate((p) => {
      const s = p.shots.find((x) => x.id === shot.id);
      if (!s) throw new StudioError('NOT_FOUND', `Nothing was imported: the shot was deleted meanwhile.`);
      s.takes.push(take);
      selectTake(s, take.id);
    });
  } catch (err) {
    await fs.rm(dest, { force: true });
    throw err;
  }
  return { state, take, shot: state.project.shots.find((s) => s.id === shot.id)!, alreadyThere: false, prepared };
}
