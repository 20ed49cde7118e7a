// The Electron shell: lifecycle, the one window, custom protocols, IPC wiring, menus, dialogs and the
// shell's own settings. Everything the studio does lives in electron/core; this file only hosts it.
import { app, BrowserWindow, dialog, Menu, screen, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { appVersion, Studio } from '../core/api';
import { AppSettingsFile } from '../core/app-settings';
import { fileLogger, killAllMedia, setFfmpegLogger } from '../core/media/ffmpeg';
import { eventNames, methodNames } from '../../shared/api';
import { contractArguments } from '../preload/contract-args';
import { forwardEvents, handleInvoke, type IpcTargets } from './ipc';
import { buildMenu } from './menu';
import { ensureSampleProject, looksLikeProject, newProjectTarget, projectFromArgv, startupCandidates, type ProjectSource } from './project-choice';
import { createProjectFolder, newProject } from '../core/project/project-folder';
import { handleProtocols, registerSchemes } from './protocols';
import { APP_INDEX_URL, denyPermissions, hardenWebContents } from './security';
import { ShellStore, type WindowBounds } from './shell-store';
import { SafeProviderStore } from './provider-store';

// Tests (and anyone who wants a clean profile) can point the shell's settings somewhere else.
if (process.env.STORYREEL_USER_DATA) app.setPath('userData', path.resolve(process.env.STORYREEL_USER_DATA));

// Both must happen before `ready`.
registerSchemes();
app.enableSandbox();

const appRoot = app.getAppPath();
const rendererRoot = path.join(appRoot, 'dist', 'renderer');
const preloadPath = path.join(appRoot, 'dist-electron', 'preload.cjs');

let win: BrowserWindow | undefined;
let studio: Studio | undefined;
let store: ShellStore;
let providerStore: SafeProviderStore | undefined;
/** Concurrency and ffmpeg path (keys stay in the keychain store above). */
let appSettings: AppSettingsFile | undefined;

const targets: IpcTargets = { window: () => win, studio: () => studio };

const SOURCE_LABEL: Record<ProjectSource, string> = {
  argument: 'The project given on the command line',
  env: 'The project named by STORYREEL_PROJECT',
  recent: 'The most recent project',
  sample: 'The sample project',
};

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function documentsDir(): string {
  try {
    return app.getPath('documents');
  } catch {
    return app.getPath('home');
  }
}

async function openStudio(dir: string): Promise<Studio> {
  providerStore ??= new SafeProviderStore();
  appSettings ??= new AppSettingsFile(path.join(app.getPath('userData'), 'settings'));
  const next = await Studio.open(dir, { host: 'electron', autoStitch: true, providerSettings: providerStore, appSettings });
  forwardEvents(next, targets);
  store.addRecent(next.session.dir);
  refreshMenu();
  return next;
}

/** Start-up: argument → env → most recent → sample. Problems are collected and shown once the window is up. */
async function openInitialProject(problems: string[]): Promise<Studio | undefined> {
  const candidates = await startupCandidates({
    argProject: projectFromArgv(process.argv, { defaultApp: !!process.defaultApp, cwd: process.cwd() }),
    envProject: process.env.STORYREEL_PROJECT || undefined,
    recent: store.recentProjects(),
  });
  for (const c of candidates) {
    try {
      return await openStudio(c.dir);
    } catch (err) {
      problems.push(`${SOURCE_LABEL[c.source]} (${c.dir}) could not be opened: ${message(err)}`);
    }
  }
  try {
    const sample = await ensureSampleProject(appRoot, documentsDir());
    return await openStudio(sample);
  } catch (err) {
    problems.push(`${SOURCE_LABEL.sample} could not be opened: ${message(err)}`);
    return undefined;
  }
}

// One project switch at a time (menu clicks and second-instance launches can overlap).
let switching: Promise<void> = Promise.resolve();

function switchProject(dir: string): Promise<void> {
  switching = switching.then(() => doSwitchProject(path.resolve(dir)));
  return switching;
}

async function doSwitchProject(dir: string): Promise<void> {
  if (studio && path.resolve(studio.session.dir) === dir) {
    win?.focus();
    return;
  }
  if (!(await looksLikeProject(dir))) {
    await showError('This folder is not a Storyreel project', `${dir} has no project.json. Choose a project folder such as Lighthouse.storyreel.`);
    store.removeRecent(dir);
    refreshMenu();
    return;
  }
  let next: Studio;
  try {
    next = await openStudio(dir);
  } catch (err) {
    await showError(`Could not open ${path.basename(dir)}`, `${message(err)}\n\nThe project that was open stays open.`);
    return;
  }
  // Swap first, so the old studio's last events are no longer forwarded, then let it finish its writes.
  const previous = studio;
  studio = next;
  await previous?.close().catch((err) => console.error('storyreel: closing the previous project failed:', err));
  if (win && !win.isDestroyed()) await win.loadURL(APP_INDEX_URL).catch(() => {});
}

async function showError(title: string, detail: string): Promise<void> {
  const opts = { type: 'error' as const, message: title, detail, buttons: ['OK'] };
  if (win && !win.isDestroyed()) await dialog.showMessageBox(win, opts);
  else await dialog.showMessageBox(opts);
}

async function chooseProject(): Promise<void> {
  const current = studio?.session.dir;
  const opts = {
    title: 'Open Storyreel Project',
    buttonLabel: 'Open Project',
    defaultPath: current ? path.dirname(current) : documentsDir(),
    properties: ['openDirectory' as const],
  };
  const result = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
  const dir = result.filePaths[0];
  if (!result.canceled && dir) await switchProject(dir);
}

/** File › New Project…: a save dialog names the folder; the empty project is created there and opened. */
async function createProject(): Promise<void> {
  const current = studio?.session.dir;
  const opts = {
    title: 'New Storyreel Project',
    buttonLabel: 'Create Project',
    defaultPath: path.join(current ? path.dirname(current) : path.join(documentsDir(), 'Storyreel'), 'Untitled.storyreel'),
    properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const],
  };
  const result = win && !win.isDestroyed() ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
  if (result.canceled || !result.filePath) return;
  const { dir, name } = newProjectTarget(result.filePath);
  try {
    await createProjectFolder(dir, newProject(name));
  } catch (err) {
    await showError(`Could not create ${name}`, `${message(err)}\n\nThe project that was open stays open.`);
    return;
  }
  await switchProject(dir);
}

async function showAbout(): Promise<void> {
  let ffmpeg = 'ffmpeg: not checked';
  try {
    const info = await studio?.call('app.info');
    if (info) ffmpeg = info.ffmpeg ? `ffmpeg ${info.ffmpeg.version} (${info.ffmpeg.source})` : `ffmpeg: ${info.ffmpegError ?? 'not found'}`;
  } catch (err) {
    ffmpeg = `ffmpeg: ${message(err)}`;
  }
  const detail = [
    `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
    ffmpeg,
    studio ? `Project: ${studio.session.dir}` : 'No project open',
  ].join('\n');
  const opts = { type: 'info' as const, message: `Storyreel ${appVersion()}`, detail, buttons: ['OK'] };
  if (win && !win.isDestroyed()) await dialog.showMessageBox(win, opts);
  else await dialog.showMessageBox(opts);
}

function refreshMenu(): void {
  if (!app.isReady()) return;
  Menu.setApplicationMenu(
    buildMenu(
      {
        newProject: () => void createProject(),
        openProject: () => void chooseProject(),
        openRecent: (dir) => void switchProject(dir),
        showProjectFolder: () => {
          if (studio) void shell.openPath(studio.session.dir);
        },
        about: () => void showAbout(),
      },
      store.recentProjects(),
    ),
  );
}

function visibleOnSomeDisplay(b: WindowBounds): boolean {
  if (b.x === undefined || b.y === undefined) return false;
  const { x, y, width, height } = b as Required<WindowBounds>;
  return screen.getAllDisplays().some(({ workArea: a }) => x < a.x + a.width && x + width > a.x && y < a.y + a.height && y + height > a.y);
}

function createWindow(): BrowserWindow {
  const saved = store.windowBounds();
  const bounds = saved && visibleOnSomeDisplay(saved) ? { x: saved.x, y: saved.y, width: saved.width, height: saved.height } : { width: saved?.width ?? 1440, height: saved?.height ?? 900 };
  const w = new BrowserWindow({
    ...bounds,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Storyreel',
    backgroundColor: '#15171c',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
      // The preload's allow-list of method and event names, straight from shared/api.ts.
      additionalArguments: contractArguments(methodNames, eventNames),
    },
  });
  if (saved?.maximized) w.maximize();
  w.once('ready-to-show', () => w.show());
  w.on('close', () => {
    store.saveWindowBounds({ ...w.getNormalBounds(), maximized: w.isMaximized() });
  });
  w.on('closed', () => {
    if (win === w) win = undefined;
  });
  w.webContents.on('render-process-gone', (_e, details) => {
    console.error(`storyreel: the window's renderer stopped (${details.reason}, exit code ${details.exitCode}).`);
  });
  void w.loadURL(APP_INDEX_URL);
  return w;
}

async function start(): Promise<void> {
  store = new ShellStore();
  // Every ffmpeg command the studio runs (stitches, animatics, pictures) is logged for when one fails.
  setFfmpegLogger(fileLogger(path.join(app.getPath('userData'), 'logs', 'ffmpeg.log')));
  denyPermissions(session.defaultSession);
  handleProtocols({ renderer: rendererRoot, project: () => studio?.session.dir });
  handleInvoke(targets);

  if (!existsSync(path.join(rendererRoot, 'index.html')) || !existsSync(preloadPath)) {
    dialog.showErrorBox('Storyreel is not built', `${rendererRoot} or ${preloadPath} is missing. Run \`npm run build\` (or start with \`npm start\`, which builds first).`);
    app.quit();
    return;
  }

  const problems: string[] = [];
  studio = await openInitialProject(problems);
  refreshMenu();
  win = createWindow();

  if (problems.length) {
    await dialog.showMessageBox(win, {
      type: studio ? 'warning' : 'error',
      message: studio ? `Opened ${path.basename(studio.session.dir)} instead` : 'No project could be opened',
      detail: problems.join('\n\n') + (studio ? '' : '\n\nUse File › Open Project… to choose a project folder.'),
      buttons: ['OK'],
    });
  }
}

// ── lifecycle ────────────────────────────────────────────────────────────────────────────────────────────

if (!app.requestSingleInstanceLock()) {
  // Another Storyreel is running: it receives our arguments through 'second-instance' and opens the project.
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
    const dir = projectFromArgv(argv, { defaultApp: !!process.defaultApp, cwd: workingDirectory });
    if (dir) void switchProject(dir);
  });

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

  app
    .whenReady()
    .then(start)
    .catch((err) => {
      console.error('storyreel: start-up failed:', err);
      dialog.showErrorBox('Storyreel could not start', message(err));
      app.exit(1);
    });

  app.on('window-all-closed', () => app.quit());

  // Quit cleanly: let the core finish its writes (journal, project.json) before the process ends.
  let closed = false;
  let closing = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (closing) return;
    closing = true;
    const s = studio;
    studio = undefined;
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref());
    Promise.race([s?.close() ?? Promise.resolve(), timeout])
      .catch((err) => {
        // Unsaved edits that could not be written even now: say where, before the app is gone.
        console.error('storyreel: closing the project failed:', (err as Error).message);
        dialog.showErrorBox('Storyreel could not save before quitting', (err as Error).message);
      })
      .finally(() => {
        killAllMedia(); // an ffmpeg/ffprobe still running (close timed out, a poster being made) ends with the app
        closed = true;
        app.quit();
      });
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
}
