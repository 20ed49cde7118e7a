// Starts `storyreel serve` on a fresh project for an end-to-end test and stops it afterwards (one studio for
// each test, or the studios a test starts itself); the provider mocks it talks to, with their keys; and a
// `storyreel render` killed mid-submit.
import { expect, test } from '@playwright/test';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RunningMock } from '../../mock-providers/common';
import { FAL_MOCK_KEY } from '../../mock-providers/fal';
import { editProject } from './project-files';

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
  /** Extra environment for the server (provider keys and mock URLs: `falEnv`). */
  env?: NodeJS.ProcessEnv;
  /** The project's provider (settings.provider), set before `prepare`; absent = what `storyreel new` chose. */
  provider?: string;
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
  if (opts.provider) {
    const provider = opts.provider;
    await editProject(dir, (doc) => {
      doc.settings.provider = provider;
    });
  }
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

/**
 * A provider mock started before the calling file's (or describe block's) tests and closed after them. The
 * handle stands for the running mock: read it inside hooks and tests.
 */
export function mockForFile<T extends RunningMock>(start: () => Promise<T>): T {
  let current: T | undefined;
  test.beforeAll(async () => {
    current = await start();
  });
  test.afterAll(async () => {
    await current?.close();
    current = undefined;
  });
  return new Proxy({} as T, {
    get(_, key) {
      if (!current) throw new Error('mockForFile: no mock outside its tests');
      return Reflect.get(current, key);
    },
  });
}

/** The environment that points a studio (or `storyreel render`) at fal's mock with its key. */
export function falEnv(mock: RunningMock): NodeJS.ProcessEnv {
  return { FAL_KEY: FAL_MOCK_KEY, STORYREEL_FAL_URL: mock.url };
}

export interface OpenOptions {
  /** The page's size before it opens the studio. */
  viewport?: { width: number; height: number };
  /** Go to the studio's URL before the test starts. */
  open?: boolean;
}

/** Options, or a function that gives them when the studio starts (to read a mock's URL, known only then). */
export type StudioOptionsLater = StudioOptions | (() => StudioOptions);
const optionsNow = (opts: StudioOptionsLater) => (typeof opts === 'function' ? opts() : opts);

export interface StudioHandle extends RunningStudio {
  /** Stops the studio and starts another on `opts` in its place (the page is not moved). */
  replace(opts: StudioOptions): Promise<void>;
}

/** A handle that stands for whichever studio `hold` keeps now (read it inside hooks and tests). */
function handle(hold: { current?: RunningStudio }): StudioHandle {
  const now = () => {
    if (!hold.current) throw new Error('no studio is running outside its tests');
    return hold.current;
  };
  return {
    get url() {
      return now().url;
    },
    get dir() {
      return now().dir;
    },
    get tmp() {
      return now().tmp;
    },
    log: () => now().log(),
    stop: () => now().stop(),
    restart: () => now().restart(),
    async replace(other) {
      await now().stop();
      hold.current = await startStudio(other);
    },
  };
}

/**
 * A fresh studio for each test of the calling file (or describe block): started before it (the page sized
 * and opened as asked), stopped after it.
 */
export function studioForEachTest(opts: StudioOptionsLater, page: OpenOptions = {}): StudioHandle {
  const hold: { current?: RunningStudio } = {};
  test.beforeEach(async ({ page: p }) => {
    hold.current = await startStudio(optionsNow(opts));
    if (page.viewport) await p.setViewportSize(page.viewport);
    if (page.open) await p.goto(hold.current.url);
  });
  test.afterEach(async () => {
    await hold.current?.stop();
    hold.current = undefined;
  });
  return handle(hold);
}

/** One studio for all the tests of the calling file (or describe block): started before the first, stopped after the last. */
export function studioForFile(opts: StudioOptionsLater): StudioHandle {
  const hold: { current?: RunningStudio } = {};
  test.beforeAll(async () => {
    hold.current = await startStudio(optionsNow(opts));
  });
  test.afterAll(async () => {
    await hold.current?.stop();
    hold.current = undefined;
  });
  return handle(hold);
}

/** For tests that start their studios themselves (each on its own options): every one is stopped after its test. */
export function studiosPerTest(): (opts: StudioOptions) => Promise<RunningStudio> {
  const running: RunningStudio[] = [];
  test.afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });
  return async (opts) => {
    const studio = await startStudio(opts);
    running.push(studio);
    return studio;
  };
}

/**
 * Runs `storyreel render DIR …args --yes` (its own config folder beside the project) and kills it the way a
 * crash would (SIGKILL) once `until` holds, e.g. while requests are on their way to a provider.
 */
export async function killRenderWhen(opts: { dir: string; env: NodeJS.ProcessEnv; args?: string[]; until: () => Promise<boolean> }): Promise<void> {
  const env = { ...process.env, ...opts.env, STORYREEL_CONFIG_DIR: path.join(opts.dir, '..', 'config') };
  const child = spawn(process.execPath, [CLI, 'render', opts.dir, ...(opts.args ?? []), '--yes'], { cwd: ROOT, env, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await expect.poll(opts.until, { timeout: 30_000 }).toBe(true);
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}
