import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { RpcClient } from '../../../src-shared/rpc/client';
import { EventHub } from '../../../src-shared/rpc/event-hub';
import { RpcServer, type Handlers } from '../../../src-shared/rpc/server';
import { InProcessBackend } from '../../../src-main/engine/in-process-backend';
import { createAppHost } from '../../../src-main/host/app-host';
import { settingsHandlers } from '../../../src-main/host/handlers/settings-handlers';
import { setupChecksForApp } from '../../../src-main/host/handlers/setup-checks';
import { ProjectSessions } from '../../../src-main/host/project-sessions';
import { startWebHost, type WebHost } from '../../../src-main/host/web-host';
import { connectRpcClient } from '../../support/rpc-client';
import { openProjectRuntime } from '../../../src-main/runtime/project-runtime';
import { SecretStore, type KeychainBackend } from '../../../src-main/workspace/secret-store';
import { setupCheckSchema } from '../../../src-shared/rpc/schemas/workspace';

const API_KEY = `sk-ant-api03-${'A1b2C3d4E5'.repeat(8)}-settingsTESTkeyAA`;
const WEBHOOK = 'https://hooks.slack.com/services/T000TEST/B000TEST/settingsRpcSecretPath1234';
/** A keychain that fails every call the way keytar does without a Secret Service. */
const NO_SECRET_SERVICE: KeychainBackend = {
  getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY\n    at Object.getPassword (keytar.js:1:1)')),
  setPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
  deletePassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
};

describe('usage, config, secrets and setup methods over the WebSocket host', () => {
  let folder: string;
  let project: string;
  let sessions: ProjectSessions;
  let web: WebHost;
  let client: RpcClient;
  let socket: WebSocket;
  const saved: string[] = [];

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'co-settings-rpc-'));
    project = join(folder, 'project');
    await mkdir(project);
    const events = new EventHub();
    sessions = new ProjectSessions(events, (options) =>
      openProjectRuntime({ ...options, env: {}, secretStore: null, backend: new InProcessBackend((input) => ({ output: `built ${input.task.title}` })) }),
    );
    // A private keychain account per test: no clash with the user's keys or other test files.
    const accountPrefix = `settings-rpc-${randomBytes(6).toString('hex')}-`;
    const handlers = settingsHandlers(sessions, {
      secretStore: () => new SecretStore({ accountPrefix }),
      env: { PATH: process.env['PATH'] },
      afterConfigSaved: (dir) => {
        saved.push(dir);
      },
    });
    // Only the settings methods are served by this host; the rest of the contract is covered elsewhere.
    const server = new RpcServer(handlers as Partial<Handlers> as Handlers);
    web = await startWebHost({ server, events });
    ({ client, socket } = await connectRpcClient(web));
  });
  afterEach(async () => {
    socket.close();
    await web.close();
    await sessions.closeAll();
    await rm(folder, { recursive: true, force: true });
    saved.length = 0;
  });

  it('sums usage per task, run and model after a run', async () => {
    const empty = await client.invoke('usage.summary', { project });
    expect(empty).toEqual({ total: { usage: { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 }, costUsd: 0, estimated: false, unpriced: false }, byTask: [], byRun: [], byModel: [] });

    const runtime = await sessions.get(project);
    const [schema, api] = runtime.orchestrator.addTasksBatch([{ title: 'Schema' }, { title: 'API' }]);
    const run = await runtime.run();
    expect(run.status).toBe('succeeded');
    const usage = (input: number, output: number) => ({ inputTokens: input, outputTokens: output, cacheCreationInputTokens: 0, cacheReadInputTokens: 10 });
    const store = runtime.orchestrator.store;
    store.write(() => {
      store.usage.insert({ source: 'worker', runId: run.id, taskId: schema ?? null, attemptId: null, model: 'claude-sonnet-4-6', usage: usage(100, 50), costUsd: 0.5 }, 1);
      store.usage.insert({ source: 'worker', runId: run.id, taskId: api ?? null, attemptId: null, model: 'claude-sonnet-4-6', usage: usage(200, 20), costUsd: 0.25 }, 2);
      store.usage.insert({ source: 'manager', runId: run.id, taskId: null, attemptId: null, model: 'claude-opus-4-6', usage: usage(1000, 300), costUsd: 2 }, 3);
      store.usage.insert({ source: 'manager', runId: run.id, taskId: null, attemptId: null, model: 'a-model-without-a-price', usage: usage(5, 5), costUsd: 0, costKind: 'unpriced' }, 4);
    });

    const summary = await client.invoke('usage.summary', { project });
    expect(summary.total.costUsd).toBeCloseTo(2.75);
    expect(summary.total.usage).toEqual({ inputTokens: 1305, outputTokens: 375, cacheCreationInputTokens: 0, cacheReadInputTokens: 40 });
    expect(summary.byTask.map((line) => [line.taskId, line.title, line.costUsd])).toEqual([
      [schema, 'Schema', 0.5],
      [api, 'API', 0.25],
    ]);
    expect(summary.byRun).toEqual([expect.objectContaining({ runId: run.id, status: 'succeeded', startedAt: run.startedAt })]);
    expect(summary.byRun[0]?.costUsd).toBeCloseTo(2.75);
    expect(summary.byModel.map((line) => [line.model, line.usage.inputTokens, line.unpriced])).toEqual([
      ['claude-opus-4-6', 1000, false],
      ['claude-sonnet-4-6', 300, false],
      ['a-model-without-a-price', 5, true],
    ]);
    // Usage without a price is marked, never counted as $0 silently; these figures are billed, not estimated.
    expect(summary.total).toMatchObject({ unpriced: true, estimated: false });
  });

  it('writes a valid config, reads it back with defaults, and drops unknown keys', async () => {
    const before = await client.invoke('config.get', { project });
    expect(before.exists).toBe(false);
    expect(before.config).toMatchObject({ execution: { max_workers: 4 } });

    const config = structuredClone(before.config) as { execution: Record<string, unknown>; claude_cli: Record<string, unknown> } & Record<string, unknown>;
    config.execution['max_workers'] = 7;
    config.claude_cli['permission_mode'] = 'plan';
    config['surprise'] = { keep: 'out' };
    const updated = await client.invoke('config.update', { project, config });
    expect(updated.file).toBe(join(await realProject(project), 'orchestrator_config.json'));
    expect(saved).toEqual([await realProject(project)]);

    const onDisk = JSON.parse(await readFile(updated.file, 'utf8')) as Record<string, unknown>;
    expect(onDisk).toMatchObject({ execution: { max_workers: 7 }, claude_cli: { permission_mode: 'plan' } });
    expect(onDisk).not.toHaveProperty('surprise');
    const after = await client.invoke('config.get', { project });
    expect(after.exists).toBe(true);
    expect(after.config).toMatchObject({ execution: { max_workers: 7, task_timeout: 1800 }, claude_cli: { permission_mode: 'plan' }, models: { worker: 'claude-sonnet-4-6' } });
  });

  it('refuses invalid values naming the key and leaves the file unchanged', async () => {
    const file = join(project, 'orchestrator_config.json');
    const original = '{ "execution": { "max_workers": 2 } }\n';
    await writeFile(file, original);

    await expect(client.invoke('config.update', { project, config: { execution: { max_workers: 0 } } })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('execution.max_workers') as unknown as string,
      issues: [expect.objectContaining({ path: 'execution.max_workers' })],
    });
    await expect(client.invoke('config.update', { project, config: { claude_cli: { permission_mode: 'yolo' } } })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('claude_cli.permission_mode') as unknown as string,
    });
    await expect(client.invoke('config.update', { project, config: { notifications: { slack_webhook_url: WEBHOOK } } })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('keychain') as unknown as string,
    });
    expect(await readFile(file, 'utf8')).toBe(original);
    expect(saved).toEqual([]);
    expect((await client.invoke('config.get', { project })).config).toMatchObject({ execution: { max_workers: 2 } });
  });

  it('proposes checks from the project files, writing nothing; saved checks round-trip through config.update', async () => {
    await writeFile(join(project, 'package.json'), JSON.stringify({ scripts: { test: 'vitest run', typecheck: 'tsc' } }));
    await writeFile(join(project, 'pnpm-lock.yaml'), 'lockfileVersion: 9\n');
    const proposals = await client.invoke('checks.propose', { project });
    expect(proposals).toEqual({
      setup: [{ value: 'pnpm install --frozen-lockfile', source: 'pnpm-lock.yaml (pnpm)' }],
      verify: [
        { value: 'pnpm run typecheck', source: 'package.json script "typecheck" (pnpm, pnpm-lock.yaml)' },
        { value: 'pnpm test', source: 'package.json script "test" (pnpm, pnpm-lock.yaml)' },
      ],
      copy: [],
      notes: [],
    });
    expect((await client.invoke('config.get', { project })).exists).toBe(false);

    const config = structuredClone((await client.invoke('config.get', { project })).config) as Record<string, Record<string, unknown>>;
    config['checks'] = { ...config['checks'], verify: ['pnpm test'], copy: ['.env'], verify_on_merge: 'batch' };
    await client.invoke('config.update', { project, config });
    expect((await client.invoke('config.get', { project })).config['checks']).toMatchObject({ verify: ['pnpm test'], copy: ['.env'], verify_on_merge: 'batch', timeout: 900 });
    await expect(client.invoke('config.update', { project, config: { checks: { copy: ['../outside'] } } })).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [expect.objectContaining({ path: 'checks.copy.0', message: expect.stringContaining('inside the project') as unknown as string })],
    });
    await expect(client.invoke('checks.propose', { project: join(folder, 'missing') })).rejects.toMatchObject({ message: expect.stringContaining('missing') as unknown as string });
  });

  it('keeps a webhook written in the file by hand out of config.get and reports it masked', async () => {
    await writeFile(join(project, 'orchestrator_config.json'), JSON.stringify({ notifications: { slack_webhook_url: WEBHOOK } }));
    const got = await client.invoke('config.get', { project });
    expect(JSON.stringify(got)).not.toContain('settingsRpcSecretPath');
    const status = await client.invoke('secrets.status', { project });
    expect(status.slackWebhook.source).toBe('config');
    expect(status.slackWebhook.masked).toMatch(/^https:\/\/hooks\.slack\.com\/\*\*\*/);
    expect(JSON.stringify(status)).not.toContain('settingsRpcSecretPath');
  });

  it('stores, reports and deletes keys in the keychain without ever returning them', async (context) => {
    const status = await client.invoke('secrets.status', { project });
    if (!status.keychainAvailable) {
      expect(status.keychainMessage).toContain('ANTHROPIC_API_KEY');
      await expect(client.invoke('secrets.set', { name: 'anthropic-api-key', value: API_KEY })).rejects.toMatchObject({ code: 'failed_precondition' });
      context.skip('no Secret Service: run inside scripts/with-keyring.sh');
      return;
    }
    expect(status.apiKey).toEqual({ source: 'none', masked: null });

    await expect(client.invoke('secrets.set', { name: 'anthropic-api-key', value: 'not-a-key' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(client.invoke('secrets.set', { name: 'anthropic-api-key', value: API_KEY })).resolves.toEqual({ stored: true });
    await expect(client.invoke('secrets.set', { name: 'slack-webhook-url', value: WEBHOOK })).resolves.toEqual({ stored: true });

    const stored = await client.invoke('secrets.status', { project });
    expect(stored.apiKey.source).toBe('keychain');
    expect(stored.apiKey.masked).toMatch(/^sk-ant-api03-\*\*\*/);
    expect(stored.slackWebhook.source).toBe('keychain');
    const text = JSON.stringify(stored);
    expect(text).not.toContain(API_KEY.slice(14, 40));
    expect(text).not.toContain('settingsRpcSecretPath');

    const checks = await client.invoke('setup.check', { project });
    expect(checks.find((check) => check.name === 'API key')).toMatchObject({ ok: true, detail: expect.stringContaining('keychain') as unknown as string });
    expect(JSON.stringify(checks)).not.toContain(API_KEY.slice(14, 40));

    await expect(client.invoke('secrets.delete', { name: 'anthropic-api-key' })).resolves.toEqual({ deleted: true });
    await expect(client.invoke('secrets.delete', { name: 'slack-webhook-url' })).resolves.toEqual({ deleted: true });
    await expect(client.invoke('secrets.delete', { name: 'anthropic-api-key' })).resolves.toEqual({ deleted: false });
    expect((await client.invoke('secrets.status', { project })).apiKey).toEqual({ source: 'none', masked: null });
  });

  it('lists the first-run checks, each with a fix when it fails', async () => {
    const checks = await client.invoke('setup.check', { project });
    expect(checks.map((check) => check.name)).toEqual(['Node.js', 'git', 'claude CLI', 'project', 'config', 'API key', 'keychain']);
    expect(checks[0]?.ok).toBe(true);
    const folder = checks.find((check) => check.name === 'project');
    expect(folder).toMatchObject({ ok: false, detail: expect.stringContaining('not a git repository') as unknown as string, fix: expect.stringContaining('git init') as unknown as string });
    expect(checks.find((check) => check.name === 'API key')).toMatchObject({ ok: false, fix: expect.stringContaining('ANTHROPIC_API_KEY') as unknown as string });
    for (const check of checks) expect(check.ok || (check.fix ?? '').length > 0).toBe(true);
    expect((await client.invoke('setup.check', {})).map((check) => check.name)).toEqual(['Node.js', 'git', 'claude CLI', 'API key', 'keychain']);
  });
});

describe('setup.check without a Secret Service', () => {
  it('says the keychain is unavailable, with its fix, and no stack trace', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'co-setup-nokeychain-'));
    const project = join(folder, 'project');
    await mkdir(project);
    const sessions = new ProjectSessions(new EventHub(), (options) => openProjectRuntime({ ...options, env: {}, secretStore: null }));
    try {
      const server = new RpcServer(settingsHandlers(sessions, { secretStore: () => new SecretStore({ backend: NO_SECRET_SERVICE }), env: { PATH: process.env['PATH'] } }) as Partial<Handlers> as Handlers);
      const result = await server.call('setup.check', { project }, { transport: 'in-process' });
      if (!result.ok) throw new Error(result.error.message);
      // The server has already checked the output against the contract.
      const checks = setupCheckSchema.array().parse(result.output);
      expect(checks.find((check) => check.name === 'keychain')).toMatchObject({ ok: false, fix: expect.stringMatching(/^Start a Secret Service .*ANTHROPIC_API_KEY/) as unknown as string });
      expect(checks.find((check) => check.name === 'API key')).toMatchObject({
        ok: false,
        detail: expect.stringContaining('the OS keychain is not available') as unknown as string,
        fix: expect.stringContaining('ANTHROPIC_API_KEY') as unknown as string,
      });
      expect(JSON.stringify(checks)).not.toMatch(/\n|\bat .*keytar/);
    } finally {
      await sessions.closeAll();
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('setupChecksForApp: the shared checks in the shape of the contract', () => {
  let folder: string;
  let project: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'co-setup-app-'));
    project = join(folder, 'project');
    await mkdir(project);
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('lists the same checks as `co check`, each valid for setupCheckSchema, with a fix when it fails', async () => {
    const store = new SecretStore({ backend: NO_SECRET_SERVICE });
    const checks = await setupChecksForApp({ projectDir: project, env: { PATH: process.env['PATH'] }, secretStore: store });
    expect(setupCheckSchema.array().parse(checks)).toEqual(checks);
    expect(checks.map((check) => check.name)).toEqual(['Node.js', 'git', 'claude CLI', 'project', 'config', 'API key', 'keychain']);
    expect(checks.find((check) => check.name === 'project')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('not a git repository') as unknown as string,
      fix: expect.stringContaining('git init') as unknown as string,
    });
    for (const check of checks) expect(check.ok ? check.fix === null : (check.fix ?? '').length > 0).toBe(true);
    const machineOnly = await setupChecksForApp({ env: { PATH: process.env['PATH'] }, secretStore: store });
    expect(machineOnly.map((check) => check.name)).toEqual(['Node.js', 'git', 'claude CLI', 'API key', 'keychain']);
  });

  it('finds the key in the keychain and never returns it', async (context) => {
    const store = new SecretStore({ accountPrefix: `setup-app-${randomBytes(6).toString('hex')}-` });
    if (!(await store.isAvailable())) {
      context.skip('no Secret Service: run inside scripts/with-keyring.sh');
      return;
    }
    await store.set('anthropic-api-key', API_KEY);
    try {
      const checks = await setupChecksForApp({ projectDir: project, env: { PATH: process.env['PATH'] }, secretStore: store });
      expect(checks.find((check) => check.name === 'API key')).toMatchObject({ ok: true, detail: expect.stringContaining('From the OS keychain (sk-ant-api03-***') as unknown as string, fix: null });
      expect(checks.find((check) => check.name === 'keychain')).toMatchObject({ ok: true, fix: null });
      expect(JSON.stringify(checks)).not.toContain(API_KEY.slice(14, 40));
    } finally {
      await store.delete('anthropic-api-key');
    }
  });
});

describe('settings methods wired into the app host', () => {
  it('serves config.get and usage.summary through createAppHost', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'co-settings-app-'));
    const project = join(folder, 'project');
    await mkdir(project);
    const host = createAppHost({ userDataDir: join(folder, 'user-data'), version: 'test', openRuntime: (options) => openProjectRuntime({ ...options, env: {}, secretStore: null }) });
    try {
      const context = { transport: 'in-process' as const };
      await expect(host.server.call('config.get', { project }, context)).resolves.toMatchObject({ ok: true, output: { exists: false } });
      await expect(host.server.call('usage.summary', { project }, context)).resolves.toMatchObject({ ok: true, output: { byTask: [] } });
    } finally {
      await host.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});

async function realProject(path: string): Promise<string> {
  return (await import('node:fs/promises')).realpath(path);
}
