import { app, BrowserWindow, dialog, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallResult } from '../../src-shared/rpc/server';
import { createAppHost, type AppHost } from '../host/app-host';
import { readAppVersion } from '../host/package-root';
import { resolveShellEnv } from '../process/shell-env';
import { defaultUserDataDir } from '../host/user-data';
import { redactSecrets } from '../workspace/redact';
import { INVOKE_CHANNEL } from './channels';
import { projectPathFromArgv } from './launch-args';
import { installApplicationMenu } from './menu';
import { useElectronSqliteBuild } from './native-binding';
import { electronNotifier } from './notifier';
import { ProjectWindows } from './project-windows';
import { isPermissionGranted } from './permission-policy';
import { isRendererPageUrl } from './renderer-page';
import { sendToWindow } from './send-to-window';
import { createMainWindow } from './window';

/**
 * The thin Electron shell: one process (single-instance lock) with one window per open project,
 * the host in this process, IPC as its transport. Everything it calls also runs under plain Node
 * (`co serve`), which is where it is tested.
 */
const distDir = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Windows needs the installer's app id for notifications to show at all (electron-builder.yml `appId`). */
const APP_USER_MODEL_ID = 'dev.claude-orchestrator.app';
/** How long quitting waits for runs to stop and databases to close before it quits anyway. */
const QUIT_TIMEOUT_MS = 10_000;
const windows = new ProjectWindows<BrowserWindow>();
let host: AppHost | undefined;

// The same folder as `co serve` (and CO_USER_DATA when set), so both share recent projects.
app.setPath('userData', defaultUserDataDir());
if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // A second launch hands its command line to this process: `claude-orchestrator ~/my-app` opens (or shows) that project here.
  app.on('second-instance', (_event, argv, workingDirectory) => {
    if (host === undefined) return; // still starting (or failed to): the first window opens from start()
    openProjectWindow(projectPathFromArgv(argv, workingDirectory, launchAppPath()));
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => failedToStart(error));
}

/**
 * Start-up failed (a native module built for another ABI, a database from a newer version, an
 * unwritable user-data folder): say why in a dialog and exit non-zero, letting go of the
 * single-instance lock, rather than run on with no window and the lock held.
 */
async function failedToStart(error: unknown): Promise<void> {
  const message = redactSecrets(error instanceof Error ? error.message : String(error));
  // A native module built for another Node/Electron ABI says only "NODE_MODULE_VERSION …".
  const abiHint = !message.includes('NODE_MODULE_VERSION')
    ? ''
    : app.isPackaged
      ? ' This installation has a native module built for another Electron version: reinstall Claude Orchestrator.'
      : ' Rebuild it for this Electron with `node scripts/build-electron-native.mjs --force`, then `npm start`.';
  const cause = `${message}${abiHint}`;
  console.error(`Claude Orchestrator could not start: ${cause}`);
  try {
    dialog.showErrorBox(
      'Claude Orchestrator could not start',
      `${cause}\n\nThe browser version (\`co serve\`) shows the same cause on the command line. User data folder: ${app.getPath('userData')}`,
    );
  } finally {
    const started = host;
    host = undefined;
    await started?.close().catch(() => undefined);
    app.releaseSingleInstanceLock();
    app.exit(1);
  }
}

/**
 * An app started from the Dock, Finder or a desktop launcher has a bare PATH: take the user's
 * terminal environment (src-main/process/shell-env.ts) once, before anything spawns, so finding
 * `claude` and every child process (workers, git, test commands) see what the terminal sees.
 * Launched from a terminal (`npm start`), the environment is already the user's. Windows apps get
 * the user's environment from the system.
 */
async function adoptUserShellEnv(): Promise<void> {
  if (process.platform === 'win32' || process.stdout.isTTY) return;
  try {
    Object.assign(process.env, await resolveShellEnv());
  } catch (error) {
    console.error(
      `Claude Orchestrator: could not read your shell environment (${error instanceof Error ? error.message : String(error)}); using the app's own. If \`claude\` is not found, set its full path in the settings.`,
    );
  }
}

/** The app's own path on the command line in development (`electron .`); packaged apps have none. */
function launchAppPath(): string | null {
  return app.isPackaged ? null : app.getAppPath();
}

async function start(): Promise<void> {
  useElectronSqliteBuild({ isPackaged: app.isPackaged, appRoot: join(distDir, '..') });
  await adoptUserShellEnv();
  // The app's page may read and write the clipboard (the terminal's paste and copy); nothing else, and no other page.
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => callback(isPermissionGranted(permission, details, distDir)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission, _origin, details) => isPermissionGranted(permission, details, distDir));
  host = createAppHost({
    userDataDir: app.getPath('userData'),
    version: readAppVersion(join(distDir, '..')),
    log: (line) => console.error(line),
    appLabel: 'the Claude Orchestrator desktop app',
    desktopNotifier: electronNotifier((project) => (project === undefined ? windows.mostRecent() : (windows.showing(project) ?? windows.free() ?? windows.mostRecent()))?.window),
    dialogs: {
      pickFolder: async (title) => {
        const parent = BrowserWindow.getFocusedWindow();
        const options = { title, properties: ['openDirectory' as const, 'createDirectory' as const] };
        const picked = parent === null ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(parent, options);
        return picked.canceled ? null : (picked.filePaths[0] ?? null);
      },
    },
  });
  const activeHost = host;

  ipcMain.handle(INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, input: unknown): Promise<CallResult> => {
    if (!isTrustedSender(event)) {
      return { ok: false, error: { code: 'unauthorized', message: 'Calls are accepted only from the app window.' } };
    }
    if (typeof method !== 'string') return { ok: false, error: { code: 'invalid_message', message: 'method must be a string' } };
    const result = await activeHost.server.call(method, input, { transport: 'electron-ipc', client: windowClient(event.sender.id) });
    return result.ok ? trackProjects(event.sender.id, method, result) : result;
  });
  activeHost.events.listen((event, payload) => {
    for (const window of BrowserWindow.getAllWindows()) sendToWindow(window, event, payload);
  });

  installApplicationMenu({
    focused: () => BrowserWindow.getFocusedWindow() ?? windows.mostRecent()?.window,
    newWindow: () => newWindow(null),
    openProject: (path) => openProjectWindow(path, BrowserWindow.getFocusedWindow() ?? undefined),
  });
  openProjectWindow(projectPathFromArgv(process.argv, process.cwd(), launchAppPath()));
  app.on('activate', () => {
    if (windows.size === 0) newWindow(null);
  });
}

/**
 * Keeps the project-per-window map current from the calls windows make. A window that opens a
 * project already shown elsewhere is refused, and the other window comes forward instead.
 */
function trackProjects(senderId: number, method: string, result: Extract<CallResult, { ok: true }>): CallResult {
  if (method === 'projects.close') windows.show(senderId, null);
  if (method !== 'projects.open') return result;
  const path = (result.output as { path: string }).path;
  const other = windows.showing(path, senderId);
  if (other !== undefined) {
    bringForward(other.window);
    return { ok: false, error: { code: 'conflict', message: `${path} is already open in another window; switched to it.` } };
  }
  windows.show(senderId, path);
  return result;
}

/**
 * Shows a project: the window that has it comes forward; otherwise `into` (the window the user
 * asked from) or a free window opens it, else a new window does. Null opens or shows a window.
 */
function openProjectWindow(path: string | null, into?: BrowserWindow): void {
  const project = path === null ? null : canonical(path);
  const shown = project === null ? undefined : windows.showing(project);
  if (shown !== undefined) return bringForward(shown.window);
  const target = into ?? windows.free()?.window ?? (project === null ? windows.mostRecent()?.window : undefined);
  if (target !== undefined) {
    bringForward(target);
    if (project !== null) sendToWindow(target, 'ui.openProject', { path: project });
    return;
  }
  newWindow(project);
}

/** Opens a new window, on the projects screen or at a project. */
function newWindow(project: string | null): void {
  const window = createMainWindow(distDir, app.getPath('userData'), windows.mostRecent()?.window);
  const id = window.webContents.id;
  windows.add(id, window);
  window.on('focus', () => windows.touch(id));
  window.on('closed', () => {
    // The project this window showed goes back to other apps, unless a run is still going.
    windows.remove(id);
    host?.clientGone(windowClient(id));
  });
  // The preload holds this until the page subscribes, however late React mounts.
  if (project !== null) window.webContents.once('did-finish-load', () => sendToWindow(window, 'ui.openProject', { path: project }));
}

/** The client name of a window's calls. */
function windowClient(webContentsId: number): string {
  return `window-${String(webContentsId)}`;
}

function bringForward(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/** The real path, as the host names projects; a path that does not exist is passed on for the host to explain. */
function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Only the top frame of the app's own page may call the host; never a subframe or another page. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isRendererPageUrl(frame.url, distDir);
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
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.error(`Claude Orchestrator: stopping runs took over ${String(QUIT_TIMEOUT_MS / 1000)} s; quitting anyway.`);
      resolve();
    }, QUIT_TIMEOUT_MS);
  });
  const closed = host.close().catch((error: unknown) => console.error(redactSecrets(`Claude Orchestrator: closing failed: ${String(error)}`)));
  void Promise.race([closed, timeout]).finally(() => {
    clearTimeout(timer);
    app.quit();
  });
});
