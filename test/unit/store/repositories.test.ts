import { formatCostLabel } from '../../../src-shared/domain/usage';
import { describe, expect, it } from 'vitest';
import { Store } from '../../../src-main/store/store';
import { temporaryDatabasePath } from '../engine/helpers';

function storeWithTask(): Store {
  const store = Store.open(temporaryDatabasePath());
  store.write(() => {
    store.tasks.insert({ id: '1', parentId: null, title: 't', description: '', details: '', testStrategy: '', acceptanceCriteria: ['a'], priority: 'high', status: 'ready', contextFiles: ['src/a.ts'], hints: [], sourceRef: null }, 1);
    store.runs.insert({ id: 'r', goal: null, owner: 'o', maxWorkers: 1, taskIds: null, startedAt: 1 });
    store.attempts.insert({ id: 'a1', taskId: '1', runId: 'r', number: 1, backend: 'in-process', workerOwner: 'o' }, 2);
  });
  return store;
}

describe('repositories', () => {
  it('round-trip a task with its JSON columns', () => {
    const store = storeWithTask();
    expect(store.tasks.get('1')).toMatchObject({ id: '1', acceptanceCriteria: ['a'], contextFiles: ['src/a.ts'], priority: 'high', status: 'ready', dependencies: [] });
    store.close();
  });

  it('claim only once: a second claim finds nothing', () => {
    const store = storeWithTask();
    expect(store.write(() => store.leases.claimNextReady('w1', 'x1', 10, 100, null))?.leaseOwner).toBe('w1');
    expect(store.write(() => store.leases.claimNextReady('w2', 'x2', 10, 100, null))).toBeUndefined();
    store.close();
  });

  it('fence transitions by attempt id', () => {
    const store = storeWithTask();
    store.write(() => store.leases.claimNextReady('w1', 'x1', 10, 100, null));
    expect(store.leases.transitionLeased('1', 'stale', 'in_progress', 11)).toBe(false);
    expect(store.leases.transitionLeased('1', 'x1', 'in_progress', 11)).toBe(true);
    expect(store.tasks.get('1')?.status).toBe('in_progress');
    store.close();
  });

  it('log events are append-only and written in batches', () => {
    const store = storeWithTask();
    for (let seq = 1; seq <= 450; seq += 1) store.logWriter.push({ attemptId: 'a1', seq, at: seq, kind: 'assistant.text', text: `line ${seq}`, data: { seq } });
    expect(store.logEvents.listForAttempt('a1')).toHaveLength(400);
    store.logWriter.flush();
    const events = store.logEvents.listForAttempt('a1', 440);
    expect(events.map((event) => event.seq)).toEqual([441, 442, 443, 444, 445, 446, 447, 448, 449, 450]);
    expect(events[0]?.data).toEqual({ seq: 441 });
    expect(() => store.db.prepare("UPDATE log_events SET text = 'x'").run()).toThrow('log_events is append-only');
    store.close();
  });

  it('attempts record workspace, outcome and usage; usage totals roll up per task, run and project', () => {
    const store = storeWithTask();
    store.attempts.setWorkspace('a1', { workingDirectory: '/w', branch: 'orchestrator/1', commitBefore: 'abc' });
    const usage = { inputTokens: 10, outputTokens: 5, cacheCreationInputTokens: 1, cacheReadInputTokens: 100 };
    store.attempts.finish('a1', { status: 'failed', errorClass: 'transient', errorMessage: '529 overloaded', usage, costUsd: 0.25, sessionId: 's1', exitCode: 1 }, 3);
    expect(store.attempts.finish('a1', { status: 'succeeded' }, 4)).toBe(false);
    expect(store.attempts.get('a1')).toMatchObject({ status: 'failed', branch: 'orchestrator/1', commitBefore: 'abc', sessionId: 's1', errorClass: 'transient', usage, costUsd: 0.25, exitCode: 1 });
    store.usage.insert({ source: 'worker', runId: 'r', taskId: '1', attemptId: 'a1', model: 'm', usage, costUsd: 0.25 }, 3);
    store.usage.insert({ source: 'manager', runId: 'r', taskId: null, attemptId: null, model: 'm', usage, costUsd: 1 }, 3);
    expect(store.usage.totalsForTask('1').costUsd).toBe(0.25);
    expect(store.usage.totalsForRun('r')).toEqual({ usage: { inputTokens: 20, outputTokens: 10, cacheCreationInputTokens: 2, cacheReadInputTokens: 200 }, costUsd: 1.25, estimated: false, unpriced: false });
    expect(store.usage.totalsForProject().costUsd).toBe(1.25);
    // What a figure is travels with it: an estimate (Claude Code on a subscription) or usage without a price.
    store.runs.insert({ id: 'r2', goal: null, owner: 'o', maxWorkers: 1, taskIds: null, startedAt: 4 });
    store.usage.insert({ source: 'worker', runId: 'r2', taskId: '1', attemptId: null, model: 'm', usage, costUsd: 0.5, costKind: 'estimated' }, 4);
    store.usage.insert({ source: 'manager', runId: 'r2', taskId: null, attemptId: null, model: 'unknown-model', usage, costUsd: 0, costKind: 'unpriced' }, 4);
    expect(store.usage.totalsForRun('r2')).toMatchObject({ costUsd: 0.5, estimated: true, unpriced: true });
    expect(store.usage.totalsForRun('r')).toMatchObject({ estimated: false, unpriced: false });
    expect(formatCostLabel(0.5, store.usage.totalsForRun('r2'))).toBe('$0.5000 (estimated) + unpriced usage');
    expect(formatCostLabel(1.25, store.usage.totalsForRun('r'))).toBe('$1.2500');
    store.close();
  });

  it('discoveries are found by shared tags or files', () => {
    const store = storeWithTask();
    store.discoveries.insert({ taskId: '1', attemptId: 'a1', runId: 'r', summary: 'uses pnpm', details: null, tags: ['build'], files: ['package.json'], createdAt: 1 });
    store.discoveries.insert({ taskId: '1', attemptId: 'a1', runId: 'r', summary: 'db in WAL', details: null, tags: ['db'], files: [], createdAt: 2 });
    expect(store.discoveries.relevantTo(['db'], []).map((d) => d.summary)).toEqual(['db in WAL']);
    expect(store.discoveries.relevantTo([], ['package.json']).map((d) => d.summary)).toEqual(['uses pnpm']);
    expect(store.discoveries.relevantTo([], [])).toEqual([]);
    store.close();
  });

  it('two connections share the database (busy_timeout, WAL)', () => {
    const file = temporaryDatabasePath();
    const first = Store.open(file);
    const second = Store.open(file);
    first.meta.set('goal', 'ship it');
    expect(second.meta.get('goal')).toBe('ship it');
    first.close();
    second.close();
  });
});
