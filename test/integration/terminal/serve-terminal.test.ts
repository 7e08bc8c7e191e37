import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src-main/store/store';
import { connectRpcClient } from '../../support/rpc-client';
import { startServeProcess, type ServeProcess } from '../../support/serve-process';
import { git, makeRepo } from '../workspace/git-fixtures';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('terminals of `co serve` (the built CLI as a child process)', () => {
  it('a shell opened over the token-guarded WebSocket streams its output, and SIGTERM to co serve ends it with its processes', { timeout: 120_000 }, async () => {
    const repo = await makeRepo({ 'README.md': '# project\n' });
    cleanups.push(repo.cleanup);
    const serve: ServeProcess = await startServeProcess({ SHELL: '/bin/sh' });
    cleanups.push(() => serve.stop());
    const { client, socket } = await connectRpcClient({ port: Number(new URL(serve.url).port), token: serve.token });
    cleanups.push(async () => socket.close());

    const project = (await client.invoke('projects.open', { path: repo.dir })).path;
    const base = git(repo.dir, 'rev-parse', 'HEAD').trim();
    const store = Store.open(join(repo.dir, '.orchestrator', 'state.db'));
    store.write(() => {
      store.tasks.insert({ id: '1', parentId: null, title: 'By hand', description: '', details: '', testStrategy: '', acceptanceCriteria: [], priority: 'high', status: 'done', contextFiles: [], hints: [], sourceRef: null }, 1);
      store.attempts.insert({ id: 'attempt-1', taskId: '1', runId: null, number: 1, backend: 'claude-cli', workerOwner: 'worker' }, 2);
      store.attempts.setWorkspace('attempt-1', { commitBefore: base, workCommit: base });
      store.attempts.finish('attempt-1', { status: 'succeeded' }, 3);
    });
    store.close();

    const session = await client.invoke('terminal.open', { project, attemptId: 'attempt-1', kind: 'shell', cols: 80, rows: 24 });
    let output = '';
    const background = new Promise<number>((resolve) => {
      client.subscribe('terminal.output', (event) => {
        if (event.sessionId !== session.id) return;
        output += event.data;
        const match = /bg=(\d+)/.exec(output);
        if (match !== null) resolve(Number(match[1]));
      });
    });
    await client.invoke('terminal.write', { project, sessionId: session.id, data: 'sleep 300 & echo bg=$!\n' });
    const pid = await background;
    expect(isAlive(pid)).toBe(true);
    expect((await client.invoke('terminal.list', { project })).map((each) => each.id)).toEqual([session.id]);

    // co serve exits within its 5 s on SIGTERM, and takes the terminal's processes with it.
    const exited = new Promise<number | null>((resolve) => serve.child.once('exit', (code) => resolve(code)));
    serve.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect.poll(() => isAlive(pid), { timeout: 5_000 }).toBe(false);
    // The slot was given back.
    expect(existsSync(join(repo.dir, '.orchestrator', 'pool', 'slot-1.lock'))).toBe(false);
  });
});
