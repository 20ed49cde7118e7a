// Files brought into the project: reference images (frames, element images), audio for the lanes and takes
// made elsewhere. Each is checked before anything in the project changes, then copied into the folder; an
// upload (browser host) that brought it is removed.
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { StudioError } from '../../../shared/errors';
import type { ProjectSession } from '../project/session';
import { originalName, readRegularFile, withIncomingFile } from '../project/incoming';
import { checkImage, importImage } from '../project/refs';
import { IMAGE_LIMITS } from '../providers/assets';
import { probe } from '../media/ffmpeg';
import { laneAudioProblem } from '../media/preview-audio';
import { importTake, sha256Of } from '../media/import-take';

export class Imports {
  constructor(private readonly opts: { session: ProjectSession; browserHost: boolean }) {}

  private incoming<T>(file: string, what: string, use: (abs: string, uploaded: boolean) => Promise<T>): Promise<T> {
    return withIncomingFile({ projectDir: this.opts.session.dir, file, browserHost: this.opts.browserHost, what }, use);
  }

  /** Reads, checks and copies a reference image into media/refs/; returns its project path. */
  refImage(file: string, label: string): Promise<string> {
    return this.incoming(file, 'file', async (abs) => {
      // Size and kind are checked before reading: a 4 GB file or a device is refused, not loaded.
      const data = await readRegularFile(abs, { shown: path.basename(abs), maxBytes: IMAGE_LIMITS.maxBytes }).catch((err: StudioError) => {
        throw new StudioError(err.code ?? 'NOT_FOUND', `Nothing was changed: ${err.message}.`);
      });
      const problems = checkImage(data, label);
      if (problems.length) throw new StudioError('INVALID_INPUT', `Nothing was changed: ${problems.join('; ')}.`, problems);
      return importImage(this.opts.session.dir, data);
    });
  }

  /** Checks an audio file with ffprobe and copies it into media/audio/ under a content-hashed name. */
  audio(file: string): Promise<{ rel: string; name: string; durationSec: number }> {
    const dir = this.opts.session.dir;
    return this.incoming(file, 'file', async (abs, uploaded) => {
      const name = originalName(abs, uploaded);
      // ffprobe's own words name the staged copy's path: the person gets the reason in theirs.
      const info = await probe(abs).catch(() => {
        throw new StudioError('INVALID_INPUT', laneAudioProblem({ name, readable: false, hasAudio: false, durationSec: undefined })!);
      });
      const problem = laneAudioProblem({ name, readable: true, hasAudio: Boolean(info.audio), durationSec: info.audio?.durationSec ?? info.durationSec });
      if (problem || !info.audio) throw new StudioError('INVALID_INPUT', problem ?? `Nothing was added: ${name} has no sound in it.`);
      // Streamed, not read whole: a score can be hundreds of megabytes.
      const ext = path.extname(abs).toLowerCase().match(/^\.(wav|mp3|m4a|aac|flac|ogg|opus|mp4|mov)$/)?.[0] ?? '.audio';
      const rel = path.posix.join('media', 'audio', `${(await sha256Of(abs)).slice(0, 16)}${ext}`);
      await fs.mkdir(path.join(dir, 'media', 'audio'), { recursive: true });
      // Copied beside its name and renamed: the same sound already in use is never rewritten under a player.
      const dest = path.join(dir, rel);
      const part = `${dest}.${process.pid}.part`;
      await fs.copyFile(abs, part);
      await fs.rename(part, dest).catch(async (err) => {
        await fs.rm(part, { force: true });
        throw err;
      });
      return { rel, name, durationSec: Math.round((info.audio.durationSec ?? info.durationSec) * 1000) / 1000 };
    });
  }

  /** Checks a short reference video with ffprobe (length within `range`) and copies it into media/refs/. */
  refVideo(file: string, label: string, range: { min: number; max: number }): Promise<{ rel: string; durationSec: number }> {
    const dir = this.opts.session.dir;
    return this.incoming(file, 'file', async (abs, uploaded) => {
      const name = originalName(abs, uploaded);
      const info = await probe(abs).catch(() => null);
      const sec = info?.durationSec;
      if (!info?.video || sec === undefined) throw new StudioError('INVALID_INPUT', `Nothing was changed: ${name} is not a video ffprobe can read (${label}).`);
      if (sec < range.min || sec > range.max) {
        throw new StudioError('INVALID_INPUT', `Nothing was changed: ${name} runs ${sec.toFixed(2)} s; ${label} must run ${range.min}–${range.max} s.`);
      }
      const ext = path.extname(abs).toLowerCase().match(/^\.(mp4|mov|webm)$/)?.[0] ?? '.mp4';
      const rel = path.posix.join('media', 'refs', `${(await sha256Of(abs)).slice(0, 16)}${ext}`);
      await fs.mkdir(path.join(dir, 'media', 'refs'), { recursive: true });
      await fs.copyFile(abs, path.join(dir, rel));
      return { rel, durationSec: Math.round(sec * 1000) / 1000 };
    });
  }

  /**
   * A voice sample: audio (or a video with sound) of `range` seconds, checked with ffprobe and copied into
   * media/voices/ under a content-hashed name. The error names the file and its length.
   */
  voiceSample(file: string, label: string, range: { min: number; max: number }): Promise<{ rel: string; durationSec: number }> {
    const dir = this.opts.session.dir;
    return this.incoming(file, 'file', async (abs, uploaded) => {
      const name = originalName(abs, uploaded);
      const info = await probe(abs).catch(() => null);
      if (!info) throw new StudioError('INVALID_INPUT', `Nothing was changed: ${name} is not audio or video ffprobe can read (${label}).`);
      if (!info.audio) throw new StudioError('INVALID_INPUT', `Nothing was changed: ${name} has no sound in it (${label}).`);
      const sec = info.audio.durationSec ?? info.durationSec;
      if (!(sec >= range.min && sec <= range.max)) {
        throw new StudioError('INVALID_INPUT', `Nothing was changed: ${name} runs ${sec.toFixed(2)} s; ${label} must run ${range.min}–${range.max} s of one clean voice.`);
      }
      const ext = path.extname(abs).toLowerCase().match(/^\.(wav|mp3|m4a|aac|flac|ogg|mp4|mov)$/)?.[0] ?? '.audio';
      const rel = path.posix.join('media', 'voices', `${(await sha256Of(abs)).slice(0, 16)}${ext}`);
      await fs.mkdir(path.join(dir, 'media', 'voices'), { recursive: true });
      await fs.copyFile(abs, path.join(dir, rel));
      return { rel, durationSec: Math.round(sec * 1000) / 1000 };
    });
  }

  /** Copies a clip made elsewhere under media/takes/ as a new take of the shot (and selects it). */
  take(shotId: string, file: string) {
    return this.incoming(file, 'clip', async (abs) => (await importTake({ session: this.opts.session, shotId, file: abs })).state);
  }
}
