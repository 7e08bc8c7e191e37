// A recording stand-in for the `electron` module, for running the built main bundle under plain
// Node (the Electron binary cannot be downloaded on the CI machines). It records what the shell
// asks of Electron and lets the test (the parent process, over the IPC channel) drive it: fire
// app and webContents events, call the IPC handler as a given frame, quit. Only what the shell
// uses is here; anything else fails loudly as undefined.
import { EventEmitter } from 'node:events';
import { homedir } from 'node:os';
import { join } from 'node:path';

const recorded = {
  windows: [],
  handled: [],
  listened: [],
  errorBoxes: [],
  menuSet: false,
  permissionHandlerSet: false,
  permissionCheckHandlerSet: false,
  openedExternal: [],
  singleInstanceLock: 'none',
  appUserModelId: null,
  notificationsShown: 0,
};
const handlers = new Map();
let permissionHandler = null;
let permissionCheckHandler = null;
let nextWebContentsId = 1;

/** Tells the test something happened (no reply expected). */
function report(type, detail = {}) {
  process.send?.({ type, ...detail });
}

class WebContents extends EventEmitter {
  constructor() {
    super();
    this.id = nextWebContentsId++;
    this.sent = [];
    this.destroyed = false;
    this.windowOpenHandler = null;
  }
  send(channel, ...args) {
    // Electron throws "Object has been destroyed" here; so does the stand-in.
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push([channel, ...args]);
  }
  isDestroyed() {
    return this.destroyed;
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
}

const allWindows = [];

export class BrowserWindow extends EventEmitter {
  constructor(options = {}) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    this.destroyed = false;
    this.loadedFile = null;
    this.shown = false;
    allWindows.push(this);
    recorded.windows.push(this);
    report('window-created', { id: this.webContents.id });
  }
  loadFile(file) {
    this.loadedFile = file;
    setImmediate(() => {
      this.emit('ready-to-show');
      this.webContents.emit('did-finish-load');
      report('window-loaded', { id: this.webContents.id });
    });
    return Promise.resolve();
  }
  loadURL(url) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  static getAllWindows() {
    return allWindows.filter((window) => !window.destroyed);
  }
  static getFocusedWindow() {
    return null;
  }
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    return false;
  }
  isMaximized() {
    return false;
  }
  restore() {}
  maximize() {}
  show() {
    this.shown = true;
  }
  focus() {
    this.emit('focus');
  }
  getBounds() {
    return { x: 10, y: 10, width: this.options.width ?? 1280, height: this.options.height ?? 820 };
  }
  getNormalBounds() {
    return this.getBounds();
  }
  close() {
    this.emit('close', { preventDefault() {} });
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

let ready = false;
let resolveReady;
const whenReadyPromise = new Promise((resolve) => {
  resolveReady = resolve;
});
const paths = new Map([['userData', join(homedir(), '.config', 'Electron')]]);

class App extends EventEmitter {
  isPackaged = false;
  requestSingleInstanceLock() {
    const held = process.env['STAND_IN_LOCK_HELD_ELSEWHERE'] !== '1';
    recorded.singleInstanceLock = held ? 'held' : 'refused';
    return held;
  }
  releaseSingleInstanceLock() {
    recorded.singleInstanceLock = 'released';
  }
  whenReady() {
    return whenReadyPromise;
  }
  isReady() {
    return ready;
  }
  getPath(name) {
    const path = paths.get(name);
    if (path === undefined) throw new Error(`stand-in: app.getPath('${name}') is not modelled`);
    return path;
  }
  setPath(name, path) {
    paths.set(name, path);
  }
  getAppPath() {
    return process.env['STAND_IN_APP_PATH'] ?? process.cwd();
  }
  setAppUserModelId(id) {
    recorded.appUserModelId = id;
  }
  quit() {
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.emit('will-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.emit('quit');
    finish(0);
  }
  exit(code = 0) {
    finish(code);
  }
}

/** Ends the process after the test has the last snapshot. */
function finish(code) {
  if (process.send === undefined) process.exit(code);
  process.send({ type: 'exit', code, snapshot: snapshot() }, () => process.exit(code));
}

export const app = new App();

export const ipcMain = {
  handle(channel, handler) {
    recorded.handled.push(channel);
    handlers.set(channel, handler);
  },
  on(channel) {
    recorded.listened.push(channel);
  },
  removeHandler(channel) {
    handlers.delete(channel);
  },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler) {
      recorded.permissionHandlerSet = true;
      permissionHandler = handler;
    },
    setPermissionCheckHandler(handler) {
      recorded.permissionCheckHandlerSet = true;
      permissionCheckHandler = handler;
    },
  },
};

export const Menu = {
  buildFromTemplate: (template) => ({ template }),
  setApplicationMenu: () => {
    recorded.menuSet = true;
  },
};

export const dialog = {
  showErrorBox(title, content) {
    recorded.errorBoxes.push({ title, content });
    report('error-box', { title, content });
  },
  showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }),
};

export const shell = {
  openExternal(url) {
    recorded.openedExternal.push(url);
    return Promise.resolve();
  },
};

/** Every Notification made, weakly: the test checks the shell keeps them alive itself. */
const notifications = [];

export class Notification extends EventEmitter {
  static isSupported() {
    return true;
  }
  constructor(options) {
    super();
    this.options = options;
    notifications.push(new WeakRef(this));
  }
  show() {
    recorded.notificationsShown++;
  }
}

export const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
};

export default { app, BrowserWindow, ipcMain, session, Menu, dialog, shell, Notification, screen };

/** What the test can see: plain data only. */
function snapshot() {
  return {
    ...recorded,
    windows: recorded.windows.map((window) => ({
      id: window.webContents.id,
      options: window.options,
      loadedFile: window.loadedFile,
      loadedUrl: window.loadedUrl ?? null,
      destroyed: window.destroyed,
      shown: window.shown,
      sent: window.webContents.sent,
      hasWindowOpenHandler: window.webContents.windowOpenHandler !== null,
    })),
    liveNotifications: notifications.filter((ref) => ref.deref() !== undefined).length,
  };
}

function windowById(id) {
  const window = recorded.windows.find((candidate) => candidate.webContents.id === id);
  if (window === undefined) throw new Error(`stand-in: no window ${id}`);
  return window;
}

/** Emits a webContents event with a preventable event object; answers whether it was prevented. */
function emitPreventable(window, name, ...args) {
  let prevented = false;
  window.webContents.emit(name, { preventDefault: () => (prevented = true) }, ...args);
  return prevented;
}

/** The commands the test sends. */
const commands = {
  snapshot: () => snapshot(),
  async invoke({ channel, url, subframe, senderId, args }) {
    const handler = handlers.get(channel);
    if (handler === undefined) throw new Error(`stand-in: no handler for ${channel}`);
    const frame = { url, parent: subframe ? { url } : null };
    return handler({ senderFrame: frame, sender: { id: senderId }, frameId: 1, processId: 1 }, ...args);
  },
  navigate: ({ id, url }) => emitPreventable(windowById(id), 'will-navigate', url),
  redirect: ({ id, url }) => emitPreventable(windowById(id), 'will-redirect', url),
  attachWebview: ({ id }) => emitPreventable(windowById(id), 'will-attach-webview', {}, {}),
  windowOpen: ({ id, url }) => windowById(id).webContents.windowOpenHandler({ url, frameName: '', features: '', disposition: 'new-window' }),
  /** A permission request from a frame that loaded `url` (a subframe when `subframe`), as Electron details it. */
  permission: ({ permission, url, subframe }) =>
    new Promise((resolve) => {
      permissionHandler(null, permission, (granted) => resolve(granted), { requestingUrl: url ?? 'about:blank', isMainFrame: subframe !== true });
    }),
  /** A synchronous permission check (navigator.permissions.query, Chromium's own checks). */
  permissionCheck: ({ permission, url, subframe }) => {
    const origin = url === undefined ? '' : new URL(url).origin;
    return permissionCheckHandler(null, permission, origin, url === undefined ? { isMainFrame: subframe !== true } : { requestingUrl: url, isMainFrame: subframe !== true });
  },
  secondInstance: ({ argv, workingDirectory }) => {
    app.emit('second-instance', { preventDefault() {} }, argv, workingDirectory, {});
    return BrowserWindow.getAllWindows().length;
  },
  closeWindow: ({ id }) => windowById(id).close(),
  quit: () => app.quit(),
  notificationEvent: ({ index, event }) => notifications[index]?.deref()?.emit(event),
  /** The shell runs in this process, so its environment is this process's. */
  env: ({ name }) => process.env[name] ?? null,
  gc: async () => {
    // Collect twice across turns: WeakRefs are kept alive until the current job ends.
    for (let round = 0; round < 3; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      globalThis.gc?.();
    }
    return notifications.filter((ref) => ref.deref() !== undefined).length;
  },
};

/** Lets a test driver script add its own commands (e.g. to call a module it loaded). */
export function addCommand(name, run) {
  commands[name] = run;
}

process.on('message', (message) => {
  const { id, command, input } = message;
  const run = commands[command];
  Promise.resolve()
    .then(() => (run === undefined ? Promise.reject(new Error(`stand-in: unknown command ${command}`)) : run(input ?? {})))
    .then(
      (result) => process.send({ type: 'reply', id, ok: true, result: result ?? null }),
      (error) => process.send({ type: 'reply', id, ok: false, message: error instanceof Error ? error.message : String(error) }),
    );
});

setImmediate(() => {
  ready = true;
  resolveReady();
});
