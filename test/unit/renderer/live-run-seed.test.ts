import { describe, expect, it } from 'vitest';
import { LiveRunStore } from '../../../src-renderer/features/runs/live-run-store';
import { LogRingBuffer, type LogLine } from '../../../src-renderer/features/runs/log-buffer';
import type { Attempt, Run } from '../../../src-shared/rpc/contract';

const run = { id: 'r1', goal: null, status: 'running', owner: 'o', maxWorkers: 2, taskIds: null, startedAt: 1, finishedAt: null, summary: null } as unknown as Run;
const attempt = (id: string, status = 'running') => ({ id, taskId: `t${id}`, number: 1, status, costUsd: 0 }) as unknown as Attempt;
const stored = (attemptId: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => ({ attemptId, seq: from + index, at: from + index, kind: 'stdout', text: `${attemptId}:${from + index}` }));
const pushed = (attemptId: string, seq: number): LogLine => ({ attemptId, taskId: `t${attemptId}`, seq, at: seq, kind: 'stdout', text: `${attemptId}:${seq}` });
const texts = (store: LiveRunStore, attemptId?: string) => store.logs.lines(attemptId).map((line) => line.text);

describe('LiveRunStore seeding (a Run view opened mid-run)', () => {
  it('shows the running attempts and their stored lines, then the lines pushed meanwhile, each once and in order', () => {
    const store = new LiveRunStore(undefined, 10);
    store.beginSeed();
    // Pushed while runs.status and attempts.logs were on their way; 9 and 10 are also in the stored tail.
    for (const seq of [9, 10, 11, 12]) store.log(pushed('a', seq));
    expect(store.logs.size).toBe(0);

    store.seed({ run, attempts: [{ attempt: attempt('a'), lines: stored('a', 1, 10) }] });
    store.flush();

    const snapshot = store.getSnapshot();
    expect(snapshot.lanes.map((lane) => [lane.attempt.id, lane.running])).toEqual([['a', true]]);
    expect(snapshot.lastRun).toEqual(run);
    expect(texts(store, 'a')).toEqual(Array.from({ length: 12 }, (_, index) => `a:${index + 1}`));
    expect(store.logs.lines('a').every((line) => line.taskId === 'ta')).toBe(true);
    // Later pushes continue the lane; a repeated line is dropped.
    store.log(pushed('a', 12));
    store.log(pushed('a', 13));
    expect(texts(store, 'a').slice(-2)).toEqual(['a:12', 'a:13']);
    store.dispose();
  });

  it('keeps what events said about a lane over the older seed', () => {
    const store = new LiveRunStore(undefined, 10);
    store.beginSeed();
    // The attempt finished (and another started) after runs.status answered.
    store.attemptFinished(attempt('a', 'succeeded'));
    store.attemptStarted(attempt('b'));
    store.seed({ run, attempts: [{ attempt: attempt('a'), lines: [] }, { attempt: attempt('b'), lines: stored('b', 1, 2) }] });
    store.flush();
    expect(store.getSnapshot().lanes.map((lane) => [lane.attempt.id, lane.running, lane.attempt.status])).toEqual([
      ['a', false, 'succeeded'],
      ['b', true, 'running'],
    ]);
    expect(texts(store, 'b')).toEqual(['b:1', 'b:2']);
    store.dispose();
  });

  it('shows the held lines when the seed cannot be fetched', () => {
    const store = new LiveRunStore(undefined, 10);
    store.beginSeed();
    store.log(pushed('a', 5));
    store.seedFailed();
    store.flush();
    expect(texts(store)).toEqual(['a:5']);
    expect(store.getSnapshot().logVersion).toBeGreaterThan(0);
    store.dispose();
  });

  it('stops holding lines once as many have waited as the buffer keeps, and then skips stored lines older than them', () => {
    const store = new LiveRunStore(new LogRingBuffer(100, 10), 10);
    store.beginSeed();
    for (let seq = 21; seq <= 30; seq += 1) store.log(pushed('a', seq));
    expect(texts(store)).toHaveLength(10);
    store.seed({ run, attempts: [{ attempt: attempt('a'), lines: stored('a', 1, 25) }] });
    expect(texts(store, 'a')).toEqual(Array.from({ length: 10 }, (_, index) => `a:${21 + index}`));
    store.dispose();
  });
});
