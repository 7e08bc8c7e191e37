import { app, BrowserWindow, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppHost, type AppHost } from '../host/app-host';
import { readAppVersion } from '../host/package-root';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './channels';
import { installApplicationMenu } from './menu';
import { electronNotifier } from './notifier';
import { createMainWindow, rendererIndexUrl } from './window';

/**
 * The thin Electron shell: one window, the host in this process, IPC as its transport.
 * Everything it calls also runs under plain Node (`co serve`), which is where it is tested.
 */
const distDir = join(dirname(fileURLToPath(import.meta.url)), '..');
let host: AppHost | undefined;
let mainWindow: BrowserWindow | undefined;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow === undefined) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.whenReady().then(start, (error: unknown) => {
    console.error('Claude Orchestrator could not start:', error);
    app.exit(1);
  });
}

function start(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  host = createAppHost({
    userDataDir: app.getPath('userData'),
    version: readAppVersion(join(distDir, '..')),
    log: (line) => console.error(line),
    desktopNotifier: electronNotifier(() => mainWindow),
  });
  const activeHost = host;
  const allowedUrl = rendererIndexUrl(distDir);

  ipcMain.handle(INVOKE_CHANNEL, (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    if (!isTrustedSender(event, allowedUrl)) {
      return { ok: false, error: { code: 'unauthorized', message: 'Calls are accepted only from the app window.' } };
    }
    if (typeof method !== 'string') return { ok: false, error: { code: 'invalid_message', message: 'method must be a string' } };
    return activeHost.server.call(method, input, { transport: 'electron-ipc' });
  });
  activeHost.events.listen((event, payload) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(EVENT_CHANNEL, event, payload);
  });

  installApplicationMenu(() => mainWindow);
  mainWindow = createMainWindow(distDir, app.getPath('userData'));
  mainWindow.on('closed', () => {
    mainWindow = undefined;
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow(distDir, app.getPath('userData'));
  });
}

function isTrustedSender(event: IpcMainInvokeEvent, allowedUrl: string): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && frame.url === allowedUrl;
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
let closing = false;
app.on('will-quit', (event) => {
  if (host === undefined || closing) return;
  // Stop runs (workers killed, tasks back to ready) and close databases before quitting.
  closing = true;
  event.preventDefault();
  void host.close().finally(() => app.quit());
});
