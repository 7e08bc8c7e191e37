import { mkdir, mkdtemp, rm } from 'node:fs/promises';
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
import { startFakeAnthropic, textReply, toolUseReply, type FakeAnthropic } from '../../support/fake-anthropic';

/** One task as the model writes it in a parse_prd call. */
function modelTask(id: number, title: string, dependencies: number[], priority: 'high' | 'medium' | 'low' = 'medium') {
  return {
    id,
    title,
    description: `${title}, as the PRD asks.`,
    details: `Implement ${title.toLowerCase()}.`,
    acceptance_criteria: [`${title} works`],
    test_strategy: 'Unit tests.',
    priority,
    dependencies,
  };
}

const PLAN_REPLY = toolUseReply('parse_prd', {
  tasks: [modelTask(1, 'Schema', [], 'high'), modelTask(2, 'API', [1]), modelTask(3, 'UI', [2], 'low')],
});

/** A host over a real WebSocket whose projects use the fake Anthropic server (or no key at all). */
async function startHost(folder: string, env: Readonly<Record<string, string>>): Promise<{ host: AppHost; web: WebHost; client: RpcClient; socket: WebSocket }> {
  const host = createAppHost({
    userDataDir: join(folder, 'user-data'),
    version: 'test',
    openRuntime: (options) =>
      openProjectRuntime({ ...options, env, secretStore: null, backend: new InProcessBackend((input) => ({ output: `built ${input.task.title}` })) }),
  });
  const web = await startWebHost({ server: host.server, events: host.events });
  return { host, web, ...(await connectRpcClient(web)) };
}

describe('planning methods over the WebSocket host', () => {
  let folder: string;
  let project: string;
  let fake: FakeAnthropic;
  let host: AppHost;
  let web: WebHost;
  let client: RpcClient;
  let socket: WebSocket;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'co-planning-rpc-'));
    project = join(folder, 'project');
    await mkdir(project);
    fake = await startFakeAnthropic({ validApiKeys: ['sk-ant-test'] });
    ({ host, web, client, socket } = await startHost(folder, { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: 'sk-ant-test' }));
  });
  afterEach(async () => {
    socket.close();
    await web.close();
    await host.close();
    await fake.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('plans a PRD into a preview whose ids follow the existing tasks, and accepts it', async () => {
    await client.invoke('tasks.create', { project, task: { title: 'Existing one' } });
    await client.invoke('tasks.create', { project, task: { title: 'Existing two' } });
    fake.enqueue(PLAN_REPLY);

    const plan = await client.invoke('prd.plan', { project, text: '# Shop\n\nA schema, an API and a UI.' });
    expect(plan.tasks.map((task) => [task.id, task.title, task.dependencies, task.priority])).toEqual([
      ['3', 'Schema', [], 'high'],
      ['4', 'API', ['3'], 'medium'],
      ['5', 'UI', ['4'], 'low'],
    ]);
    expect(plan.costUsd).toBeGreaterThan(0);
    expect(fake.messageRequests()[0]?.body).toMatchObject({ tool_choice: { name: 'parse_prd' } });
    // A preview only: nothing is stored until accepted.
    expect(await client.invoke('tasks.list', { project })).toHaveLength(2);

    const edited = plan.tasks.map((task) => (task.id === '5' ? { ...task, title: 'Web UI', dependencies: ['3', '4'] } : task));
    const { ids } = await client.invoke('prd.accept', { project, tasks: edited });
    expect(ids).toEqual(['3', '4', '5']);
    const stored = await client.invoke('tasks.list', { project });
    expect(stored.map((task) => [task.id, task.title, [...task.dependencies].sort()])).toEqual([
      ['1', 'Existing one', []],
      ['2', 'Existing two', []],
      ['3', 'Schema', []],
      ['4', 'API', ['3']],
      ['5', 'Web UI', ['3', '4']],
    ]);
    expect(stored[2]?.acceptanceCriteria).toEqual(['Schema works']);
  });

  it('refuses a graph with a cycle the user made, storing nothing', async () => {
    fake.enqueue(PLAN_REPLY);
    const plan = await client.invoke('prd.plan', { project, text: 'Schema, API, UI.' });
    const cyclic = plan.tasks.map((task) => (task.id === '1' ? { ...task, dependencies: ['3'] } : task));

    const failure = await client.invoke('prd.accept', { project, tasks: cyclic }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/cycle/i) });
    expect(await client.invoke('tasks.list', { project })).toEqual([]);
  });

  it('reports a manager that does not call the planning tool as a clear failure', async () => {
    fake.enqueue(textReply('I would rather not.'), textReply('Still no.'), textReply('No.'));
    const failure = await client.invoke('prd.plan', { project, text: 'Schema, API, UI.' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'failed_precondition', message: expect.stringMatching(/^The manager could not plan this PRD: /) });
  });

  it('with neither an API key nor a Claude Code login, says both ways to fix it and sends nothing', async () => {
    socket.close();
    await web.close();
    await host.close();
    ({ host, web, client, socket } = await startHost(folder, {}));

    const failure = await client.invoke('prd.plan', { project, text: 'Schema, API, UI.' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'failed_precondition', message: expect.stringMatching(/Claude Code is not signed in and no Anthropic API key is set.*sign in to Claude Code.*ANTHROPIC_API_KEY/) });
    expect(fake.messageRequests()).toHaveLength(0);
  });
});
