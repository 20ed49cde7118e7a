// Runs the built main process (dist-electron/main.mjs) against the Electron stub and reports, as one JSON
// line, what it observed. Run with: node --import ./register.mjs drive.mjs '<scenario json>'.
// Scenario: { root, userData, documents, argProject?, probe?: boolean }
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const scenario = JSON.parse(process.argv[2]);
const stub = (globalThis.__electronStub = {
  appPath: scenario.root,
  paths: { userData: path.join(scenario.root, 'never-used'), documents: scenario.documents, home: path.dirname(scenario.documents) },
});

// What `electron <app root> [project]` looks like to the main process.
process.defaultApp = true;
process.argv = [process.execPath, scenario.root, ...(scenario.argProject ? [scenario.argProject] : [])];

const until = async (what, check, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const report = {};
await import(pathToFileURL(path.join(scenario.root, 'dist-electron', 'main.mjs')).href);
report.privileged = stub.privileged;
report.sandboxEnabled = !!stub.sandboxEnabled;
stub.readyNow();
await until('the window', () => stub.windows.length === 1 && stub.windows[0].shown);
// Start-up dialogs are shown right after the window.
await new Promise((r) => setTimeout(r, 50));

const win = stub.windows[0];
const wc = win.webContents;
report.window = {
  url: wc.url,
  webPreferences: win.options.webPreferences,
  bounds: { x: win.options.x, y: win.options.y, width: win.options.width, height: win.options.height },
};
report.dialogs = stub.dialogs;
report.menu = stub.menu?.template.map((m) => m.label ?? m.role);

const invoke = (event, method, input) => stub.ipcHandlers['storyreel:invoke'](event, method, input);
const trusted = { sender: wc, senderFrame: wc.mainFrame };
report.projectGet = await invoke(trusted, 'project.get', {});

if (scenario.probe) {
  // Window hardening.
  const nav = (url) => {
    let prevented = false;
    wc.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  report.navigation = {
    external: nav('https://example.com/'),
    file: nav('file:///etc/passwd'),
    otherAppPage: nav('app://storyreel/other.html'),
    reload: nav('app://storyreel/index.html'),
  };
  report.windowOpen = wc.windowOpenHandler?.({ url: 'https://example.com/' });
  const ask = (permission, url) => new Promise((resolve) => stub.permissionRequest({ getURL: () => url }, permission, resolve));
  report.permissions = {
    media: await ask('media', 'app://storyreel/index.html'),
    clipboardFromApp: await ask('clipboard-sanitized-write', 'app://storyreel/index.html'),
    clipboardFromElsewhere: await ask('clipboard-sanitized-write', 'https://example.com/'),
  };

  // Protocols.
  const fetchVia = async (scheme, url, init) => {
    const res = await stub.protocolHandlers[scheme](new Request(url, init));
    const body = res.body ? Buffer.from(await res.arrayBuffer()) : null;
    return { status: res.status, headers: Object.fromEntries(res.headers), length: body?.length ?? null, body: body && body.length <= 64 ? [...body] : undefined };
  };
  report.app = {
    index: await fetchVia('app', 'app://storyreel/index.html'),
    root: await fetchVia('app', 'app://storyreel/'),
    encodedTraversal: await fetchVia('app', 'app://storyreel/%2e%2e%2f%2e%2e%2fpackage.json'),
    otherHost: await fetchVia('app', 'app://elsewhere/index.html'),
    post: await fetchVia('app', 'app://storyreel/index.html', { method: 'POST', body: 'x' }),
  };
  const projectDir = report.projectGet.ok ? scenario.argProject : undefined;
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
  await fs.mkdir(path.join(projectDir, 'media', 'takes'), { recursive: true });
  await fs.writeFile(path.join(projectDir, 'media', 'takes', 'clip one.mp4'), bytes);
  report.media = {
    range: await fetchVia('storyreel-media', 'storyreel-media://project/media/takes/clip%20one.mp4?v=abc', { headers: { range: 'bytes=10-19' } }),
    whole: await fetchVia('storyreel-media', 'storyreel-media://project/media/takes/clip%20one.mp4'),
    head: await fetchVia('storyreel-media', 'storyreel-media://project/media/takes/clip%20one.mp4', { method: 'HEAD' }),
    unsatisfiable: await fetchVia('storyreel-media', 'storyreel-media://project/media/takes/clip%20one.mp4', { headers: { range: 'bytes=5000-' } }),
    traversal: await fetchVia('storyreel-media', 'storyreel-media://project/%2e%2e%2f%2e%2e%2fetc%2fpasswd'),
    missing: await fetchVia('storyreel-media', 'storyreel-media://project/media/nothing.mp4'),
    otherHost: await fetchVia('storyreel-media', 'storyreel-media://other/media/takes/clip%20one.mp4'),
  };

  // IPC: who may call, and what the core refuses.
  const frame = (over) => ({ ...wc.mainFrame, url: wc.url, ...over });
  report.ipc = {
    foreignUrl: await invoke({ sender: wc, senderFrame: frame({ url: 'https://evil.example/' }) }, 'project.get', {}),
    subframe: await invoke({ sender: wc, senderFrame: frame({ parent: wc.mainFrame, frameTreeNodeId: 2 }) }, 'project.get', {}),
    otherContents: await invoke({ sender: {}, senderFrame: frame({}) }, 'project.get', {}),
    noFrame: await invoke({ sender: wc, senderFrame: null }, 'project.get', {}),
    unknownMethod: await invoke(trusted, 'fs.readFile', { path: '/etc/passwd' }),
    invalidInput: await invoke(trusted, 'project.rename', { name: '' }),
    rename: await invoke(trusted, 'project.rename', { name: 'Renamed by the shell test' }),
  };
  await until('the project.changed event', () => wc.sent.some((s) => s[1] === 'project.changed'));
  report.events = wc.sent.map(([channel, name]) => [channel, name]);
}

if (scenario.newProject) {
  // File › New Project…: the save dialog answers with a folder; the new project opens in the window.
  const file = stub.menu.template.find((m) => m.label === 'File');
  report.fileMenu = file.submenu.map((i) => i.label ?? i.role ?? i.type);
  stub.saveDialogResult = { canceled: false, filePath: scenario.newProject };
  file.submenu.find((i) => i.label === 'New Project…').click();
  await until('the new project', () => stub.windows[0].webContents.url && stub.saveDialogs?.length === 1);
  const end = Date.now() + 20_000;
  let got;
  while (Date.now() < end) {
    got = await invoke(trusted, 'project.get', {});
    if (got.ok && got.result.folderName !== report.projectGet.result?.folderName) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  report.afterNewProject = got;
  report.saveDialogs = stub.saveDialogs;
}

// Quit the way a person does: the window closes (bounds saved), then the app quits and the core closes.
win.close();
const quitted = new Promise((resolve) => (stub.onQuit = resolve));
(await import('electron')).app.quit();
await Promise.race([quitted, new Promise((_, reject) => setTimeout(() => reject(new Error('quit timed out')), 20_000))]);
report.quitted = stub.quitted;
report.exitCode = stub.exitCode;
report.shellStore = JSON.parse(await fs.readFile(path.join(scenario.userData, 'shell.json'), 'utf8'));
console.log(`REPORT ${JSON.stringify(report)}`);
process.exit(0);
