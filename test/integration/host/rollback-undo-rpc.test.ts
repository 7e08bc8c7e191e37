import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { RpcClient } from '../../../src-shared/rpc/client';
import { InProcessBackend } from '../../../src-main/engine/in-process-backend';
import { createAppHost, type AppHost } from '../../../src-main/host/app-host';
import { startWebHost, type WebHost } from '../../../src-main/host/web-host';
import { openProjectRuntime, type ProjectRuntime } from '../../../src-main/runtime/project-runtime';
import { connectRpcClient } from '../../support/rpc-client';

const exec = promisify(execFile);

async function git(cwd: string, ...args: string[]): Promise<string> {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' };
  return (await exec('git', args, { cwd, env })).stdout;
}

const lines = (edits: Record<number, string> = {}): string => Array.from({ length: 12 }, (_unused, index) => edits[index + 1] ?? `line ${index + 1}`).join('\n') + '\n';
/** Which line of shared.txt each task rewrites; other tasks write a file named after themselves. */
const LINE_OF: Readonly<Record<string, number>> = { Top: 2, Bottom: 8 };

async function exists(path: string): Promise<boolean> {
  return readFile(path).then(
    () => true,
    () => false,
  );
}

describe('rollback undo and SELECTIVE over the WebSocket host, on real attempts', () => {
  let folder: string;
  let project: string;
  let host: AppHost;
  let web: WebHost;
  let client: RpcClient;
  let socket: WebSocket;
  let runtime: Promise<ProjectRuntime> | undefined;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'co-rollback-undo-'));
    project = join(folder, 'project');
    await mkdir(project);
    await git(project, 'init', '-q', '-b', 'main');
    await writeFile(join(project, 'shared.txt'), lines());
    await writeFile(join(project, '.gitignore'), '.orchestrator/\n');
    // No manager here to review: the in-process workers' work is merged as it is.
    await writeFile(join(project, 'orchestrator_config.json'), JSON.stringify({ models: { enable_opus_review: false } }));
    await git(project, 'add', '-A');
    await git(project, 'commit', '-q', '-m', 'Initial commit');
    const backend = new InProcessBackend(async (input) => {
      const line = LINE_OF[input.task.title];
      if (line === undefined) {
        const file = `${input.task.title.toLowerCase()}.txt`;
        await writeFile(join(input.workingDirectory, file), `work of ${input.task.title}\n`);
        return { output: `wrote ${file}`, filesModified: [file] };
      }
      const shared = join(input.workingDirectory, 'shared.txt');
      const text = (await readFile(shared, 'utf8')).replace(`line ${line}\n`, `line ${line} by ${input.task.title}\n`);
      await writeFile(shared, text);
      return { output: `edited line ${line}`, filesModified: ['shared.txt'] };
    });
    host = createAppHost({
      userDataDir: join(folder, 'user-data'),
      version: 'test',
      openRuntime: (options) => {
        runtime = openProjectRuntime({ ...options, env: {}, secretStore: null, backend });
        return runtime;
      },
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

  /** Runs every open task and waits until the run's work is merged into the user's branch. */
  async function runAll(): Promise<void> {
    await client.invoke('tasks.list', { project });
    if (runtime === undefined) throw new Error('the project was not opened');
    expect((await (await runtime).run()).status).toBe('succeeded');
  }

  it('SELECTIVE undoes one task’s line of a shared file, keeps the other task’s and the user’s, and reports a conflicting line', async () => {
    const top = await client.invoke('tasks.create', { project, task: { title: 'Top' } });
    const bottom = await client.invoke('tasks.create', { project, task: { title: 'Bottom' } });
    const checkpoint = await client.invoke('checkpoints.create', { project, description: 'Before the work' });
    await runAll();
    expect(await readFile(join(project, 'shared.txt'), 'utf8')).toBe(lines({ 2: 'line 2 by Top', 8: 'line 8 by Bottom' }));
    await writeFile(join(project, 'shared.txt'), lines({ 2: 'line 2 by Top', 5: 'line 5 by the user', 8: 'line 8 by Bottom' }));

    const preview = await client.invoke('checkpoints.preview', { project, id: checkpoint.id, strategy: 'SELECTIVE', taskIds: [top.id] });
    expect(preview).toMatchObject({ files: [{ path: 'shared.txt', change: 'restore' }], unrevertedFiles: [], notes: [] });
    const undone = await client.invoke('checkpoints.rollback', { project, id: checkpoint.id, strategy: 'SELECTIVE', taskIds: [top.id] });
    expect(undone).toMatchObject({ restoredFiles: ['shared.txt'], unrevertedFiles: [], notes: [], tasksResetToPending: [top.id] });
    expect(await readFile(join(project, 'shared.txt'), 'utf8')).toBe(lines({ 5: 'line 5 by the user', 8: 'line 8 by Bottom' }));

    // The user rewrites Bottom's line: undoing Bottom would overwrite it, so the file is left as it is.
    const rewritten = lines({ 5: 'line 5 by the user', 8: 'line 8 rewritten by the user' });
    await writeFile(join(project, 'shared.txt'), rewritten);
    const refused = await client.invoke('checkpoints.rollback', { project, id: checkpoint.id, strategy: 'SELECTIVE', taskIds: [bottom.id] });
    expect(refused.restoredFiles).toEqual([]);
    expect(refused.unrevertedFiles).toEqual([expect.objectContaining({ taskId: bottom.id, path: 'shared.txt', hunks: ['@@ -8 +8 @@'] })]);
    expect(await readFile(join(project, 'shared.txt'), 'utf8')).toBe(rewritten);
  });

  it('FULL removes a task added since the checkpoint; the undo brings it back with its attempt, so SELECTIVE can still undo it', async () => {
    await client.invoke('tasks.create', { project, task: { title: 'Alpha' } });
    const checkpoint = await client.invoke('checkpoints.create', { project, description: 'Before Extra' });
    const extra = await client.invoke('tasks.create', { project, task: { title: 'Extra' } });
    await runAll();
    const attemptsBefore = await client.invoke('attempts.list', { project, id: extra.id });
    expect(attemptsBefore).toHaveLength(1);

    const result = await client.invoke('checkpoints.rollback', { project, id: checkpoint.id, strategy: 'FULL' });
    expect((await client.invoke('tasks.list', { project })).map((task) => task.title)).toEqual(['Alpha']);
    expect(await exists(join(project, 'extra.txt'))).toBe(false);
    const [newest] = await client.invoke('checkpoints.list', { project });
    expect(newest).toMatchObject({ id: result.safetyCheckpointId, kind: 'rollback', rollbackOf: checkpoint.id, keptBecause: expect.arrayContaining(['undo']) as unknown as string[] });

    await client.invoke('checkpoints.rollback', { project, id: result.safetyCheckpointId, strategy: 'FULL' });
    expect((await client.invoke('tasks.list', { project })).map((task) => [task.title, task.status])).toEqual([
      ['Alpha', 'done'],
      ['Extra', 'done'],
    ]);
    expect(await client.invoke('attempts.list', { project, id: extra.id })).toEqual(attemptsBefore);
    expect(await exists(join(project, 'extra.txt'))).toBe(true);

    const selective = await client.invoke('checkpoints.rollback', { project, id: checkpoint.id, strategy: 'SELECTIVE', taskIds: [extra.id] });
    expect(selective).toMatchObject({ deletedFiles: ['extra.txt'], notes: [] });
    expect(await exists(join(project, 'alpha.txt'))).toBe(true);
  });
});
