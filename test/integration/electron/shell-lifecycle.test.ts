import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INVOKE_CHANNEL } from '../../../src-main/electron/channels';
import { launchWithStandIn, repoRoot, type ShellSnapshot, type StandInProcess } from './shell-harness';

/** Start-up failure, second launches and quitting, through the built main bundle with a stand-in `electron`. */
describe('the desktop shell lifecycle (stand-in Electron)', () => {
  let workDir: string;
  let userData: string;
  const started: StandInProcess[] = [];

  beforeEach(() => {
    workDir = realpathSync(mkdtempSync(join(tmpdir(), 'co-shell-life-')));
    userData = join(workDir, 'user-data');
  });

  afterEach(() => {
    for (const shell of started.splice(0)) shell.kill();
    rmSync(workDir, { recursive: true, force: true });
  });

  const launch = (args: ReadonlyArray<string> = [], env: Readonly<Record<string, string>> = {}): StandInProcess => {
    const shell = launchWithStandIn({ args, env: { CO_USER_DATA: userData, STAND_IN_APP_PATH: repoRoot, ...env } });
    started.push(shell);
    return shell;
  };

  it('shows the cause in an error dialog and exits 1 when the app database is from a newer version', { timeout: 60_000 }, async () => {
    mkdirSync(userData, { recursive: true });
    const db = new Database(join(userData, 'app.db'));
    db.pragma('user_version = 99');
    db.close();
    const { code, snapshot } = await launch().exited;
    expect(code).toBe(1);
    expect(snapshot?.errorBoxes).toHaveLength(1);
    expect(snapshot?.errorBoxes[0]?.title).toBe('Claude Orchestrator could not start');
    expect(snapshot?.errorBoxes[0]?.content).toContain('newer Claude Orchestrator');
    expect(snapshot?.errorBoxes[0]?.content).toContain('Update the app');
    expect(snapshot?.windows).toEqual([]);
    expect(snapshot?.singleInstanceLock).toBe('released');
  });

  it('says which folder to fix, in a dialog, when the user-data folder cannot be created', { timeout: 60_000 }, async () => {
    writeFileSync(join(workDir, 'not-a-folder'), '');
    userData = join(workDir, 'not-a-folder', 'user-data');
    const { code, snapshot } = await launch().exited;
    expect(code).toBe(1);
    expect(snapshot?.errorBoxes[0]?.content).toContain(`Cannot create the user-data folder ${userData}`);
    expect(snapshot?.errorBoxes[0]?.content).toContain('CO_USER_DATA');
    expect(snapshot?.singleInstanceLock).toBe('released');
  });

  it('opens nothing unexpected for a second launch with Playwright-style flags, and opens a named project in the free window', { timeout: 60_000 }, async () => {
    const shell = launch();
    const windowId = (await shell.next('window-loaded')).id;
    const flagsOnly = [process.execPath, '--inspect=0', '--remote-debugging-port=0', repoRoot, '--no-sandbox', '--enable-logging'];
    expect(await shell.command('secondInstance', { argv: flagsOnly, workingDirectory: workDir })).toBe(1);
    let snapshot = await shell.command<ShellSnapshot>('snapshot');
    expect(snapshot.windows.flatMap((window) => window.sent)).toEqual([]);

    const project = join(workDir, 'shop');
    mkdirSync(project);
    expect(await shell.command('secondInstance', { argv: [process.execPath, '--inspect=0', repoRoot, 'shop'], workingDirectory: workDir })).toBe(1);
    snapshot = await shell.command<ShellSnapshot>('snapshot');
    expect(snapshot.windows.find((window) => window.id === windowId)?.sent).toEqual([['orchestrator:event', 'ui.openProject', { path: project }]]);
  });

  it('opens the project named at launch once the page has loaded', { timeout: 60_000 }, async () => {
    const project = join(workDir, 'blog');
    mkdirSync(project);
    const shell = launch([project]);
    await shell.next('window-loaded');
    const snapshot = await shell.command<ShellSnapshot>('snapshot');
    expect(snapshot.windows).toHaveLength(1);
    expect(snapshot.windows[0]?.sent).toEqual([['orchestrator:event', 'ui.openProject', { path: project }]]);
  });

  it('closes the host (releasing the project lock) and then quits, exit code 0', { timeout: 120_000 }, async () => {
    const project = join(workDir, 'shop');
    mkdirSync(project);
    execFileSync('git', ['init', '-q', project]);
    const shell = launch();
    const windowId = (await shell.next('window-loaded')).id;
    const snapshot = await shell.command<ShellSnapshot>('snapshot');
    const pageUrl = pathToFileURL(snapshot.windows[0]?.loadedFile ?? '').href;
    const call = (method: string, input: unknown): Promise<unknown> =>
      shell.command('invoke', { channel: INVOKE_CHANNEL, url: pageUrl, subframe: false, senderId: windowId, args: [method, input] });
    expect(await call('projects.open', { path: project })).toMatchObject({ ok: true });
    expect(await call('tasks.list', { project })).toMatchObject({ ok: true });
    const lock = join(project, '.orchestrator', 'host.lock');
    expect(existsSync(lock)).toBe(true);
    void shell.command('quit').catch(() => undefined);
    const { code } = await shell.exited;
    expect(code).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });

  it('sends nothing to a closed window and keeps serving the others', { timeout: 60_000 }, async () => {
    const project = join(workDir, 'shop');
    mkdirSync(project);
    const shell = launch();
    const windowId = (await shell.next('window-loaded')).id;
    await shell.command('closeWindow', { id: windowId });
    // A second launch naming a project now needs a new window; the closed one must not be used.
    expect(await shell.command('secondInstance', { argv: [process.execPath, repoRoot, project], workingDirectory: workDir })).toBe(1);
    const snapshot = await shell.command<ShellSnapshot>('snapshot');
    expect(snapshot.windows).toHaveLength(2);
    expect(snapshot.windows[0]?.destroyed).toBe(true);
  });

  it('takes PATH and variables from the login shell when not started from a terminal', { timeout: 60_000 }, async () => {
    const home = join(workDir, 'home');
    mkdirSync(join(home, '.local', 'bin'), { recursive: true });
    writeFileSync(join(home, '.bash_profile'), 'echo "Hello from the profile"\nexport PATH="$HOME/.local/bin:$PATH"\nexport CO_FROM_LOGIN_SHELL=yes\n');
    const shell = launch([], { SHELL: '/bin/bash', HOME: home, PATH: '/usr/bin:/bin' });
    await shell.next('window-loaded');
    expect(await shell.command('env', { name: 'CO_FROM_LOGIN_SHELL' })).toBe('yes');
    expect(String(await shell.command('env', { name: 'PATH' })).split(':')[0]).toBe(join(home, '.local', 'bin'));
  });
});
