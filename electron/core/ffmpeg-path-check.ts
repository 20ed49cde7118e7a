// Which ffmpeg a person may choose in Settings. The path is run for every stitch and export, so from a
// browser page (where anyone holding the token could be asking) it must be a file called ffmpeg, outside
// every project folder (a page can upload files into a project, never name them ffmpeg), and executable.
// The desktop app asks its own person, so there only the file's existence is checked.
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../shared/errors';

const FFMPEG_NAME = /^ffmpeg(\.exe)?$/i;

/** Pure: why this path is refused from a browser page, or undefined when it may be used. */
export function browserFfmpegRefusal(file: string, projectDir: string): string | undefined {
  if (!path.isAbsolute(file)) return `ffmpegPath: give the full path to ffmpeg (for example /usr/bin/ffmpeg), not "${file}". Nothing was saved.`;
  if (!FFMPEG_NAME.test(path.basename(file))) {
    return `ffmpegPath: from the browser, Settings only accepts a program named ffmpeg (this is ${path.basename(file)}). Nothing was saved; to use another program, set STORYREEL_FFMPEG where you start storyreel serve.`;
  }
  const rel = path.relative(path.resolve(projectDir), path.resolve(file));
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return 'ffmpegPath: a program inside the project folder cannot be chosen as ffmpeg. Nothing was saved.';
  return undefined;
}

/** Checks a chosen ffmpeg path before it is saved; throws a StudioError naming the field. */
export async function checkFfmpegPath(file: string, opts: { browser: boolean; projectDir: string }): Promise<void> {
  const real = await fs.realpath(file).catch(() => undefined);
  const st = real ? await fs.stat(real).catch(() => undefined) : undefined;
  if (!real || !st?.isFile()) throw new StudioError('INVALID_INPUT', `ffmpegPath: there is no file at ${file}. Nothing was saved.`);
  if (!opts.browser) return;
  const why = browserFfmpegRefusal(file, opts.projectDir) ?? browserFfmpegRefusal(real, await fs.realpath(opts.projectDir).catch(() => opts.projectDir));
  if (why) throw new StudioError('FORBIDDEN', why);
  if (!(await fs.access(real, constants.X_OK).then(() => true, () => false))) {
    throw new StudioError('INVALID_INPUT', `ffmpegPath: ${file} is not executable. Nothing was saved.`);
  }
}
