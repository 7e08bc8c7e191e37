import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { RpcClient } from '../../../src-shared/rpc/client';
import type { RunSummary } from '../../../src-shared/rpc/contract';
import { InProcessBackend } from '../../../src-main/engine/in-process-backend';
import type { AppHost } from '../../../src-main/host/app-host';
import { startWebHost, type WebHost } from '../../../src-main/host/web-host';
import { connectRpcClient } from '../../support/rpc-client';
import { createTestHost } from '../../support/test-host';

describe('run summaries, insights and lessons over the WebSocket host', () => {
  let folder: string;
  let project: string;
  let host: AppHost;
  let web: WebHost;
  let client: RpcClient;
  let socket: WebSocket;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'co-feedback-rpc-'));
    project = join(folder, 'project');
    await mkdir(project);
    // One retry, soon: the failing task fails twice, the same way.
    await writeFile(join(project, 'orchestrator_config.json'), JSON.stringify({ execution: { max_retries: 1, retry_base_delay: 0.01, retry_max_delay: 0.02 } }));
    host = createTestHost(folder, {
      backend: new InProcessBackend((input) => (input.task.title === 'Slow import' ? { error: { errorClass: 'recoverable', message: 'timed out after 60 s' } } : {})),
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

  it('a finished run pushes its summary; its failures become insights and a lesson the user can edit and delete', async () => {
    await client.invoke('tasks.create', { project, task: { title: 'Schema' } });
    const slow = await client.invoke('tasks.create', { project, task: { title: 'Slow import' } });
    expect(await client.invoke('runs.summary', { project })).toBeNull();
    const summarized = new Promise<RunSummary>((resolve) => client.subscribe('run.summarized', (event) => resolve(event.summary)));
    const run = await client.invoke('runs.start', { project });
    const pushed = await summarized;

    expect(pushed).toMatchObject({ runId: run.id, status: 'failed', completed: [{ id: '1', title: 'Schema' }], failed: [{ id: slow.id, attempts: 2 }] });
    expect(pushed.failed[0]?.reason).toContain('timed out after 60 s');
    expect(pushed.finalReview).toMatchObject({ status: 'skipped' });
    expect(pushed.text).toContain(`Failed or blocked (1):\n  ${slow.id} Slow import — timed out after 60 s`);
    expect(await client.invoke('runs.summary', { project })).toEqual(pushed);
    expect(await client.invoke('runs.summary', { project, runId: run.id })).toEqual(pushed);
    await expect(client.invoke('runs.summary', { project, runId: 'nope' })).rejects.toThrow('No run nope in this project.');
    await expect(client.invoke('runs.followUps', { project, runId: run.id, decision: 'accept' })).rejects.toThrow('proposed no follow-up tasks');

    const insights = await client.invoke('insights.get', { project });
    expect(insights.causes[0]).toMatchObject({ kind: 'error', cause: 'recoverable: timed out after N s', count: 2, tasks: [slow.id], topDetail: 'timed out after 60 s' });
    expect(insights.mostAttempts[0]).toMatchObject({ taskId: slow.id, attempts: 2, status: 'failed' });

    const [lesson] = await client.invoke('lessons.list', { project });
    expect(lesson?.text).toBe('2 earlier attempts ended with: timed out after 60 s. Keep the work focused and avoid long-running or interactive commands.');
    const edited = await client.invoke('lessons.update', { project, id: lesson?.id ?? 0, text: 'Split imports into batches of 1,000 rows.' });
    expect(edited).toMatchObject({ text: 'Split imports into batches of 1,000 rows.', edited: true });
    expect(await client.invoke('lessons.delete', { project, id: lesson?.id ?? 0 })).toEqual({ deleted: true });
    expect(await client.invoke('lessons.list', { project })).toEqual([]);
    await expect(client.invoke('lessons.update', { project, id: lesson?.id ?? 0, text: 'x' })).rejects.toThrow(/No lesson \d+/);
    await expect(client.invoke('lessons.update', { project, id: 1, text: '   ' })).rejects.toThrow('A lesson needs text.');
  });
});
