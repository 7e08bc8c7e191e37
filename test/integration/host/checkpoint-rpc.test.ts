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
import { connectRpcClient } from '../../support/rpc-client';
import { openProjectRuntime, type ProjectRuntime } from '../../../src-main/runtime/project-runtime';

const exec = promisify(execFile);
const FAKE_KEY = `sk-ant-api03-${'x'.repeat(40)}`;

async function git(cwd: string, ...args: string[]): Promise<string> {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' };
  return (await exec('git', args, { cwd, env })).stdout;
}

/** The file a task's attempt writes: its title in lower case. */
function fileOf(title: string): string {
  return `${title.toLowerCase()}.txt`;
}

async function exists(path: string): Promise<boolean> {
  return readFile(path).then(
    () => true,
    () => false,
  );
}

describe('checkpoints, rollback and review over the WebSocket host', () => {
  let folder: string;
  let project: string;
  let host: AppHost;
  let web: WebHost;
  let client: RpcClient;
  let socket: WebSocket;
  let runtime: Promise<ProjectRuntime> | undefined;
  let releaseSlow: () => void;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'co-checkpoint-rpc-'));
    project = join(folder, 'project');
    await mkdir(project);
    await git(project, 'init', '-q', '-b', 'main');
    await writeFile(join(project, 'README.md'), '# Project\n');
    await writeFile(join(project, '.gitignore'), '.orchestrator/\n');
    // No manager here (no API key): these tests are about checkpoints, so review is off.
    await writeFile(join(project, 'orchestrator_config.json'), JSON.stringify({ models: { enable_opus_review: false } }));
    await git(project, 'add', '-A');
    await git(project, 'commit', '-q', '-m', 'Initial commit');
    // Each attempt writes one file into its worktree, named after the task, with a secret that must not reach the diff view.
    const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
    const backend = new InProcessBackend(async (input) => {
      if (input.task.title === 'Slow') await slow;
      const file = fileOf(input.task.title);
      await writeFile(join(input.workingDirectory, file), `work of ${input.task.title}\nkey=${FAKE_KEY}\n`);
      return { output: `wrote ${file}`, filesModified: [file] };
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
    releaseSlow();
    socket.close();
    await web.close();
    await host.close();
    await rm(folder, { recursive: true, force: true });
  });

  /** Runs every open task to the end and waits until the run's work is merged into the user's branch. */
  async function runAll(): Promise<void> {
    await client.invoke('tasks.list', { project });
    if (runtime === undefined) throw new Error('the project was not opened');
    const run = await (await runtime).run();
    expect(run.status).toBe('succeeded');
  }

  async function statuses(): Promise<Record<string, string>> {
    return Object.fromEntries((await client.invoke('tasks.list', { project })).map((task) => [task.title, task.status]));
  }

  it('previews and rolls back FULL, then undoes it with the safety checkpoint', async () => {
    await client.invoke('tasks.create', { project, task: { title: 'Alpha' } });
    await client.invoke('tasks.create', { project, task: { title: 'Beta' } });
    const checkpoint = await client.invoke('checkpoints.create', { project, description: 'Before the work' });
    expect(checkpoint).toMatchObject({ description: 'Before the work', kind: 'manual' });
    expect((await client.invoke('checkpoints.list', { project })).map((listed) => listed.id)).toContain(checkpoint.id);

    await runAll();
    expect(await readFile(join(project, 'alpha.txt'), 'utf8')).toContain('work of Alpha');
    expect(await statuses()).toEqual({ Alpha: 'done', Beta: 'done' });

    const preview = await client.invoke('checkpoints.preview', { project, id: checkpoint.id, strategy: 'FULL' });
    expect(preview.files).toEqual(
      expect.arrayContaining([
        { path: 'alpha.txt', change: 'delete' },
        { path: 'beta.txt', change: 'delete' },
      ]),
    );
    expect(preview.tasks.map((task) => [task.title, task.from, task.to])).toEqual([
      ['Alpha', 'done', 'ready'],
      ['Beta', 'done', 'ready'],
    ]);
    expect(await exists(join(project, 'alpha.txt'))).toBe(true);
    // The run merged its work into main after the checkpoint: a rollback keeps those commits on the branch.
    const mergedCommits = Number((await git(project, 'rev-list', '--count', `${checkpoint.head ?? ''}..HEAD`)).trim());
    expect(mergedCommits).toBeGreaterThan(0);
    const headMovement = { branch: 'main', commitsSinceCheckpoint: mergedCommits, commitsNoLongerOnHead: 0 };
    expect(preview).toMatchObject({ headMovedSinceCheckpoint: true, headMovement });
    const headBefore = await git(project, 'rev-parse', 'HEAD');

    const result = await client.invoke('checkpoints.rollback', { project, id: checkpoint.id, strategy: 'FULL' });
    expect(result).toMatchObject({ headMovedSinceCheckpoint: true, headMovement });
    expect(await git(project, 'rev-parse', 'HEAD')).toBe(headBefore);
    expect(result.deletedFiles).toEqual(expect.arrayContaining(['alpha.txt', 'beta.txt']));
    expect(result.tasksRestored).toBe(2);
    expect(await exists(join(project, 'alpha.txt'))).toBe(false);
    expect(await exists(join(project, 'beta.txt'))).toBe(false);
    expect(await statuses()).toEqual({ Alpha: 'ready', Beta: 'ready' });

    const undo = await client.invoke('checkpoints.preview', { project, id: result.safetyCheckpointId, strategy: 'FULL' });
    expect(undo.files).toEqual(expect.arrayContaining([{ path: 'alpha.txt', change: 'create' }]));
    await client.invoke('checkpoints.rollback', { project, id: result.safetyCheckpointId, strategy: 'FULL' });
    expect(await readFile(join(project, 'beta.txt'), 'utf8')).toContain('work of Beta');
    expect(await statuses()).toEqual({ Alpha: 'done', Beta: 'done' });
  });

  it('rolls back SELECTIVE: only the named task, its files and its state', async () => {
    const alpha = await client.invoke('tasks.create', { project, task: { title: 'Alpha' } });
    await client.invoke('tasks.create', { project, task: { title: 'Beta' } });
    const checkpoint = await client.invoke('checkpoints.create', { project, description: 'Before the work' });
    await runAll();

    const preview = await client.invoke('checkpoints.preview', { project, id: checkpoint.id, strategy: 'SELECTIVE', taskIds: [alpha.id] });
    expect(preview).toMatchObject({ files: [{ path: 'alpha.txt', change: 'delete' }], tasks: [{ id: alpha.id, title: 'Alpha', from: 'done', to: 'ready' }] });

    const result = await client.invoke('checkpoints.rollback', { project, id: checkpoint.id, strategy: 'SELECTIVE', taskIds: [alpha.id] });
    expect(result).toMatchObject({ deletedFiles: ['alpha.txt'], restoredFiles: [], tasksRestored: 0, tasksResetToPending: [alpha.id] });
    expect(await exists(join(project, 'alpha.txt'))).toBe(false);
    expect(await exists(join(project, 'beta.txt'))).toBe(true);
    expect(await statuses()).toEqual({ Alpha: 'ready', Beta: 'done' });
  });

  it('rolls back PARTIAL: all files, and only tasks finished since the checkpoint go back', async () => {
    const alpha = await client.invoke('tasks.create', { project, task: { title: 'Alpha' } });
    await runAll();
    const checkpoint = await client.invoke('checkpoints.create', { project, description: 'After Alpha' });
    const beta = await client.invoke('tasks.create', { project, task: { title: 'Beta', dependencies: [alpha.id] } });
    const gamma = await client.invoke('tasks.create', { project, task: { title: 'Gamma', dependencies: [beta.id] } });
    await runAll();
    expect(await statuses()).toEqual({ Alpha: 'done', Beta: 'done', Gamma: 'done' });

    const preview = await client.invoke('checkpoints.preview', { project, id: checkpoint.id, strategy: 'PARTIAL' });
    expect(preview.files).toEqual(
      expect.arrayContaining([
        { path: 'beta.txt', change: 'delete' },
        { path: 'gamma.txt', change: 'delete' },
      ]),
    );
    expect(preview.files.map((file) => file.path)).not.toContain('alpha.txt');
    expect(preview.tasks).toEqual([
      { id: beta.id, title: 'Beta', from: 'done', to: 'ready' },
      { id: gamma.id, title: 'Gamma', from: 'done', to: 'pending' },
    ]);
    const result = await client.invoke('checkpoints.rollback', { project, id: checkpoint.id, strategy: 'PARTIAL' });
    expect([...result.tasksResetToPending].sort()).toEqual([beta.id, gamma.id].sort());
    expect(await statuses()).toEqual({ Alpha: 'done', Beta: 'ready', Gamma: 'pending' });
    expect(await exists(join(project, 'alpha.txt'))).toBe(true);
    expect(await exists(join(project, 'gamma.txt'))).toBe(false);
  });

  it('says HEAD has not moved when no commit was made since the checkpoint', async () => {
    await client.invoke('tasks.create', { project, task: { title: 'Alpha' } });
    const checkpoint = await client.invoke('checkpoints.create', { project, description: 'Start' });
    await writeFile(join(project, 'notes.txt'), 'uncommitted\n');
    const unmoved = { headMovedSinceCheckpoint: false, headMovement: { branch: 'main', commitsSinceCheckpoint: 0, commitsNoLongerOnHead: 0 } };
    expect(await client.invoke('checkpoints.preview', { project, id: checkpoint.id, strategy: 'PARTIAL' })).toMatchObject(unmoved);
    expect(await client.invoke('checkpoints.rollback', { project, id: checkpoint.id, strategy: 'PARTIAL' })).toMatchObject({ ...unmoved, deletedFiles: ['notes.txt'] });
  });

  it('refuses to roll back while a run is in progress, and previews still work', async () => {
    const slowTask = await client.invoke('tasks.create', { project, task: { title: 'Slow' } });
    const checkpoint = await client.invoke('checkpoints.create', { project, description: 'Before the slow work' });
    const started = new Promise<void>((resolve) =>
      client.subscribe('task.changed', (event) => (event.taskId === slowTask.id && event.status === 'in_progress' ? resolve() : undefined)),
    );
    if (runtime === undefined) throw new Error('the project was not opened');
    // run() resolves once the run's work is merged, so nothing writes to the repository after the test.
    const running = (await runtime).run();
    await started;
    await expect(client.invoke('checkpoints.rollback', { project, id: checkpoint.id, strategy: 'FULL' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('run is in progress') as unknown as string,
    });
    await expect(client.invoke('checkpoints.preview', { project, id: checkpoint.id, strategy: 'FULL' })).resolves.toMatchObject({ files: [] });
    expect((await client.invoke('checkpoints.list', { project })).filter((listed) => listed.kind === 'rollback')).toEqual([]);
    releaseSlow();
    expect((await running).status).toBe('succeeded');
  });

  it('shows an attempt’s diff (redacted) and sends a task back with the reviewer’s feedback', async () => {
    const alpha = await client.invoke('tasks.create', { project, task: { title: 'Alpha' } });
    const beta = await client.invoke('tasks.create', { project, task: { title: 'Beta' } });
    await runAll();
    const [attempt] = await client.invoke('attempts.list', { project, id: alpha.id });
    if (attempt === undefined) throw new Error('no attempt');
    const diff = await client.invoke('attempts.diff', { project, attemptId: attempt.id });
    expect(diff.files).toEqual([{ path: 'alpha.txt', status: 'added', additions: 2, deletions: 0 }]);
    expect(diff.patch).toContain('+work of Alpha');
    expect(diff.patch).not.toContain(FAKE_KEY);
    // The attempt's branch was deleted once its work was merged; the diff comes from its recorded commits.
    expect(await git(project, 'branch', '--list', attempt.branch ?? '')).toBe('');
    const fromCommits = await client.invoke('attempts.diff', { project, attemptId: attempt.id });
    expect(fromCommits.files.map((file) => [file.path, file.status])).toEqual([['alpha.txt', 'added']]);
    expect(fromCommits.patch).toContain('+work of Alpha');
    expect(fromCommits.patch).not.toContain(FAKE_KEY);

    const changes: string[] = [];
    client.subscribe('task.changed', (event) => changes.push(`${event.taskId}:${event.status}`));
    const reviewed = await client.invoke('tasks.review', { project, id: alpha.id, verdict: 'request_changes', feedback: 'Name the file in capitals.' });
    expect(reviewed).toMatchObject({ status: expect.stringMatching(/^(pending|ready)$/) as unknown as string, reviewFeedback: 'Name the file in capitals.' });
    expect((await client.invoke('tasks.get', { project, id: alpha.id })).reviewFeedback).toBe('Name the file in capitals.');
    expect(changes).toContain(`${alpha.id}:pending`);

    const rejected = await client.invoke('tasks.review', { project, id: beta.id, verdict: 'reject', feedback: 'Wrong approach.' });
    expect(rejected).toMatchObject({ status: 'failed', statusReason: 'Rejected by hand: Wrong approach.' });
    await expect(client.invoke('tasks.review', { project, id: alpha.id, verdict: 'approve' })).rejects.toMatchObject({ code: 'conflict' });
    const approved = await client.invoke('tasks.review', { project, id: beta.id, verdict: 'approve' });
    expect(approved.status).toBe('done');
    await expect(client.invoke('tasks.review', { project, id: alpha.id, verdict: 'request_changes' })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('keeps line comments on an attempt and sends them with "request changes" to the next attempt', async () => {
    const alpha = await client.invoke('tasks.create', { project, task: { title: 'Alpha' } });
    await runAll();
    const [attempt] = await client.invoke('attempts.list', { project, id: alpha.id });
    if (attempt === undefined) throw new Error('no attempt');
    await expect(client.invoke('attempts.addComment', { project, attemptId: 'no-such-attempt', comment: { file: 'alpha.txt', startLine: 1, endLine: 1, code: '', body: 'x' } })).rejects.toMatchObject({ code: 'not_found' });
    await expect(client.invoke('attempts.addComment', { project, attemptId: attempt.id, comment: { file: 'alpha.txt', startLine: 2, endLine: 1, code: '', body: 'x' } })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('the range ends before it starts') as unknown as string,
    });
    const first = await client.invoke('attempts.addComment', { project, attemptId: attempt.id, comment: { file: 'alpha.txt', startLine: 1, endLine: 1, code: 'work of Alpha', body: 'Say whose work.' } });
    await client.invoke('attempts.addComment', { project, attemptId: attempt.id, comment: { file: 'alpha.txt', startLine: 2, endLine: 2, code: 'key=…', body: 'No keys in files.' } });
    const stray = await client.invoke('attempts.addComment', { project, attemptId: attempt.id, comment: { file: 'alpha.txt', startLine: 2, endLine: 2, code: '', body: 'Never mind.' } });
    expect(await client.invoke('attempts.deleteComment', { project, id: stray.id })).toEqual({ deleted: true });
    expect((await client.invoke('attempts.comments', { project, attemptId: attempt.id })).map((comment) => comment.body)).toEqual(['Say whose work.', 'No keys in files.']);

    const reviewed = await client.invoke('tasks.review', { project, id: alpha.id, verdict: 'request_changes' });
    expect(reviewed.reviewFeedback).toBe(
      [
        "Line comments on the previous attempt's diff (2; address each one):",
        '1. alpha.txt, line 1:\n```\nwork of Alpha\n```\nComment: Say whose work.',
        '2. alpha.txt, line 2:\n```\nkey=…\n```\nComment: No keys in files.',
      ].join('\n\n'),
    );
    // The comments stay on the attempt they were made on.
    expect((await client.invoke('attempts.comments', { project, attemptId: attempt.id })).map((comment) => comment.id)).toContain(first.id);
  });

  it('refuses bad input with clear errors and changes nothing', async () => {
    await client.invoke('tasks.create', { project, task: { title: 'Alpha' } });
    const checkpoint = await client.invoke('checkpoints.create', { project, description: 'Start' });
    await writeFile(join(project, 'notes.txt'), 'mine\n');

    await expect(client.invoke('checkpoints.preview', { project, id: '20260101T000000000Z-deadbeef', strategy: 'FULL' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(client.invoke('checkpoints.rollback', { project, id: 'nonsense', strategy: 'FULL' })).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('nonsense') as unknown as string,
    });
    await expect(client.invoke('checkpoints.rollback', { project, id: checkpoint.id, strategy: 'SELECTIVE' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('SELECTIVE') as unknown as string,
    });
    await expect(client.invoke('checkpoints.rollback', { project, id: checkpoint.id, strategy: 'SELECTIVE', taskIds: ['99'] })).rejects.toMatchObject({ code: 'not_found' });
    await expect(client.invoke('attempts.diff', { project, attemptId: 'no-such-attempt' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(client.invoke('tasks.review', { project, id: '1', verdict: 'approve' })).rejects.toMatchObject({ code: 'conflict' });

    expect(await readFile(join(project, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect((await client.invoke('checkpoints.list', { project })).map((listed) => listed.id)).toEqual([checkpoint.id]);
    expect(await statuses()).toEqual({ Alpha: 'ready' });

    const plain = join(folder, 'plain');
    await mkdir(plain);
    await expect(client.invoke('checkpoints.list', { project: plain })).rejects.toMatchObject({
      code: 'failed_precondition',
      message: expect.stringContaining('git repository') as unknown as string,
    });
    await expect(client.invoke('checkpoints.create', { project: plain, description: 'x' })).rejects.toMatchObject({ code: 'failed_precondition' });
  });
});
