// Starts `storyreel serve` on a fresh project for an end-to-end test and stops it afterwards.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const exec = promisify(execFile);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CLI = path.join(ROOT, 'bin', 'storyreel.mjs');
/** Screenshots worth looking at go here (Playwright empties test-results/ per run; these are kept there). */
export const SHOTS_DIR = process.env.STORYREEL_SCREENS_DIR ?? path.join(ROOT, 'test-results', 'screens');

export interface RunningStudio {
  url: string;
  /** The project folder. */
  dir: string;
  /** A scratch folder beside it for inputs (CSV, clips, images). */
  tmp: string;
  log(): string;
  /** Stops the server (waits for it to exit: it flushes the project on SIGTERM). */
  stop(): Promise<void>;
  /** Stops and starts the server again on the same project (a reload after a restart). */
  restart(): Promise<void>;
}

export interface StudioOptions {
  /** CSV text for `storyreel new --shots`; absent = an empty project. */
  csv?: string;
  /** Extra environment for the server (provider keys and mock URLs). */
  env?: NodeJS.ProcessEnv;
  /** Runs after the project exists and before the server starts (edit project.json, add files). */
  prepare?(dir: string, tmp: string): Promise<void>;
  name?: string;
}

function waitForUrl(child: ChildProcess, logRef: { text: string }, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`storyreel serve printed no URL within ${timeoutMs} ms:\n${logRef.text}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      logRef.text += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(logRef.text);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.on('data', (c: Buffer) => (logRef.text += c.toString()));
        resolve(match[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (logRef.text += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`storyreel serve exited with ${code} before printing a URL:\n${logRef.text}`));
    });
  });
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export async function startStudio(opts: StudioOptions = {}): Promise<RunningStudio> {
  const tmp = await mkdtemp(path.join(tmpdir(), 'storyreel-e2e-'));
  const dir = path.join(tmp, `${opts.name ?? 'e2e'}.storyreel`);
  const args = ['new', dir];
  if (opts.csv !== undefined) {
    await writeFile(path.join(tmp, 'shots.csv'), opts.csv);
    args.push('--shots', path.join(tmp, 'shots.csv'));
  }
  await exec(process.execPath, [CLI, ...args], { cwd: ROOT });
  await opts.prepare?.(dir, tmp);
  const logRef = { text: '' };
  let child: ChildProcess | undefined;
  let url = '';
  const start = async () => {
    // A restart prints a new URL (new port and token): look for it in the new server's output only.
    logRef.text = '';
    child = spawn(process.execPath, [CLI, 'serve', dir, '--port', '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Keys typed into Settings land in this test's own config folder, never the user's.
      env: { ...process.env, STORYREEL_CONFIG_DIR: path.join(tmp, 'config'), ...opts.env },
    });
    url = await waitForUrl(child, logRef, 90_000);
  };
  await start();
  return {
    get url() {
      return url;
    },
    dir,
    tmp,
    log: () => logRef.text,
    async stop() {
      await stopChild(child);
      await rm(tmp, { recursive: true, force: true });
    },
    async restart() {
      await stopChild(child);
      await start();
    },
  };
}
