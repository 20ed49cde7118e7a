// The desktop shell's wiring, tested where Electron's binary cannot run: dist-electron/main.mjs runs under
// plain Node with a stand-in for Electron's main-process API (tests/electron/stub/), and dist-electron/
// preload.cjs runs in a vm with a stand-in ipcRenderer/contextBridge. This checks what the shell itself does —
// privileged schemes, window preferences, navigation and permission denial, the app:// and
// storyreel-media:// handlers (Range, confinement), IPC sender checks, event forwarding, which project opens,
// the sample copy, recent projects, window bounds and a clean quit — not Electron's own behaviour, which
// app.spec.ts covers where the binary exists.
import { expect, test } from '@playwright/test';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { eventNames, methodNames } from '../../shared/api';
import { contractArguments } from '../../electron/preload/contract-args';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const stubDir = path.join(root, 'tests', 'electron', 'stub');
const sampleJson = path.join(root, 'examples', 'lighthouse.storyreel', 'project.json');

interface Envelope {
  ok: boolean;
  result?: { folderName: string; project: { name: string } };
  error?: { code: string; message: string };
}
interface HttpResult {
  status: number;
  headers: Record<string, string>;
  length: number | null;
  body?: number[];
}
interface Report {
  privileged: { scheme: string; privileges: Record<string, boolean> }[];
  sandboxEnabled: boolean;
  window: { url: string; webPreferences: Record<string, unknown>; bounds: Record<string, number | undefined> };
  dialogs: { type?: string; message: string; detail?: string }[];
  menu: string[];
  projectGet: Envelope;
  navigation?: Record<string, boolean>;
  windowOpen?: { action: string };
  permissions?: Record<string, boolean>;
  app?: Record<string, HttpResult>;
  media?: Record<string, HttpResult>;
  ipc?: Record<string, Envelope>;
  events?: [string, string][];
  quitted: boolean;
  exitCode: number | null;
  shellStore: { recentProjects: string[]; windowBounds?: Record<string, unknown> };
  fileMenu?: string[];
  afterNewProject?: Envelope;
  saveDialogs?: { title?: string; defaultPath?: string }[];
}

let tmp: string;

test.beforeAll(() => {
  const built = ['dist/renderer/index.html', 'dist-electron/main.mjs', 'dist-electron/preload.cjs'].every((f) => existsSync(path.join(root, f)));
  const res = spawnSync(process.execPath, ['scripts/build.mjs', ...(built ? ['electron'] : [])], { cwd: root, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`build failed:\n${res.stdout}\n${res.stderr}`);
});

test.beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'storyreel-shell-'));
});

test.afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function copyOfSample(name = 'Lighthouse.storyreel'): Promise<string> {
  const dir = path.join(tmp, 'projects', name);
  await fs.mkdir(dir, { recursive: true });
  await fs.copyFile(sampleJson, path.join(dir, 'project.json'));
  return dir;
}

function runShell(scenario: { argProject?: string; probe?: boolean; userData?: string; newProject?: string }): Promise<Report> {
  const full = {
    root,
    userData: scenario.userData ?? path.join(tmp, 'user-data'),
    documents: path.join(tmp, 'Documents'),
    ...scenario,
  };
  const env: NodeJS.ProcessEnv = { ...process.env, STORYREEL_USER_DATA: full.userData };
  delete env.STORYREEL_PROJECT;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', pathToStub('register.mjs'), pathToStub('drive.mjs'), JSON.stringify(full)],
      { cwd: root, env, timeout: 90_000, maxBuffer: 32 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith('REPORT '));
        if (!line) return reject(new Error(`the shell did not report (${err?.message ?? 'no error'}):\n${stdout}\n${stderr}`));
        resolve(JSON.parse(line.slice('REPORT '.length)) as Report);
      },
    );
  });
}

function pathToStub(file: string): string {
  return path.join(stubDir, file);
}

test('hardens the window, serves app:// and media with Range, checks IPC senders and quits cleanly', async () => {
  const project = await copyOfSample();
  const r = await runShell({ argProject: project, probe: true });

  // Schemes and sandbox, registered before ready.
  const media = r.privileged.find((s) => s.scheme === 'storyreel-media')?.privileges;
  const app = r.privileged.find((s) => s.scheme === 'app')?.privileges;
  expect(app).toMatchObject({ standard: true, secure: true, supportFetchAPI: true, stream: true });
  expect(media).toMatchObject({ secure: true, supportFetchAPI: true, stream: true, bypassCSP: false });
  expect(r.sandboxEnabled).toBe(true);

  // The window.
  expect(r.window.url).toBe('app://storyreel/index.html');
  expect(r.window.webPreferences).toMatchObject({
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    webviewTag: false,
    preload: path.join(root, 'dist-electron', 'preload.cjs'),
  });
  expect(r.window.webPreferences.additionalArguments).toEqual(contractArguments(methodNames, eventNames));
  expect(r.menu).toEqual(['File', 'Edit', 'View', 'Help']);
  expect(r.dialogs).toEqual([]);
  expect(r.navigation).toEqual({ external: true, file: true, otherAppPage: true, reload: false });
  expect(r.windowOpen).toEqual({ action: 'deny' });
  expect(r.permissions).toEqual({ media: false, clipboardFromApp: true, clipboardFromElsewhere: false });

  // The project from the command line is open.
  expect(r.projectGet).toMatchObject({ ok: true, result: { folderName: 'Lighthouse.storyreel', project: { name: 'Lighthouse' } } });

  // app:// serves dist/renderer with the CSP header, and nothing outside it.
  const a = r.app!;
  expect(a.index.status).toBe(200);
  expect(a.index.headers['content-type']).toMatch(/^text\/html/);
  expect(a.index.headers['content-security-policy']).toContain("script-src 'self'");
  expect(a.index.headers['content-security-policy']).toContain("object-src 'none'");
  expect(a.root.status).toBe(200);
  expect(a.encodedTraversal.status).toBe(403);
  expect(a.otherHost.status).toBe(404);
  expect(a.post.status).toBe(405);

  // storyreel-media:// serves the open project with Range support, confined to its folder.
  const m = r.media!;
  expect(m.range.status).toBe(206);
  expect(m.range.headers['content-range']).toBe('bytes 10-19/1000');
  expect(m.range.headers['content-type']).toBe('video/mp4');
  expect(m.range.body).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  expect(m.whole).toMatchObject({ status: 200, length: 1000 });
  expect(m.whole.headers['accept-ranges']).toBe('bytes');
  expect(m.head).toMatchObject({ status: 200, length: null });
  expect(m.unsatisfiable.status).toBe(416);
  expect(m.traversal.status).toBe(403);
  expect(m.missing.status).toBe(404);
  expect(m.otherHost.status).toBe(404);

  // IPC: only our window's main frame on app:// may call, and the core validates what it sends.
  const ipc = r.ipc!;
  for (const k of ['foreignUrl', 'subframe', 'otherContents', 'noFrame']) expect(ipc[k].error?.code, k).toBe('FORBIDDEN');
  expect(ipc.unknownMethod.error?.code).toBe('UNKNOWN_METHOD');
  expect(ipc.invalidInput.error?.code).toBe('INVALID_INPUT');
  expect(ipc.rename).toMatchObject({ ok: true, result: { patch: { set: { name: 'Renamed by the shell test' } } } });
  expect(r.events).toContainEqual(['storyreel:event', 'project.changed']);

  // Quit waited for the core: the rename is on disk. Recent projects and bounds were remembered.
  expect(r.quitted).toBe(true);
  expect(r.exitCode ?? null).toBeNull();
  const saved = JSON.parse(await fs.readFile(path.join(project, 'project.json'), 'utf8')) as { name: string };
  expect(saved.name).toBe('Renamed by the shell test');
  expect(r.shellStore.recentProjects).toEqual([project]);
  expect(r.shellStore.windowBounds).toEqual({ x: 40, y: 50, width: 1300, height: 850, maximized: false });

  // Next start without an argument: the most recent project opens, in the window's last place.
  const again = await runShell({});
  expect(again.projectGet.result?.project.name).toBe('Renamed by the shell test');
  expect(again.window.bounds).toEqual({ x: 40, y: 50, width: 1300, height: 850 });
});

test('first start copies the sample project.json into Documents/Storyreel and opens it', async () => {
  const r = await runShell({});
  const copy = path.join(tmp, 'Documents', 'Storyreel', 'Lighthouse.storyreel');
  expect(r.projectGet).toMatchObject({ ok: true, result: { folderName: 'Lighthouse.storyreel', project: { name: 'Lighthouse' } } });
  expect(await fs.readFile(path.join(copy, 'project.json'), 'utf8')).toBe(await fs.readFile(sampleJson, 'utf8'));
  expect(r.shellStore.recentProjects).toEqual([copy]);
  expect(r.dialogs).toEqual([]);
});

test('a project that cannot be opened is reported and the app falls back to the sample', async () => {
  const missing = path.join(tmp, 'nowhere', 'Gone.storyreel');
  const r = await runShell({ argProject: missing });
  expect(r.projectGet.result?.folderName).toBe('Lighthouse.storyreel');
  expect(r.dialogs).toHaveLength(1);
  expect(r.dialogs[0].type).toBe('warning');
  expect(r.dialogs[0].detail).toContain('command line');
  expect(r.dialogs[0].detail).toContain(missing);
});

test('the preload exposes only invoke/on (and the path of a dropped file) and refuses names outside the contract', async () => {
  const code = await fs.readFile(path.join(root, 'dist-electron', 'preload.cjs'), 'utf8');
  const load = (argv: string[]) => {
    const sent: unknown[][] = [];
    let ipcListener: ((event: unknown, ...args: unknown[]) => void) | undefined;
    const exposed: Record<string, unknown> = {};
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void (exposed[key] = api) },
      webUtils: { getPathForFile: () => '/should/not/be/reached' },
      ipcRenderer: {
        invoke: (...args: unknown[]) => {
          sent.push(args);
          return Promise.resolve({ ok: true, result: 'from main' });
        },
        on: (channel: string, fn: (event: unknown, ...args: unknown[]) => void) => {
          if (channel === 'storyreel:event') ipcListener = fn;
        },
      },
    };
    const errors: unknown[] = [];
    const sandbox = {
      require: (id: string) => {
        if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
        return electron;
      },
      process: { argv },
      console: { error: (...a: unknown[]) => errors.push(a), log() {}, warn() {} },
      module: { exports: {} },
      exports: {},
    };
    vm.runInNewContext(code, sandbox, { filename: 'preload.cjs' });
    type Bridge = { invoke(m: string, i?: unknown): Promise<unknown>; on(e: string, cb: (p: unknown) => void): () => void; pathForFile(f: unknown): string };
    return { bridge: exposed.storyreel as Bridge, keys: Object.keys(exposed), sent, emit: (...args: unknown[]) => ipcListener?.({ sender: 'secret' }, ...args), errors };
  };

  const { bridge, keys, sent, emit } = load(['electron', '--type=renderer', ...contractArguments(methodNames, eventNames)]);
  expect(keys).toEqual(['storyreel']);
  expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on', 'pathForFile']);
  // Only a real dropped File has a path: anything else the page passes gets nothing.
  expect(bridge.pathForFile('/etc/passwd')).toBe('');
  expect(bridge.pathForFile({ name: 'x.mp4', path: '/etc/passwd' })).toBe('');

  // The preload runs in another realm; compare outcomes as plain values.
  const outcome = (p: Promise<unknown>) => p.then((v) => JSON.stringify(v), (e: Error) => `rejected: ${e.message}`);
  expect(await outcome(bridge.invoke('project.get', {}))).toBe('{"ok":true,"result":"from main"}');
  expect(sent).toEqual([['storyreel:invoke', 'project.get', {}]]);
  expect(await outcome(bridge.invoke('fs.readFile', { path: '/etc/passwd' }))).toMatch(/^rejected: .*not a Storyreel method/);
  expect(await outcome(bridge.invoke('constructor'))).toMatch(/^rejected: .*not a Storyreel method/);
  expect(sent).toHaveLength(1);

  const got: unknown[] = [];
  const off = bridge.on('project.changed', (p) => got.push(p));
  const all: unknown[] = [];
  bridge.on('job.updated', (p) => all.push(p));
  emit('project.changed', { rev: 1 });
  emit('job.updated', { id: 'j' });
  off();
  emit('project.changed', { rev: 2 });
  expect(got).toEqual([{ rev: 1 }]);
  expect(all).toEqual([{ id: 'j' }]);
  expect(() => bridge.on('not.an.event', () => {})).toThrow(/not a Storyreel event/);
  expect(() => bridge.on('__proto__', () => {})).toThrow(/not a Storyreel event/);

  // Without the contract switches the preload fails closed.
  const closed = load(['electron', '--type=renderer']);
  expect(await outcome(closed.bridge.invoke('project.get', {}))).toMatch(/^rejected: .*not a Storyreel method/);
  expect(closed.sent).toEqual([]);
  expect(closed.errors).toHaveLength(1);
});

test('npm start without an Electron binary says so plainly and offers browser mode, with no stack trace', async () => {
  const home = path.join(tmp, 'home');
  await fs.mkdir(home, { recursive: true });
  // An empty dist folder stands for "the binary was never downloaded", on machines that have it too.
  const noElectron = path.join(tmp, 'no-electron');
  await fs.mkdir(noElectron);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, USERPROFILE: home, ELECTRON_OVERRIDE_DIST_PATH: noElectron };
  delete env.STORYREEL_PROJECT;
  const res = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    // stdin is not a terminal here, so it prints the offer and does not wait for an answer.
    execFile(process.execPath, ['scripts/start.mjs'], { cwd: root, env, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
  const copy = path.join(home, 'Storyreel', 'Lighthouse.storyreel');
  expect(res.code, res.stderr).toBe(0);
  expect(res.stdout).toContain("Electron's binary is not installed on this machine, so the desktop app cannot start.");
  expect(res.stdout).toContain('Browser mode runs the same studio in your web browser:');
  expect(res.stdout).toContain(`npx storyreel serve ${copy}`);
  expect(`${res.stdout}\n${res.stderr}`).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  // The folder it offers is a real copy of the sample, ready to serve.
  expect(await fs.readFile(path.join(copy, 'project.json'), 'utf8')).toBe(await fs.readFile(sampleJson, 'utf8'));
});

test('File › New Project… creates an empty project where the save dialog says and opens it in the window', async () => {
  const project = await copyOfSample();
  const chosen = path.join(tmp, 'projects', 'Night Ferry');
  const r = await runShell({ argProject: project, newProject: chosen });
  expect(r.fileMenu?.slice(0, 3)).toEqual(['New Project…', 'Open Project…', 'Open Recent']);
  // The dialog starts beside the open project.
  expect(r.saveDialogs?.[0]).toMatchObject({ title: 'New Storyreel Project', defaultPath: path.join(tmp, 'projects', 'Untitled.storyreel') });
  const dir = `${chosen}.storyreel`;
  expect(r.afterNewProject?.ok).toBe(true);
  expect(r.afterNewProject?.result).toMatchObject({ folderName: 'Night Ferry.storyreel', project: { name: 'Night Ferry' } });
  expect(JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'))).toMatchObject({ name: 'Night Ferry', shots: [] });
  // It is the most recent project now, and the one it replaced let go of its lock.
  expect(r.shellStore.recentProjects[0]).toBe(dir);
  expect(existsSync(path.join(project, '.storyreel.lock'))).toBe(false);
});
