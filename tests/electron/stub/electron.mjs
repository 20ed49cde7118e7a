// A stand-in for the parts of Electron's main-process API the shell uses, recording what the shell does
// with them. It lets tests/electron/main-stub.spec.ts run dist-electron/main.mjs under plain Node on
// machines without Electron's binary. It checks the shell's own wiring, not Electron's behaviour.
import { EventEmitter } from 'node:events';

let markReady;
const readyPromise = new Promise((resolve) => (markReady = resolve));

export const stub = (globalThis.__electronStub ??= {});
Object.assign(stub, {
  paths: stub.paths ?? {},
  appPath: stub.appPath ?? process.cwd(),
  privileged: [],
  protocolHandlers: {},
  ipcHandlers: {},
  windows: [],
  dialogs: [],
  menu: undefined,
  quitted: false,
  ready: false,
  readyNow() {
    stub.ready = true;
    markReady();
  },
});

class App extends EventEmitter {
  isPackaged = false;
  setPath(name, value) {
    stub.paths[name] = value;
  }
  getPath(name) {
    if (!(name in stub.paths)) throw new Error(`stub: no path for ${name}`);
    return stub.paths[name];
  }
  getAppPath() {
    return stub.appPath;
  }
  getVersion() {
    return '0.0.0-stub';
  }
  getName() {
    return 'storyreel';
  }
  enableSandbox() {
    stub.sandboxEnabled = true;
  }
  requestSingleInstanceLock() {
    return true;
  }
  whenReady() {
    return readyPromise;
  }
  isReady() {
    return stub.ready;
  }
  quit() {
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    stub.quitted = true;
    this.emit('will-quit');
    stub.onQuit?.();
  }
  exit(code) {
    stub.exitCode = code;
    stub.quitted = true;
    stub.onQuit?.();
  }
  showAboutPanel() {}
}
export const app = new App();

class WebContents extends EventEmitter {
  constructor() {
    super();
    this.url = '';
    this.sent = [];
    const contents = this;
    this.mainFrame = { frameTreeNodeId: 1, processId: 7, parent: null, get url() { return contents.url; } };
  }
  getURL() {
    return this.url;
  }
  isDestroyed() {
    return false;
  }
  send(channel, ...args) {
    this.sent.push([channel, ...args]);
  }
  setWindowOpenHandler(fn) {
    this.windowOpenHandler = fn;
  }
}

export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return stub.windows.filter((w) => !w.destroyed);
  }
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    this.destroyed = false;
    this.shown = false;
    stub.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url) {
    this.webContents.url = url;
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  show() {
    this.shown = true;
  }
  focus() {}
  isMinimized() {
    return false;
  }
  restore() {}
  maximize() {
    this.maximized = true;
  }
  isMaximized() {
    return !!this.maximized;
  }
  getNormalBounds() {
    return { x: 40, y: 50, width: 1300, height: 850 };
  }
  isDestroyed() {
    return this.destroyed;
  }
  close() {
    this.emit('close', { preventDefault() {} });
    this.destroyed = true;
    this.emit('closed');
  }
}

export const protocol = {
  registerSchemesAsPrivileged(list) {
    if (stub.ready) throw new Error('stub: registerSchemesAsPrivileged after ready');
    stub.privileged.push(...list);
  },
  handle(scheme, handler) {
    if (!stub.ready) throw new Error('stub: protocol.handle before ready');
    stub.protocolHandlers[scheme] = handler;
  },
};

export const ipcMain = {
  handle(channel, handler) {
    stub.ipcHandlers[channel] = handler;
  },
  on() {},
};

export const dialog = {
  showMessageBox(...args) {
    stub.dialogs.push(args.at(-1));
    return Promise.resolve({ response: 0, checkboxChecked: false });
  },
  showErrorBox(title, content) {
    stub.dialogs.push({ message: title, detail: content });
  },
  showOpenDialog() {
    return Promise.resolve(stub.openDialogResult ?? { canceled: true, filePaths: [] });
  },
  showSaveDialog(...args) {
    stub.saveDialogs = [...(stub.saveDialogs ?? []), args.at(-1)];
    return Promise.resolve(stub.saveDialogResult ?? { canceled: true });
  },
};

export const Menu = {
  buildFromTemplate(template) {
    return { template };
  },
  setApplicationMenu(menu) {
    stub.menu = menu;
  },
};

export const screen = {
  getAllDisplays() {
    return [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }];
  },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler(fn) {
      stub.permissionRequest = fn;
    },
    setPermissionCheckHandler(fn) {
      stub.permissionCheck = fn;
    },
  },
};

export const shell = {
  openPath(p) {
    stub.openedPath = p;
    return Promise.resolve('');
  },
};

// A stand-in keychain: reversible, and visibly not plaintext, so tests can tell sealed from clear.
export const safeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (text) => Buffer.from(`sealed:${Buffer.from(text).toString('base64')}`),
  decryptString: (buf) => Buffer.from(String(buf).replace(/^sealed:/, ''), 'base64').toString('utf8'),
};

export default { app, BrowserWindow, protocol, ipcMain, dialog, Menu, screen, session, shell, safeStorage };
