import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { RpcClient } from '../../../src-shared/rpc/client';
import { ZERO_USAGE } from '../../../src-shared/domain/usage';
import type { AttemptInput, AttemptIO, AttemptOutcome, WorkerBackend } from '../../../src-main/engine/worker-backend';
import type { AppHost } from '../../../src-main/host/app-host';
import { startWebHost, type WebHost } from '../../../src-main/host/web-host';
import { LiveRunStore } from '../../../src-renderer/features/runs/live-run-store';
import { fetchLiveRunSeed, runKeys } from '../../../src-renderer/features/runs/queries';
import { connectRpcClient } from '../../support/rpc-client';
import { createTestHost } from '../../support/test-host';

/** Lines written before the pause: a multiple of the log writer's batch (200), so all of them are stored at once. */
const EARLY_LINES = 2_400;
/** Lines written after it: fewer than a batch, so they wait for the writer's 100 ms timer. */
const LATE_LINES = 50;
const LINES = EARLY_LINES + LATE_LINES;

/** A worker that writes its early lines, its late lines when told to go on, then keeps working until released (or aborted). */
class HeldWorker implements WorkerBackend {
  readonly name = 'held';
  private releaseWork: () => void = () => undefined;
  private readonly released = new Promise<void>((resolve) => (this.releaseWork = resolve));
  private goOnWork: () => void = () => undefined;
  private readonly goneOn = new Promise<void>((resolve) => (this.goOnWork = resolve));
  private markLogged: () => void = () => undefined;
  /** Resolves once every line has been written. */
  readonly logged = new Promise<void>((resolve) => (this.markLogged = resolve));

  async runAttempt(input: AttemptInput, io: AttemptIO): Promise<AttemptOutcome> {
    const log = (line: number) => io.log({ kind: 'assistant.text', text: `${input.task.title} line ${line}` });
    for (let line = 1; line <= EARLY_LINES; line += 1) log(line);
    await this.goneOn;
    for (let line = EARLY_LINES + 1; line <= LINES; line += 1) log(line);
    this.markLogged();
    const aborted = new Promise<void>((resolve) => input.signal.addEventListener('abort', () => resolve(), { once: true }));
    await Promise.race([this.released, aborted]);
    const common = { filesModified: [], filesCreated: [], discoveries: [], usage: ZERO_USAGE, costUsd: 0 };
    return input.signal.aborted ? { ...common, status: 'cancelled' } : { ...common, status: 'succeeded', output: 'done' };
  }

  /** Lets the worker write its late lines. */
  goOn(): void {
    this.goOnWork();
  }

  release(): void {
    this.goOnWork();
    this.releaseWork();
  }
}

describe('a client that joins (or reloads) during a run', () => {
  let folder: string;
  let project: string;
  let host: AppHost;
  let web: WebHost;
  let sockets: WebSocket[];
  let worker: HeldWorker;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'co-run-reload-'));
    project = join(folder, 'project');
    await mkdir(project);
    worker = new HeldWorker();
    host = createTestHost(folder, { backend: worker });
    web = await startWebHost({ server: host.server, events: host.events });
    sockets = [];
  });
  afterEach(async () => {
    worker.release();
    for (const socket of sockets) socket.close();
    await web.close();
    await host.close();
    await rm(folder, { recursive: true, force: true });
  });

  async function connect(): Promise<RpcClient> {
    const { client, socket } = await connectRpcClient(web);
    sockets.push(socket);
    return client;
  }

  it('sees the running attempt in runs.status, with the end of its log, and seeds its worker lane from them', async () => {
    const first = await connect();
    const task = await first.invoke('tasks.create', { project, task: { title: 'Long job' } });
    expect((await first.invoke('runs.status', { project })).activeAttempts).toEqual([]);
    const started = new Promise<string>((resolve) => first.subscribe('attempt.started', (event) => resolve(event.attempt.id)));
    const earlyLinesSeen = new Promise<void>((resolve) => first.subscribe('attempt.log', (event) => (event.seq === EARLY_LINES ? resolve() : undefined)));
    await first.invoke('runs.start', { project });
    const startedId = await started;
    await earlyLinesSeen;
    worker.goOn();
    await worker.logged;

    // Asked at once, before the batched log writer's timer stored the late lines: they are there too.
    const tail = await first.invoke('attempts.logs', { project, attemptId: startedId, tail: true, limit: 100 });
    expect(tail.map((line) => line.seq)).toEqual(Array.from({ length: 100 }, (_, index) => LINES - 99 + index));
    expect(tail.at(-1)?.text).toBe(`Long job line ${LINES}`);

    // A page reload: a new connection that saw none of the run's events.
    const reloaded = await connect();
    const status = await reloaded.invoke('runs.status', { project });
    expect(status.running).toBe(true);
    expect(status.activeAttempts).toEqual([expect.objectContaining({ taskId: task.id, taskTitle: 'Long job', status: 'running', number: 1 })]);
    const attemptId = status.activeAttempts[0]?.id ?? '';
    expect(attemptId).toBe(startedId);
    const head = await reloaded.invoke('attempts.logs', { project, attemptId, limit: 2 });
    expect(head.map((line) => line.seq)).toEqual([1, 2]);

    // What the Run view does on mount: the seed fills the status query and the lanes.
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const live = new LiveRunStore();
    live.beginSeed();
    live.seed(await fetchLiveRunSeed(reloaded, queryClient, project));
    live.flush();
    expect(live.getSnapshot().lanes.map((lane) => [lane.attempt.id, lane.attempt.taskId, lane.running])).toEqual([[attemptId, task.id, true]]);
    expect(live.getSnapshot().lastRun?.id).toBe(status.run?.id);
    const lines = live.logs.lines(attemptId);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.at(-1)).toMatchObject({ taskId: task.id, seq: LINES, text: `Long job line ${LINES}` });
    expect(queryClient.getQueryData(runKeys.status(project))).toMatchObject({ running: true, activeAttempts: [expect.objectContaining({ id: attemptId })] });
    live.dispose();

    const finished = new Promise<void>((resolve) => reloaded.subscribe('run.finished', () => resolve()));
    worker.release();
    await finished;
    expect(await reloaded.invoke('runs.status', { project })).toMatchObject({ running: false, activeAttempts: [] });
  });

  it('refuses a tail flag that is not a boolean', async () => {
    const client = await connect();
    await expect(client.invoke('attempts.logs', { project, attemptId: 'x', tail: 'yes' as never })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
