import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { RpcClient } from '../../../src-shared/rpc/client';
import { InProcessBackend } from '../../../src-main/engine/in-process-backend';
import type { AppHost } from '../../../src-main/host/app-host';
import { startWebHost, type WebHost } from '../../../src-main/host/web-host';
import { connectRpcClient } from '../../support/rpc-client';
import { createTestHost } from '../../support/test-host';

describe('discoveries over the WebSocket host', () => {
  let folder: string;
  let project: string;
  let host: AppHost;
  let web: WebHost;
  let client: RpcClient;
  let socket: WebSocket;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'co-discoveries-rpc-'));
    project = join(folder, 'project');
    await mkdir(project);
    host = createTestHost(folder, {
      backend: new InProcessBackend((input) =>
        input.task.title === 'Schema'
          ? { discoveries: [{ summary: 'Dates are stored as UTC strings', details: 'See db/schema.sql.', tags: ['db'], files: ['db/schema.sql'] }] }
          : {},
      ),
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

  it('a worker’s discovery is pushed as it is made and listed per task and per project', async () => {
    const schema = await client.invoke('tasks.create', { project, task: { title: 'Schema' } });
    const api = await client.invoke('tasks.create', { project, task: { title: 'API', dependencies: [schema.id] } });
    const pushed: string[] = [];
    client.subscribe('discovery', (event) => pushed.push(`${event.project}:${event.discovery.taskId ?? ''}:${event.discovery.summary}`));
    const finished = new Promise<void>((resolve) => client.subscribe('run.finished', () => resolve()));
    await client.invoke('runs.start', { project });
    await finished;

    expect(pushed).toEqual([`${project}:${schema.id}:Dates are stored as UTC strings`]);
    const forSchema = await client.invoke('discoveries.list', { project, taskId: schema.id });
    expect(forSchema).toEqual([
      expect.objectContaining({ taskId: schema.id, summary: 'Dates are stored as UTC strings', details: 'See db/schema.sql.', tags: ['db'], files: ['db/schema.sql'] }),
    ]);
    expect(await client.invoke('discoveries.list', { project, taskId: api.id })).toEqual([]);
    expect((await client.invoke('discoveries.list', { project })).map((discovery) => discovery.summary)).toEqual(['Dates are stored as UTC strings']);
    await expect(client.invoke('discoveries.list', { project, taskId: '99' })).rejects.toThrow(/99/);
  });
});
