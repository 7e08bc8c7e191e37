import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentProcessInfo } from '../../../src-main/engine/worker-backend';
import { lastToolResults, matchers, textReply, toolUseReply } from '../../support/fake-anthropic';
import { attemptInput, recordingIO, startWorker } from './fixtures';

const SECRET_KEY = 'sk-ant-api03-WORKER-SECRET-0123456789';

/** True while a process exists and is not a zombie. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('API worker cancellation, timeouts and failures', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it('kills a long command with its whole process group when the attempt is aborted', async () => {
    const started = await startWorker();
    cleanup = started.cleanup;
    started.fake.enqueue(toolUseReply('run_command', { command: 'sleep 30 & echo $! > bg.pid; echo $$ > sh.pid; wait' }));
    const controller = new AbortController();
    const groups: AgentProcessInfo[] = [];
    const running = started.backend.runAttempt(attemptInput(started.workspace, controller.signal), { ...recordingIO(), processStarted: (info) => void groups.push(info) });
    const pidFile = (name: string): number => Number(readFileSync(join(started.workspace, name), 'utf8').trim());
    // The shell creates each file before it writes the pid: wait for the pid, not only the file.
    await vi.waitFor(() => {
      expect(existsSync(join(started.workspace, 'sh.pid'))).toBe(true);
      expect(existsSync(join(started.workspace, 'bg.pid'))).toBe(true);
      expect(pidFile('sh.pid')).toBeGreaterThan(0);
      expect(pidFile('bg.pid')).toBeGreaterThan(0);
    }, { timeout: 10_000, interval: 20 });
    const shell = pidFile('sh.pid');
    const background = pidFile('bg.pid');
    expect(isRunning(background)).toBe(true);
    // The command's process group was reported for the attempt to record: the shell leads it.
    expect(groups).toEqual([{ pid: shell, processGroup: shell, startTime: expect.any(String) }]);
    controller.abort();
    const outcome = await running;
    expect(outcome.status).toBe('cancelled');
    await vi.waitFor(() => {
      expect(isRunning(shell)).toBe(false);
      expect(isRunning(background)).toBe(false);
    }, { timeout: 5_000, interval: 20 });
    expect(started.fake.messageRequests()).toHaveLength(1);
  });

  it('kills a command that outlives its timeout and reports it to the model', async () => {
    const started = await startWorker({ commandTimeoutMs: 300 });
    cleanup = started.cleanup;
    started.fake.enqueue(toolUseReply('run_command', { command: 'echo started; sleep 30' }), textReply('The command hung.'));
    const outcome = await started.backend.runAttempt(attemptInput(started.workspace, new AbortController().signal), recordingIO());
    expect(outcome.status).toBe('succeeded');
    const [result] = lastToolResults(started.fake.messageRequests()[1]!);
    expect(result?.is_error).toBe(true);
    expect(String(result?.content)).toBe('Error: the command timed out after 300 ms and was killed\nstarted\n');
  });

  it('fails as recoverable at the turn limit', async () => {
    const started = await startWorker();
    cleanup = started.cleanup;
    started.fake.script({ respond: () => toolUseReply('list_files', {}) });
    const outcome = await started.backend.runAttempt(attemptInput(started.workspace, new AbortController().signal, { maxTurns: 3 }), recordingIO());
    expect(outcome).toMatchObject({ status: 'failed', error: { errorClass: 'recoverable', message: 'The worker reached its turn limit (3) before finishing the task.' } });
    expect(started.fake.messageRequests()).toHaveLength(3);
  });

  it('stops at budget.max_usd_per_task by its own accounting, and fails as permanent saying which limit', async () => {
    const started = await startWorker({ maxBudgetUsd: 1 });
    cleanup = started.cleanup;
    // Each turn reports 30,000 output tokens of the worker model: $0.45 at Sonnet's $15 per million.
    started.fake.script({ respond: () => toolUseReply('list_files', {}, { usage: { output_tokens: 30_000 } }) });
    const outcome = await started.backend.runAttempt(attemptInput(started.workspace, new AbortController().signal, { maxTurns: 20 }), recordingIO());
    expect(outcome).toMatchObject({ status: 'failed', error: { errorClass: 'permanent' } });
    expect(outcome.status === 'failed' ? outcome.error.message : '').toMatch(/^the attempt reached its cost limit \(budget\.max_usd_per_task, \$1\.00\) after 3 turns \(\$1\.\d\d\); raise the limit or split the task\.$/);
    expect(started.fake.messageRequests()).toHaveLength(3);
    expect(outcome.costUsd).toBeGreaterThanOrEqual(1);
  });

  it('fails as permanent on a rejected key, without the key in the outcome or the logs', async () => {
    const started = await startWorker({ apiKey: SECRET_KEY }, { validApiKeys: ['sk-ant-other'] });
    cleanup = started.cleanup;
    const io = recordingIO();
    const outcome = await started.backend.runAttempt(attemptInput(started.workspace, new AbortController().signal), io);
    expect(outcome).toMatchObject({ status: 'failed', error: { errorClass: 'permanent' } });
    expect(outcome.status === 'failed' ? outcome.error.message : '').toMatch(/rejected the API key \(401\)/);
    expect(JSON.stringify({ outcome, events: io.events })).not.toContain(SECRET_KEY);
  });

  it('retries a mid-stream error itself and a 429 through the SDK, then finishes', async () => {
    const started = await startWorker();
    cleanup = started.cleanup;
    started.fake.enqueue(toolUseReply('write_file', { path: 'a.txt', content: 'a' }), textReply('Wrote a.txt.'));
    started.fake.failNext(1, { kind: 'mid_stream_error', afterEvents: 4 }, matchers.streaming);
    started.fake.failNext(1, { kind: 'rate_limit', retryAfterSeconds: 0 });
    const outcome = await started.backend.runAttempt(attemptInput(started.workspace, new AbortController().signal), recordingIO());
    expect(outcome.status).toBe('succeeded');
    expect(readFileSync(join(started.workspace, 'a.txt'), 'utf8')).toBe('a');
    expect(started.fake.messageRequests().map((request) => request.outcome)).toEqual(['fault:mid_stream_error', 'fault:rate_limit', 'script', 'script']);
  });

  it('ends as a recoverable failure when its own timeout passes', async () => {
    const started = await startWorker();
    cleanup = started.cleanup;
    started.fake.enqueue({ ...textReply('too late'), delayMs: 10_000 });
    const outcome = await started.backend.runAttempt(attemptInput(started.workspace, new AbortController().signal, { timeoutMs: 200 }), recordingIO());
    expect(outcome).toMatchObject({ status: 'failed', error: { errorClass: 'recoverable', message: 'The attempt timed out after 200 ms.' } });
  });
});
