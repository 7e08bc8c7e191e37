import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithStandIn, repoRoot, type ShellSnapshot, type StandInProcess } from './shell-harness';

/**
 * The built main bundle under Node with a recording stand-in for `electron` (the binary cannot be
 * downloaded here): the window it opens and how that window is locked down.
 */
describe('the desktop shell window (stand-in Electron)', () => {
  let userData: string;
  let shell: StandInProcess;
  let snapshot: ShellSnapshot;
  let windowId: number;

  beforeAll(async () => {
    userData = mkdtempSync(join(tmpdir(), 'co-shell-window-'));
    shell = launchWithStandIn({ env: { CO_USER_DATA: userData, STAND_IN_APP_PATH: repoRoot } });
    windowId = (await shell.next('window-loaded')).id ?? -1;
    snapshot = await shell.command<ShellSnapshot>('snapshot');
  }, 60_000);

  afterAll(() => {
    shell.kill();
    rmSync(userData, { recursive: true, force: true });
  });

  it('opens one window, isolated and sandboxed, with no Node in the page', () => {
    expect(snapshot.errorBoxes).toEqual([]);
    expect(snapshot.windows).toHaveLength(1);
    const preferences = snapshot.windows[0]?.options.webPreferences ?? {};
    expect(preferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webSecurity: true });
    expect(snapshot.menuSet).toBe(true);
    expect(snapshot.singleInstanceLock).toBe('held');
  });

  it('uses an absolute preload path to a CommonJS file that exists', () => {
    const preload = String(snapshot.windows[0]?.options.webPreferences?.['preload']);
    expect(isAbsolute(preload)).toBe(true);
    expect(preload.endsWith('.cjs')).toBe(true);
    expect(existsSync(preload)).toBe(true);
  });

  it('loads an HTML page that exists, whose every script exists, with no inline script', () => {
    const page = snapshot.windows[0]?.loadedFile ?? '';
    expect(existsSync(page)).toBe(true);
    const html = readFileSync(page, 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes = '', body = ''] of scripts) {
      const source = /\bsrc="([^"]+)"/.exec(attributes)?.[1];
      expect(source, 'a script without src is inline, which the CSP forbids').toBeDefined();
      expect(body.trim()).toBe('');
      expect(existsSync(resolve(dirname(page), source ?? '')), `${source ?? ''} exists next to the page`).toBe(true);
    }
    expect(html).toMatch(/Content-Security-Policy[\s\S]*script-src 'self'/);
  });

  it('uses the user-data folder that `co serve` uses (CO_USER_DATA here)', async () => {
    expect(existsSync(join(userData, 'app.db'))).toBe(true);
  });

  it('denies window.open, sending https links to the browser instead', async () => {
    expect(snapshot.windows[0]?.hasWindowOpenHandler).toBe(true);
    expect(await shell.command('windowOpen', { id: windowId, url: 'https://docs.anthropic.com/' })).toEqual({ action: 'deny' });
    expect(await shell.command('windowOpen', { id: windowId, url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    const after = await shell.command<ShellSnapshot>('snapshot');
    expect(after.openedExternal).toEqual(['https://docs.anthropic.com/']);
  });

  it('prevents navigation away from the app page, redirects and webviews', async () => {
    expect(await shell.command('navigate', { id: windowId, url: 'https://evil.example/' })).toBe(true);
    expect(await shell.command('navigate', { id: windowId, url: 'file:///etc/passwd' })).toBe(true);
    expect(await shell.command('navigate', { id: windowId, url: pathToFileURL(snapshot.windows[0]?.loadedFile ?? '').href })).toBe(false);
    expect(await shell.command('redirect', { id: windowId, url: 'https://evil.example/' })).toBe(true);
    expect(await shell.command('attachWebview', { id: windowId })).toBe(true);
  });

  it('grants only clipboard read and write, only to the top frame of the app page; refuses everything else', async () => {
    expect(snapshot.permissionHandlerSet).toBe(true);
    expect(snapshot.permissionCheckHandlerSet).toBe(true);
    const appPage = `${pathToFileURL(snapshot.windows[0]?.loadedFile ?? '').href}?token=x#tasks`;
    const ask = async (permission: string, url: string | undefined, subframe = false) => ({
      requested: await shell.command<boolean>('permission', { permission, url, subframe }),
      checked: await shell.command<boolean>('permissionCheck', { permission, url, subframe }),
    });
    const granted = { requested: true, checked: true };
    const refused = { requested: false, checked: false };
    // The terminal dock's paste (navigator.clipboard.readText) and copy (writeText).
    expect(await ask('clipboard-read', appPage)).toEqual(granted);
    expect(await ask('clipboard-sanitized-write', appPage)).toEqual(granted);
    // Anything else the app page might ask for.
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'deprecated-sync-clipboard-read', 'fullscreen']) {
      expect(await ask(permission, appPage), permission).toEqual(refused);
    }
    // The clipboard from anywhere else: a frame inside the page, another file, a web page, no document.
    expect(await ask('clipboard-read', appPage, true)).toEqual(refused);
    expect(await ask('clipboard-read', pathToFileURL(join(dirname(snapshot.windows[0]?.loadedFile ?? ''), 'other.html')).href)).toEqual(refused);
    expect(await ask('clipboard-read', 'file:///etc/passwd')).toEqual(refused);
    expect(await ask('clipboard-read', 'https://evil.example/')).toEqual(refused);
    expect(await ask('clipboard-sanitized-write', 'https://evil.example/')).toEqual(refused);
    expect(await ask('clipboard-read', undefined)).toEqual(refused);
  });
});
