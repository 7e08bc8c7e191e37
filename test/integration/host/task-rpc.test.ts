import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { RpcClient } from '../../../src-shared/rpc/client';
import { InProcessBackend } from '../../../src-main/engine/in-process-backend';
import { createAppHost, type AppHost } from '../../../src-main/host/app-host';
import { startWebHost, type WebHost } from '../../../src-main/host/web-host';
import { connectRpcClient } from '../../support/rpc-client';
import { openProjectRuntime } from '../../../src-main/runtime/project-runtime';

describe('task and run methods over the WebSocket host', () => {
  let folder: string;
  let project: string;
  let host: AppHost;
  let web: WebHost;
  let client: RpcClient;
  let socket: WebSocket;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'co-task-rpc-'));
    project = join(folder, 'project');
    await import('node:fs/promises').then((fs) => fs.mkdir(project));
    host = createAppHost({
      userDataDir: join(folder, 'user-data'),
      version: 'test',
      openRuntime: (options) =>
        openProjectRuntime({ ...options, env: {}, backend: new InProcessBackend((input) => ({ output: `built ${input.task.title}`, logs: [`working on ${input.task.id}`] })) }),
    });
    web = await startWebHost({ server: host.server, events: host.events });
    ({ client, socket } = await connectRpcClient(web));
  });
  afterEach(async () => {
    socket.close();
    await web.close();
    await host.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('creates tasks with dependencies, runs them to done, and streams events and logs', async () => {
    const first = await client.invoke('tasks.create', { project, task: { title: 'Schema', priority: 'high' } });
    const second = await client.invoke('tasks.create', { project, task: { title: 'API', dependencies: [first.id] } });
    expect(second.status).toBe('pending');
    expect((await client.invoke('tasks.next', { project }))?.id).toBe(first.id);

    const changes: string[] = [];
    client.subscribe('task.changed', (event) => changes.push(`${event.taskId}:${event.status}`));
    const finished = new Promise<{ status: string }>((resolve) => client.subscribe('run.finished', (event) => resolve(event.run)));
    const run = await client.invoke('runs.start', { project });
    expect(run.status).toBe('running');
    expect((await finished).status).toBe('succeeded');

    const tasks = await client.invoke('tasks.list', { project });
    expect(tasks.map((task) => [task.title, task.status])).toEqual([
      ['Schema', 'done'],
      ['API', 'done'],
    ]);
    expect(changes.indexOf(`${first.id}:done`)).toBeLessThan(changes.indexOf(`${second.id}:in_progress`));

    const attempts = await client.invoke('attempts.list', { project, id: second.id });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.status).toBe('succeeded');
    const logs = await client.invoke('attempts.logs', { project, attemptId: attempts[0]?.id ?? '' });
    expect(logs.map((event) => event.text)).toContain(`working on ${second.id}`);
    const status = await client.invoke('runs.status', { project });
    expect(status.counts.done).toBe(2);
    expect(status.running).toBe(false);
  });

  it('refuses bad task input with clear errors and changes nothing', async () => {
    const task = await client.invoke('tasks.create', { project, task: { title: 'Only' } });
    await expect(client.invoke('tasks.create', { project, task: { title: 'Loop', dependencies: ['99'] } })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(client.invoke('tasks.update', { project, id: task.id, patch: { dependencies: [task.id] } })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(client.invoke('tasks.get', { project, id: '42' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(client.invoke('tasks.setStatus', { project, id: task.id, status: 'finished' as never })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('status') as unknown as string,
    });
    await expect(client.invoke('tasks.create', { project, task: { title: 'P', priority: 11 } })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(client.invoke('tasks.list', { project: join(folder, 'nowhere') })).rejects.toMatchObject({ code: 'not_found' });
    expect((await client.invoke('tasks.list', { project })).map((t) => [t.id, t.title, t.dependencies])).toEqual([[task.id, 'Only', []]]);
  });

  it('refuses to delete a task others depend on unless forced', async () => {
    const base = await client.invoke('tasks.create', { project, task: { title: 'Base' } });
    await client.invoke('tasks.create', { project, task: { title: 'Top', dependencies: [base.id] } });
    await expect(client.invoke('tasks.delete', { project, id: base.id })).rejects.toThrow(/depend/);
    expect(await client.invoke('tasks.list', { project })).toHaveLength(2);
    await expect(client.invoke('tasks.delete', { project, id: base.id, force: true })).resolves.toEqual({ deleted: true });
  });
});
