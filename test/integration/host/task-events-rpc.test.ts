import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { RpcClient } from '../../../src-shared/rpc/client';
import type { EventName, EventPayload, Task } from '../../../src-shared/rpc/contract';
import { InProcessBackend } from '../../../src-main/engine/in-process-backend';
import type { AppHost } from '../../../src-main/host/app-host';
import { startWebHost, type WebHost } from '../../../src-main/host/web-host';
import { followTaskEvents, taskKeys } from '../../../src-renderer/features/tasks/queries';
import { connectRpcClient } from '../../support/rpc-client';
import { createTestHost } from '../../support/test-host';
import { cliBuilt, coBin } from '../cli/cli-harness';

const exec = promisify(execFile);

async function git(cwd: string, ...args: string[]): Promise<void> {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' };
  await exec('git', args, { cwd, env });
}

/** Resolves with the first `count` payloads of an event a client receives. */
function received<E extends EventName>(client: RpcClient, event: E, count: number): Promise<Array<EventPayload<E>>> {
  return new Promise((resolve) => {
    const payloads: Array<EventPayload<E>> = [];
    const unsubscribe = client.subscribe(event, (payload) => {
      payloads.push(payload);
      if (payloads.length < count) return;
      unsubscribe();
      resolve(payloads);
    });
  });
}

/**
 * Two clients of one host, as two windows or browser tabs: A changes the tasks, B only
 * listens. B keeps its task list the way the renderer does (React Query with the tasks
 * feature's event handling, observed as a mounted view observes it).
 */
describe('task deletions and rollbacks reach other clients', () => {
  let folder: string;
  let project: string;
  let host: AppHost;
  let web: WebHost;
  let clientA: RpcClient;
  let clientB: RpcClient;
  let sockets: WebSocket[];
  let queryClient: QueryClient;
  let stopFollowing: () => void = () => undefined;
  let stopObserving: () => void = () => undefined;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'co-task-events-'));
    project = join(folder, 'project');
    await mkdir(project);
    await git(project, 'init', '-q', '-b', 'main');
    await writeFile(join(project, 'README.md'), '# Project\n');
    await writeFile(join(project, '.gitignore'), '.orchestrator/\n');
    await git(project, 'add', '-A');
    await git(project, 'commit', '-q', '-m', 'Initial commit');
    host = createTestHost(folder, { backend: new InProcessBackend() });
    web = await startWebHost({ server: host.server, events: host.events });
    const a = await connectRpcClient(web);
    const b = await connectRpcClient(web);
    clientA = a.client;
    clientB = b.client;
    sockets = [a.socket, b.socket];
    queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  });
  afterEach(async () => {
    stopObserving();
    stopFollowing();
    queryClient.clear();
    for (const socket of sockets) socket.close();
    await web.close();
    await host.close();
    await rm(folder, { recursive: true, force: true });
  });

  /** Client B's task list, kept current by the renderer's task event handling. */
  async function followAsClientB(): Promise<QueryObserver<ReadonlyArray<Task>>> {
    const observer = new QueryObserver<ReadonlyArray<Task>>(queryClient, { queryKey: taskKeys.list(project), queryFn: () => clientB.invoke('tasks.list', { project }) });
    stopObserving = observer.subscribe(() => undefined);
    stopFollowing = followTaskEvents(clientB, queryClient, project);
    await until(observer, (tasks) => tasks !== undefined);
    return observer;
  }

  it('a deleted task and its subtasks leave the other client’s list at once', async () => {
    const parent = await clientA.invoke('tasks.create', { project, task: { title: 'Parent' } });
    const child = await clientA.invoke('tasks.create', { project, task: { title: 'Child', parentId: parent.id } });
    const other = await clientA.invoke('tasks.create', { project, task: { title: 'Other' } });
    const observer = await followAsClientB();
    expect(ids(observer)).toEqual([parent.id, child.id, other.id]);

    const removed = received(clientB, 'task.removed', 2);
    await clientA.invoke('tasks.delete', { project, id: parent.id });
    expect((await removed).map((event) => [event.project, event.taskId])).toEqual([
      [project, parent.id],
      [project, child.id],
    ]);
    // Patched from the events themselves, before any refetch.
    expect(ids(observer)).toEqual([other.id]);
    expect((await clientB.invoke('tasks.list', { project })).map((task) => task.id)).toEqual([other.id]);
  });

  it('a rollback by one client makes the other reload its tasks', async () => {
    const alpha = await clientA.invoke('tasks.create', { project, task: { title: 'Alpha' } });
    const checkpoint = await clientA.invoke('checkpoints.create', { project, description: 'Only Alpha' });
    const beta = await clientA.invoke('tasks.create', { project, task: { title: 'Beta' } });
    await clientA.invoke('tasks.setStatus', { project, id: alpha.id, status: 'deferred' });
    const observer = await followAsClientB();
    await until(observer, (tasks) => titlesAndStatuses(tasks).join() === 'Alpha:deferred,Beta:ready');

    const reset = received(clientB, 'tasks.reset', 1);
    await clientA.invoke('checkpoints.rollback', { project, id: checkpoint.id, strategy: 'FULL' });
    expect(await reset).toEqual([{ project, reason: 'rollback' }]);
    // Beta did not exist at the checkpoint and Alpha was ready: no task event said so, the reset did.
    await until(observer, (tasks) => titlesAndStatuses(tasks).join() === 'Alpha:ready');
    expect(ids(observer)).not.toContain(beta.id);
  });

  it('a task another process adds (`co add` in a terminal) reaches the client’s list without a reload', { timeout: 60_000 }, async () => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    await clientA.invoke('tasks.create', { project, task: { title: 'From the app' } });
    const observer = await followAsClientB();
    expect(titlesAndStatuses(observer.getCurrentResult().data)).toEqual(['From the app:ready']);

    const reset = received(clientB, 'tasks.reset', 1);
    await exec(process.execPath, [coBin, 'add', 'From the terminal'], { cwd: project, env: { ...process.env, CO_USER_DATA: join(folder, 'cli-user-data'), NO_COLOR: '1' } });
    expect(await reset).toEqual([{ project, reason: 'external' }]);
    await until(observer, (tasks) => titlesAndStatuses(tasks).join() === 'From the app:ready,From the terminal:ready');
    // The host's own writes raise no such reset: only task events.
    let resets = 0;
    const unsubscribe = clientB.subscribe('tasks.reset', () => (resets += 1));
    await clientA.invoke('tasks.create', { project, task: { title: 'From the app again' } });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    unsubscribe();
    expect(resets).toBe(0);
  });
});

function ids(observer: QueryObserver<ReadonlyArray<Task>>): string[] {
  return (observer.getCurrentResult().data ?? []).map((task) => task.id);
}

function titlesAndStatuses(tasks: ReadonlyArray<Task> | undefined): string[] {
  return (tasks ?? []).map((task) => `${task.title}:${task.status}`);
}

/** Resolves once the observed list satisfies `predicate` (it is re-checked on every cache update). */
function until(observer: QueryObserver<ReadonlyArray<Task>>, predicate: (tasks: ReadonlyArray<Task> | undefined) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate(observer.getCurrentResult().data)) return resolve();
    const unsubscribe = observer.subscribe((result) => {
      if (!predicate(result.data)) return;
      unsubscribe();
      resolve();
    });
  });
}
