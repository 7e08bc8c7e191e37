import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../../src-shared/rpc/contract';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../../src-main/electron/channels';
import { builtMainBundle, launchWithStandIn, repoRoot, type ShellSnapshot, type StandInProcess } from './shell-harness';

type CallResult = { readonly ok: true; readonly output: unknown } | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };

/**
 * The shell's IPC boundary, through the built main bundle with a stand-in `electron`, installed in
 * a folder whose name has the characters that broke URL-string comparison: `[`, `%`, `é`, and `^`.
 */
describe('the desktop shell IPC boundary (stand-in Electron)', () => {
  let workDir: string;
  let installDir: string;
  let shell: StandInProcess;
  let windowId: number;
  let pageUrls: { readonly node: string; readonly chromium: string };

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'co-shell-ipc-'));
    // An "installed" copy of the app: the built outputs and package.json, dependencies linked.
    installDir = join(workDir, 'Claude [Orch] %41 ^ é');
    mkdirSync(installDir);
    cpSync(join(repoRoot, 'dist'), join(installDir, 'dist'), { recursive: true });
    cpSync(join(repoRoot, 'package.json'), join(installDir, 'package.json'));
    symlinkSync(join(repoRoot, 'node_modules'), join(installDir, 'node_modules'), 'dir');
    const page = join(installDir, 'dist', 'renderer', 'index.html');
    // Node escapes `[`, `]` and `^`; Chromium's URL parser (like WHATWG's) leaves them as they are.
    pageUrls = { node: pathToFileURL(page).href, chromium: new URL(`file://${page.replaceAll('%', '%25')}`).href };
    expect(pageUrls.node).not.toBe(pageUrls.chromium);
    shell = launchWithStandIn({
      script: builtMainBundle(installDir),
      cwd: installDir,
      env: { CO_USER_DATA: join(workDir, 'user-data'), STAND_IN_APP_PATH: installDir },
    });
    windowId = (await shell.next('window-loaded')).id ?? -1;
  }, 60_000);

  afterAll(() => {
    shell.kill();
    rmSync(workDir, { recursive: true, force: true });
  });

  const invoke = (url: string, method: unknown, input: unknown, subframe = false): Promise<CallResult> =>
    shell.command<CallResult>('invoke', { channel: INVOKE_CHANNEL, url, subframe, senderId: windowId, args: [method, input] });

  it('handles exactly the contract channel and listens on nothing else', async () => {
    const snapshot = await shell.command<ShellSnapshot>('snapshot');
    expect(snapshot.handled).toEqual([INVOKE_CHANNEL]);
    expect(snapshot.listened).toEqual([]);
    expect(EVENT_CHANNEL.startsWith('orchestrator:')).toBe(true);
  });

  it('answers the app page however its URL is escaped, from an install path with [ % ^ é', async () => {
    for (const url of [pageUrls.chromium, pageUrls.node]) {
      const result = await invoke(url, 'app.ping', {});
      expect(result).toMatchObject({ ok: true });
    }
  });

  it('refuses a foreign page, a subframe of the app page, and a page beside it', async () => {
    const refusals = [
      await invoke('https://evil.example/', 'app.ping', {}),
      await invoke('file:///etc/index.html', 'app.ping', {}),
      await invoke(pageUrls.chromium, 'app.ping', {}, true),
      await invoke(pageUrls.chromium.replace('index.html', 'other.html'), 'app.ping', {}),
    ];
    for (const result of refusals) expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('answers a validation error for bad input to every contract method, never "unknown method"', async () => {
    const names = Object.keys(methods);
    expect(names.length).toBeGreaterThan(20);
    for (const method of names) {
      const result = await invoke(pageUrls.chromium, method, 12345);
      expect(result.ok, method).toBe(false);
      if (!result.ok) expect(result.error.code, `${method}: ${result.error.message}`).toBe('invalid_input');
    }
    expect(await invoke(pageUrls.chromium, 42, {})).toMatchObject({ ok: false, error: { code: 'invalid_message' } });
    expect(await invoke(pageUrls.chromium, 'no.such.method', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });
});
