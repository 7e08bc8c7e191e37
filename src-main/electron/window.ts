import { BrowserWindow, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { isRendererPageUrl, rendererIndexPath } from './renderer-page';
import { loadWindowState, rememberWindowState } from './window-state';

/**
 * Creates an app window with the renderer locked down: isolated, sandboxed, no Node, no navigation,
 * no popups. The first takes the remembered bounds; later ones open a little below and right of `after`.
 */
export function createMainWindow(distDir: string, userDataDir: string, after?: BrowserWindow): BrowserWindow {
  const saved = after === undefined ? loadWindowState(userDataDir) : null;
  const cascade = after?.getBounds();
  const bounds =
    cascade !== undefined
      ? { x: cascade.x + 28, y: cascade.y + 28, width: cascade.width, height: cascade.height }
      : saved === null
        ? { width: 1280, height: 820 }
        : { x: saved.x, y: saved.y, width: saved.width, height: saved.height };
  const window = new BrowserWindow({
    ...bounds,
    minWidth: 900,
    minHeight: 600,
    title: 'Claude Orchestrator',
    show: false,
    webPreferences: {
      preload: join(distDir, 'main', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  lockDownNavigation(window.webContents, distDir);
  rememberWindowState(window, userDataDir);
  window.once('ready-to-show', () => {
    if (saved?.maximized === true) window.maximize();
    window.show();
  });
  void window.loadFile(rendererIndexPath(distDir));
  return window;
}

function lockDownNavigation(contents: WebContents, distDir: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isRendererPageUrl(url, distDir)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the user's browser; nothing opens inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
