import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredDiscovery } from '../../../src-shared/domain/discovery';
import type { Task } from '../../../src-shared/domain/task';
import { CLAUDE_BIN, claudeTestEnv, lastToolResults, makeTempDir, matchers, startFakeAnthropic, textReply, toolUseReply, type FakeAnthropic } from '../../support/fake-anthropic';
import { forcedTool, requestText } from '../runtime/pipeline-support';
import { cliBuilt, repoRoot, tempProject, type TempProject } from './cli-harness';

/** Task Master's tool names, then ours. */
const TOOL_NAMES = [
  'get_tasks',
  'get_task',
  'next_task',
  'add_task',
  'update_task',
  'set_task_status',
  'add_dependency',
  'remove_dependency',
  'expand_task',
  'parse_prd',
  'get_discoveries',
  'add_discovery',
  'get_run_status',
];

/** A connected MCP client of `co mcp` in a project, with what the server wrote to stderr. */
interface McpSession {
  readonly client: Client;
  /** Errors the client saw on the wire (a stray line on stdout would be one). */
  readonly wireErrors: Error[];
  stderr(): string;
  /** Calls a tool that must succeed and parses its JSON text. */
  call<T>(name: string, args?: Record<string, unknown>): Promise<T>;
  /** Calls a tool that must fail and returns its message. */
  fail(name: string, args?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/** Spawns the built `co mcp` in the project, as Claude Code would after `claude mcp add orchestrator -- co mcp`. */
async function connect(project: TempProject, env: Readonly<Record<string, string>> = {}): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.join(repoRoot, 'bin', 'co.js'), 'mcp'],
    cwd: project.dir,
    env: { CO_USER_DATA: project.userData, NO_COLOR: '1', ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'co-mcp-test', version: '1.0.0' });
  const wireErrors: Error[] = [];
  client.onerror = (error) => wireErrors.push(error);
  await client.connect(transport);
  const callRaw = async (name: string, args: Record<string, unknown>) => {
    const result = await client.callTool({ name, arguments: args });
    const content = result.content as Array<{ type: string; text: string }>;
    return { isError: result.isError === true, text: content.map((part) => part.text).join('') };
  };
  return {
    client,
    wireErrors,
    stderr: () => stderr,
    async call<T>(name: string, args: Record<string, unknown> = {}): Promise<T> {
      const result = await callRaw(name, args);
      expect(result.isError, `${name} failed: ${result.text}`).toBe(false);
      return JSON.parse(result.text) as T;
    },
    async fail(name: string, args: Record<string, unknown> = {}): Promise<string> {
      const result = await callRaw(name, args);
      expect(result.isError, `${name} should have failed but returned ${result.text}`).toBe(true);
      expect(result.text, 'a tool error is one line').not.toContain('\n');
      return result.text;
    },
    close: () => client.close(),
  };
}

describe.skipIf(!cliBuilt)('co mcp: the task graph over MCP (built CLI, SDK client over stdio)', () => {
  let project: TempProject;
  let session: McpSession | undefined;

  beforeEach(() => {
    project = tempProject();
  });
  afterEach(async () => {
    await session?.close();
    session = undefined;
    project.cleanup();
  });

  const listed = async (): Promise<ReadonlyArray<Pick<Task, 'id' | 'status' | 'title' | 'dependencies' | 'priority'>>> =>
    (await project.coJson<Task[]>(['list', '--show-subtasks'])).map(({ id, status, title, dependencies, priority }) => ({ id, status, title, dependencies, priority }));

  it('lists the tools; get_tasks, add_task, next_task and set_task_status act on the project database, seen by `co list` at once', { timeout: 120_000 }, async () => {
    expect((await project.co(['init'])).status).toBe(0);
    expect((await project.co(['add', 'Set up the database'])).stdout).toBe('1\n');
    session = await connect(project);

    const { tools } = await session.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(TOOL_NAMES);
    const addTask = tools.find((tool) => tool.name === 'add_task');
    expect(Object.keys(addTask?.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['prompt', 'title', 'description', 'priority', 'dependencies', 'projectRoot']));
    const setStatus = tools.find((tool) => tool.name === 'set_task_status');
    expect(setStatus?.inputSchema.required).toEqual(['id', 'status']);
    // Clients see the statuses they may send, Task Master's names included.
    expect((setStatus?.inputSchema.properties?.['status'] as { enum?: string[] } | undefined)?.enum).toEqual(expect.arrayContaining(['pending', 'done', 'deferred', 'in-progress']));

    expect((await session.call<Task[]>('get_tasks')).map((task) => [task.id, task.status])).toEqual([['1', 'ready']]);

    // Task Master's shapes: the prompt's first line is the title, dependencies comma-separated.
    const added = await session.call<Task>('add_task', { prompt: 'Write the API\nREST over HTTP, JSON bodies.', dependencies: '1', priority: 'high' });
    expect(added).toMatchObject({ id: '2', title: 'Write the API', status: 'pending', dependencies: ['1'], priority: 'high' });
    expect(await listed()).toEqual([
      { id: '1', status: 'ready', title: 'Set up the database', dependencies: [], priority: 'medium' },
      { id: '2', status: 'pending', title: 'Write the API', dependencies: ['1'], priority: 'high' },
    ]);

    expect((await session.call<{ task: Task | null }>('next_task')).task?.id).toBe('1');
    const [done] = await session.call<Task[]>('set_task_status', { id: '1', status: 'done', projectRoot: project.dir });
    expect(done).toMatchObject({ id: '1', status: 'done' });
    expect((await listed()).map((task) => [task.id, task.status])).toEqual([
      ['1', 'done'],
      ['2', 'ready'],
    ]);
    expect((await session.call<{ task: Task | null }>('next_task')).task?.id).toBe('2');

    // The other way round: what `co` writes while the server runs is what the next call reads.
    expect((await project.co(['add', 'Write the docs', '--depends-on', '2'])).stdout).toBe('3\n');
    expect((await session.call<Task[]>('get_tasks', { status: 'pending,done' })).map((task) => task.id)).toEqual(['1', '3']);
    await session.call<Task[]>('set_task_status', { id: '2,3', status: 'deferred' });
    expect((await session.call<Task[]>('get_tasks', { status: 'deferred' })).map((task) => task.id)).toEqual(['2', '3']);
    expect(await session.call<{ task: Task | null; message: string }>('next_task')).toEqual({ task: null, message: 'No task is ready (0 pending on dependencies, 0 blocked, 1 done).' });
    expect(session.wireErrors).toEqual([]);
  });

  it('bad arguments are tool errors with one line saying what is wrong; nothing changes and the server keeps answering', { timeout: 120_000 }, async () => {
    expect((await project.co(['init'])).status).toBe(0);
    expect((await project.co(['add', 'Set up the database'])).status).toBe(0);
    expect((await project.co(['add', 'Write the API', '--depends-on', '1'])).status).toBe(0);
    session = await connect(project);
    const before = await listed();

    expect(await session.fail('add_task', { prompt: 'Caching', priority: 'urgent' })).toBe(
      'Invalid input for add_task: priority: invalid priority "urgent": expected high, medium, low or an integer 1-10',
    );
    expect(await session.fail('add_task', {})).toBe('Invalid input for add_task: prompt: the task is empty; give a prompt saying what the task should do (or a title and description).');
    expect(await session.fail('add_task', { prompt: 'Caching', tags: 'perf' })).toContain('tags');
    expect(await session.fail('add_task', { prompt: 'Caching', dependencies: '1,../etc' })).toContain('invalid task id');
    // The same messages as the CLI.
    expect(await session.fail('get_task', { id: '99' })).toBe('task 99 does not exist (run `co list` to see the task ids)');
    expect((await project.co(['show', '99'])).stderr).toBe('co: task 99 does not exist (run `co list` to see the task ids)\n');
    expect(await session.fail('set_task_status', { id: '1', status: 'in-progress' })).toBe('status in_progress is set by the scheduler; use one of pending, done, failed, cancelled, deferred');
    expect(await session.fail('set_task_status', { id: '1', status: 'finished' })).toContain('invalid status "finished"');
    // All or none: task 1 is not marked done when task 99 does not exist.
    expect(await session.fail('set_task_status', { id: '1,99', status: 'done' })).toBe('task 99 does not exist (run `co list` to see the task ids)');
    expect(await session.fail('add_dependency', { id: '1', dependsOn: '2' })).toBe('dependency cycle: 1 → 2 → 1');
    expect(await session.fail('remove_dependency', { id: '2', dependsOn: '3' })).toBe('task 2 does not depend on 3 (its dependencies: 1)');
    expect(await session.fail('update_task', { id: '2' })).toContain('nothing to update');
    expect(await session.fail('get_tasks', { projectRoot: project.userData })).toContain(`this MCP server serves the project ${project.dir}`);
    expect(await session.fail('parse_prd', { input: 'missing.md' })).toBe(`no file ${path.join(project.dir, 'missing.md')}; give the path of your PRD.`);
    expect(await session.fail('no_such_tool')).toContain('no tool named "no_such_tool"');

    expect(await listed()).toEqual(before);
    expect((await session.call<Task[]>('get_tasks')).map((task) => task.id)).toEqual(['1', '2']);
    expect(session.wireErrors).toEqual([]);
    expect(session.stderr()).not.toContain('unexpected error');
  });

  it('update_task, dependencies, discoveries and run status', { timeout: 120_000 }, async () => {
    expect((await project.co(['init'])).status).toBe(0);
    for (const title of ['Schema', 'API', 'Docs']) expect((await project.co(['add', title])).status).toBe(0);
    session = await connect(project);

    const updated = await session.call<Task>('update_task', { id: '2', prompt: 'Use bcrypt for passwords.', priority: 'high' });
    expect(updated.details).toMatch(/^\[\d{4}-\d\d-\d\dT[^\]]+\] Use bcrypt for passwords\.$/);
    await session.call<Task[]>('add_dependency', { id: '2,3', dependsOn: '1' });
    await session.call<Task[]>('remove_dependency', { id: '3', dependsOn: '1' });
    expect((await listed()).map((task) => [task.id, task.status, task.dependencies, task.priority])).toEqual([
      ['1', 'ready', [], 'medium'],
      ['2', 'pending', ['1'], 'high'],
      ['3', 'ready', [], 'medium'],
    ]);
    const shown = await session.call<Task & { subtasks: Task[] }>('get_task', { id: '2' });
    expect(shown).toMatchObject({ id: '2', details: updated.details, subtasks: [] });

    const discovery = await session.call<StoredDiscovery>('add_discovery', { summary: 'Migrations live in db/migrations', taskId: '1', files: ['db/migrations'] });
    expect(discovery).toMatchObject({ taskId: '1', summary: 'Migrations live in db/migrations', files: ['db/migrations'] });
    expect((await session.call<StoredDiscovery[]>('get_discoveries', { taskId: '1' })).map((found) => found.summary)).toEqual(['Migrations live in db/migrations']);
    expect(await session.fail('add_discovery', { summary: ' ' })).toContain('a discovery needs a summary');

    const status = await session.call<{ total: number; counts: Record<string, number>; runningRuns: unknown[] }>('get_run_status');
    expect(status).toMatchObject({ total: 3, counts: { ready: 2, pending: 1 }, runningRuns: [] });
    expect(status).toEqual(await project.coJson(['status']));
  });

  describe('with the fake Anthropic API (the manager; Claude Code as the client)', () => {
    let fake: FakeAnthropic;
    let home: ReturnType<typeof makeTempDir>;
    beforeEach(async () => {
      fake = await startFakeAnthropic();
      home = makeTempDir('co-mcp-home-');
    });
    afterEach(async () => {
      await fake.close();
      home.cleanup();
    });

    it('parse_prd plans tasks from a PRD file and expand_task splits one, as co parse / co expand do', { timeout: 120_000 }, async () => {
      const planTask = (id: number, title: string, dependencies: number[]) => ({
        id,
        title,
        description: `${title}.`,
        details: `Write ${title}.`,
        acceptance_criteria: [`${title} exists`],
        test_strategy: 'Look at it.',
        priority: 'high',
        dependencies,
      });
      fake.script({
        respond: (request) => {
          if (forcedTool(request) === 'parse_prd') return toolUseReply('parse_prd', { tasks: [planTask(1, 'Storage', []), planTask(2, 'CLI', [1])] });
          if (forcedTool(request) === 'expand_task') return toolUseReply('expand_task', { tasks: [planTask(1, 'Storage schema', []), planTask(2, 'Storage queries', [1])] });
          return undefined;
        },
      });
      const env = claudeTestEnv(fake, home.path);
      expect((await project.co(['init'], { env })).status).toBe(0);
      writeFileSync(path.join(project.dir, 'prd.md'), '# Notes app\n1. Storage.\n2. A CLI that uses storage.\n');
      session = await connect(project, env);

      const parsed = await session.call<{ ids: string[] }>('parse_prd', { input: 'prd.md', numTasks: '5' });
      expect(parsed.ids).toEqual(['1', '2']);
      expect(requestText(fake.messageRequests().find((request) => forcedTool(request) === 'parse_prd') ?? fail('no parse_prd request'))).toContain('at most 5 tasks');

      const expanded = await session.call<{ parent: string; subtasks: Array<{ id: string }> }>('expand_task', { id: '1', num: 2 });
      expect(expanded).toMatchObject({ parent: '1', subtasks: [{ id: '1.1' }, { id: '1.2' }] });
      expect(requestText(fake.messageRequests().find((request) => forcedTool(request) === 'expand_task') ?? fail('no expand_task request'))).toContain('at most 2 subtasks');
      expect((await listed()).map((task) => [task.id, task.status, task.dependencies])).toEqual([
        ['1', 'pending', ['1.1', '1.2']],
        ['1.1', 'ready', []],
        ['1.2', 'pending', ['1.1']],
        ['2', 'pending', ['1']],
      ]);
      expect(await session.fail('expand_task', { id: '1' })).toBe('task 1 already has subtasks (1.1, 1.2); delete them first to expand it again.');
      expect(session.wireErrors).toEqual([]);
    });

    it('Claude Code with `co mcp` registered calls add_task, and the task is in the project', { timeout: 180_000 }, async () => {
      const env = claudeTestEnv(fake, home.path);
      expect((await project.co(['init'], { env })).status).toBe(0);
      const agent = fake.script({
        match: matchers.hasTools,
        replies: [toolUseReply('mcp__orchestrator__add_task', { prompt: 'Add rate limiting\nAt most 10 requests a second.', priority: 'high' }), textReply('Added the task.')],
      });
      const mcpConfig = { mcpServers: { orchestrator: { command: process.execPath, args: [path.join(repoRoot, 'bin', 'co.js'), 'mcp'], env: { CO_USER_DATA: project.userData } } } };
      const claude = await promisify(execFile)(
        CLAUDE_BIN,
        ['-p', 'Add a task for rate limiting.', '--mcp-config', JSON.stringify(mcpConfig), '--strict-mcp-config', '--allowedTools', 'mcp__orchestrator__add_task', '--output-format', 'json'],
        // Claude Code's first request waits until the server is connected (by default it may go out before, on a loaded machine).
        { cwd: project.dir, env: { ...env, MCP_CONNECTION_NONBLOCKING: 'false' }, timeout: 150_000 },
      );
      expect(agent.answered, claude.stdout + claude.stderr).toHaveLength(2);
      const [first, second] = agent.answered;
      const offered = ((first?.body?.tools ?? []) as Array<{ name: string }>).map((tool) => tool.name);
      expect(offered).toEqual(expect.arrayContaining(TOOL_NAMES.map((name) => `mcp__orchestrator__${name}`)));
      const [result] = second === undefined ? [] : lastToolResults(second);
      expect(result?.is_error ?? false, JSON.stringify(result)).toBe(false);
      expect(JSON.stringify(result?.content)).toContain('Add rate limiting');
      expect(await listed()).toEqual([{ id: '1', status: 'ready', title: 'Add rate limiting', dependencies: [], priority: 'high' }]);
    });
  });
});

function fail(message: string): never {
  throw new Error(message);
}
