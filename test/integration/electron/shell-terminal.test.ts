import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../../src-main/electron/channels';
import { Store } from '../../../src-main/store/store';
import { git, makeRepo } from '../workspace/git-fixtures';
import { launchWithStandIn, repoRoot, type ShellSnapshot, type StandInProcess } from './shell-harness';

type CallResult = { readonly ok: true; readonly output: unknown } | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };

/**
 * The terminal over the desktop shell's IPC (stand-in Electron, the built main bundle): the same
 * contract as `co serve`'s WebSocket, its output pushed to the window on the event channel.
 */
describe('a terminal over Electron IPC (stand-in Electron)', () => {
  let workDir: string;
  let shell: StandInProcess;
  let windowId: number;
  const page = pathToFileURL(join(repoRoot, 'dist', 'renderer', 'index.html')).href;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'co-shell-terminal-'));
    shell = launchWithStandIn({ env: { CO_USER_DATA: join(workDir, 'user-data'), STAND_IN_APP_PATH: repoRoot } });
    windowId = (await shell.next('window-loaded')).id ?? -1;
  }, 60_000);

  afterAll(() => {
    shell.kill();
    rmSync(workDir, { recursive: true, force: true });
  });

  const invoke = (method: string, input: unknown): Promise<CallResult> => shell.command<CallResult>('invoke', { channel: INVOKE_CHANNEL, url: page, subframe: false, senderId: windowId, args: [method, input] });

  /** Events the window received so far, as [event, payload]. */
  const windowEvents = async (): Promise<ReadonlyArray<readonly [string, Record<string, unknown>]>> => {
    const snapshot = await shell.command<ShellSnapshot>('snapshot');
    const sent = snapshot.windows.find((window) => window.id === windowId)?.sent ?? [];
    return sent.filter((message) => message[0] === EVENT_CHANNEL).map((message) => [String(message[1]), message[2] as Record<string, unknown>] as const);
  };

  it('opens a shell on an attempt, streams its output to the window, takes input and closes', { timeout: 120_000 }, async () => {
    const repo = await makeRepo({ 'README.md': '# project\n' });
    try {
      const opened = await invoke('projects.open', { path: repo.dir });
      expect(opened.ok).toBe(true);
      const project = (opened as { output: { path: string } }).output.path;
      const base = git(repo.dir, 'rev-parse', 'HEAD').trim();
      const store = Store.open(join(repo.dir, '.orchestrator', 'state.db'));
      store.write(() => {
        store.tasks.insert({ id: '1', parentId: null, title: 'By hand', description: '', details: '', testStrategy: '', acceptanceCriteria: [], priority: 'high', status: 'done', contextFiles: [], hints: [], sourceRef: null }, 1);
        store.attempts.insert({ id: 'attempt-1', taskId: '1', runId: null, number: 1, backend: 'claude-cli', workerOwner: 'worker' }, 2);
        store.attempts.setWorkspace('attempt-1', { commitBefore: base, workCommit: base });
        store.attempts.finish('attempt-1', { status: 'succeeded' }, 3);
      });
      store.close();

      const open = await invoke('terminal.open', { project, attemptId: 'attempt-1', kind: 'shell', cols: 80, rows: 24 });
      expect(open).toMatchObject({ ok: true, output: { taskId: '1', kind: 'shell' } });
      const sessionId = (open as { output: { id: string } }).output.id;
      expect(await invoke('terminal.write', { project, sessionId, data: 'echo via-ipc-$((6 * 7))\n' })).toMatchObject({ ok: true, output: { written: true } });
      await expect
        .poll(async () => (await windowEvents()).filter(([event, payload]) => event === 'terminal.output' && payload['sessionId'] === sessionId).map(([, payload]) => String(payload['data'])).join(''), { timeout: 20_000 })
        .toContain('via-ipc-42');

      // An open terminal keeps its project open, as a run does.
      expect(await invoke('projects.close', { project })).toMatchObject({ ok: true, output: { closed: false } });
      const closed = await invoke('terminal.close', { project, sessionId, decision: 'discard' });
      expect(closed).toMatchObject({ ok: true, output: { outcome: 'discarded' } });
      expect((await windowEvents()).some(([event, payload]) => event === 'terminal.closed' && payload['sessionId'] === sessionId)).toBe(true);
      expect(await invoke('terminal.write', { project, sessionId, data: 'x' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await invoke('projects.close', { project })).toMatchObject({ ok: true, output: { closed: true } });
    } finally {
      await repo.cleanup();
    }
  });
});
