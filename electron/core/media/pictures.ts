// Pictures in the background (docs/architecture.md §7): poster frames and filmstrip sprites for takes, waveforms for
// audio lanes. Cached under cache/pictures/ by the content hash of the source (a take's sha256, an audio
// file's own hash), so a picture is made once and survives renames and moves of the project folder.
// One small queue per process makes them one at a time on one thread, so they never compete with
// playback, stitching or an export for both cores; asking twice for the same picture waits for the same work.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Pictures } from '../../../shared/api';
import type { Project, Take } from '../../../shared/schema';
import { filmstripFrameSize, filmstripJob, FILMSTRIP_FRAMES, posterJob, waveformJob, waveformWidth, WAVEFORM_HEIGHT } from './pictures-args';
import type { FfmpegJob } from './ffmpeg-args';
import { probe, runFfmpeg } from './ffmpeg';
import { sha256File } from '../util/hash-file';

export const PICTURES_DIR = 'cache/pictures';
/** Bumped when the look of a picture changes, so old cached ones are not reused. */
const VERSION = 'v1';

/** Runs tasks one at a time in arrival order; the same key queued twice shares one run. */
export class PictureQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly pending = new Map<string, Promise<unknown>>();
  private waiting = 0;

  get size(): number {
    return this.waiting;
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const existing = this.pending.get(key);
    if (existing) return existing as Promise<T>;
    this.waiting++;
    const result = this.tail.then(task, task).finally(() => {
      this.waiting--;
      this.pending.delete(key);
    });
    this.tail = result.catch(() => {});
    this.pending.set(key, result);
    return result;
  }
}

/** The process-wide queue: pictures of every open project share the one background lane. */
export const pictureQueue = new PictureQueue();

export interface Filmstrip {
  path: string;
  frames: number;
  frameWidth: number;
  frameHeight: number;
  intervalSec: number;
}

async function make(file: string, job: (tmp: string) => FfmpegJob): Promise<void> {
  // The picture appears under its final name only when complete: a crash never leaves half an image in the cache.
  const tmp = `${file.slice(0, -path.extname(file).length)}.tmp${path.extname(file)}`;
  await fs.mkdir(path.dirname(file), { recursive: true });
  try {
    await runFfmpeg(job(tmp));
    await fs.rename(tmp, file);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

export class PictureCache {
  private readonly laneHashes = new Map<string, { size: number; mtimeMs: number; sha256: string }>();

  constructor(
    readonly dir: string,
    private readonly queue: PictureQueue = pictureQueue,
  ) {}

  private rel(name: string): string {
    return path.posix.join(PICTURES_DIR, name);
  }

  /** Poster frame of a ready take (project-relative path). */
  async poster(take: Take): Promise<string> {
    const media = take.media!;
    const rel = this.rel(`${media.sha256.slice(0, 16)}-poster-${VERSION}.jpg`);
    const file = path.join(this.dir, rel);
    if (existsSync(file)) return rel;
    return this.queue.run(file, async () => {
      if (!existsSync(file)) await make(file, (tmp) => posterJob({ source: path.join(this.dir, media.path), durationSec: media.durationSec, output: tmp }));
      return rel;
    });
  }

  /** Filmstrip sprite of a ready take: FILMSTRIP_FRAMES frames side by side. */
  async filmstrip(take: Take): Promise<Filmstrip> {
    const media = take.media!;
    const size = filmstripFrameSize(media.width, media.height);
    const info = { frames: FILMSTRIP_FRAMES, ...size, intervalSec: media.durationSec / FILMSTRIP_FRAMES };
    const rel = this.rel(`${media.sha256.slice(0, 16)}-filmstrip-${VERSION}-${FILMSTRIP_FRAMES}x${size.frameHeight}.jpg`);
    const file = path.join(this.dir, rel);
    if (existsSync(file)) return { path: rel, ...info };
    return this.queue.run(file, async () => {
      if (!existsSync(file)) {
        await make(file, (tmp) =>
          filmstripJob({ source: path.join(this.dir, media.path), durationSec: media.durationSec, width: media.width, height: media.height, output: tmp }),
        );
      }
      return { path: rel, ...info };
    });
  }

  /** Waveform of an audio file in the project (project-relative path in, project-relative PNG out). */
  async waveform(audioRel: string): Promise<string> {
    const source = path.join(this.dir, audioRel);
    const stat = await fs.stat(source);
    let known = this.laneHashes.get(source);
    if (!known || known.size !== stat.size || known.mtimeMs !== stat.mtimeMs) {
      known = { size: stat.size, mtimeMs: stat.mtimeMs, sha256: await sha256File(source) };
      this.laneHashes.set(source, known);
    }
    const sha = known.sha256;
    return this.queue.run(`${this.dir}\u0000waveform\u0000${sha}`, async () => {
      // The width depends on the length, so the cache name carries the height only and the file is found by prefix.
      const prefix = `${sha.slice(0, 16)}-waveform-${VERSION}-`;
      const dirAbs = path.join(this.dir, PICTURES_DIR);
      const hit = (await fs.readdir(dirAbs).catch(() => [] as string[])).find((f) => f.startsWith(prefix) && f.endsWith('.png') && !f.includes('.tmp'));
      if (hit) return this.rel(hit);
      const info = await probe(source);
      const rel = this.rel(`${prefix}${waveformWidth(info.durationSec)}x${WAVEFORM_HEIGHT}.png`);
      await make(path.join(this.dir, rel), (tmp) => waveformJob({ source, durationSec: info.durationSec, output: tmp }));
      return rel;
    });
  }

  /** Everything asked for (omitted ids = every ready take and every lane); one failure never hides the rest. */
  async forProject(project: Project, want: { takeIds?: string[]; laneIds?: string[] } = {}): Promise<Pictures> {
    const takes = project.shots.flatMap((s) => s.takes).filter((t) => (want.takeIds ? want.takeIds.includes(t.id) : t.status === 'ready'));
    const lanes = project.audioLanes.filter((l) => (want.laneIds ? want.laneIds.includes(l.id) : true));
    const why = (err: unknown) => (err instanceof Error ? err.message : String(err));
    const takeResults = await Promise.all(
      takes.map(async (take): Promise<Pictures['takes'][number]> => {
        if (take.status !== 'ready' || !take.media) return { takeId: take.id, error: 'This take has no clip yet; its pictures are made when it is ready.' };
        if (!existsSync(path.join(this.dir, take.media.path))) {
          return { takeId: take.id, error: `The clip ${take.media.path} is missing from the project folder; put it back to see its pictures.` };
        }
        const [poster, filmstrip] = await Promise.allSettled([this.poster(take), this.filmstrip(take)]);
        const errors = [poster, filmstrip].filter((r) => r.status === 'rejected').map((r) => why((r as PromiseRejectedResult).reason));
        return {
          takeId: take.id,
          ...(poster.status === 'fulfilled' ? { poster: poster.value } : {}),
          ...(filmstrip.status === 'fulfilled' ? { filmstrip: filmstrip.value } : {}),
          ...(errors.length ? { error: errors.join(' ') } : {}),
        };
      }),
    );
    const laneResults = await Promise.all(
      lanes.map(async (lane): Promise<Pictures['lanes'][number]> => {
        if (!existsSync(path.join(this.dir, lane.path))) return { laneId: lane.id, error: `The audio file ${lane.path} is missing from the project folder.` };
        try {
          return { laneId: lane.id, waveform: await this.waveform(lane.path) };
        } catch (err) {
          return { laneId: lane.id, error: why(err) };
        }
      }),
    );
    return { takes: takeResults, lanes: laneResults };
  }
}
