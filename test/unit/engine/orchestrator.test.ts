import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AgentNotFoundError, ConfigurationError, InvalidInputError, InvalidStateError, OrchestrationError, TaskNotFoundError } from '../../../src-main/engine/errors';
import { InProcessBackend } from '../../../src-main/engine/in-process-backend';
import { Orchestrator } from '../../../src-main/engine/orchestrator';
import { StateFileError } from '../../../src-main/engine/state-file';
import { temporaryFolder } from './helpers';

function orchestrator(extra: Partial<ConstructorParameters<typeof Orchestrator>[0]> = {}) {
  return new Orchestrator({ workingDirectory: temporaryFolder(), backend: new InProcessBackend(), pollMs: 20, ...extra });
}

describe('Orchestrator facade', () => {
  it('stores the project in <workingDirectory>/.orchestrator/state.db and reports status in both vocabularies', async () => {
    const folder = temporaryFolder();
    const o = new Orchestrator({ workingDirectory: folder, maxWorkers: 2 });
    o.initialize('Build a todo app', '1. API 2. UI');
    o.addTasksBatch(['Design the API\nwith REST', { title: 'UI', dependencies: ['1'], priority: 8 }]);
    expect(o.store.db.name).toBe(path.join(folder, '.orchestrator', 'state.db'));
    expect(o.getTask('1').title).toBe('Design the API');
    expect(o.getTask('2').priority).toBe('high');
    expect(o.getStatus()).toMatchObject({ goal: 'Build a todo app', total: 2, maxWorkers: 2, running: false, seedCounts: { available: 2 } });
    await o.close();
  });

  it('the manual worker protocol: claimTask / completeTask / failTask', async () => {
    const o = orchestrator();
    o.addTasksBatch([{ title: 'a' }, { title: 'b', dependencies: ['1'] }, { title: 'c' }]);
    expect(o.nextTask()?.id).toBe('1');
    const first = o.claimTask('agent-1');
    expect(first).toMatchObject({ id: '1', status: 'in_progress', leaseOwner: 'agent-1' });
    expect(() => o.completeTask('1', {}, 'agent-2')).toThrow(AgentNotFoundError);
    expect(() => o.completeTask('2')).toThrow(InvalidStateError);
    expect(() => o.completeTask('404')).toThrow(TaskNotFoundError);
    expect(o.completeTask('1', { output: 'done', filesCreated: ['a.ts'] }, 'agent-1')).toMatchObject({ status: 'done', result: { output: 'done', filesCreated: ['a.ts'] } });
    expect(o.getTask('2').status).toBe('ready');
    const third = o.claimTask('agent-2');
    expect(third?.id).toBe('2');
    o.failTask('2', 'compiler error');
    expect(o.getTask('2')).toMatchObject({ status: 'failed', statusReason: 'compiler error' });
    expect(o.claimTask('agent-3')?.id).toBe('3');
    expect(o.claimTask('agent-3')).toBeNull();
    await o.close();
  });

  it('failTask with a transient error puts the task back to ready after a backoff, within max_retries', async () => {
    const o = orchestrator();
    o.addTask('flaky');
    o.claimTask('agent');
    const task = o.failTask('1', '503 from the API', 'agent', 'transient');
    expect(task).toMatchObject({ status: 'ready', failures: 1 });
    expect(task.notBefore).toBeGreaterThan(Date.now());
    expect(task.statusReason).toContain('503 from the API');
    expect(() => o.failTask('1', 'again')).toThrow('task 1 is ready, not claimed by a worker');
    await o.close();
  });

  it('calls onTaskComplete and onDiscovery', async () => {
    const onTaskComplete = vi.fn();
    const onDiscovery = vi.fn();
    const o = orchestrator({
      onTaskComplete,
      onDiscovery,
      backend: new InProcessBackend(() => ({ discoveries: [{ summary: 'tests use vitest', tags: ['test'], files: ['vitest.config.ts'] }] })),
    });
    const run = await o.runWithPredefinedTasks(['set up tests']);
    expect(run.status).toBe('succeeded');
    expect(onTaskComplete).toHaveBeenCalledWith(expect.objectContaining({ id: '1', status: 'done' }));
    expect(onDiscovery).toHaveBeenCalledWith(expect.objectContaining({ summary: 'tests use vitest', taskId: '1' }));
    expect(o.getDiscoveries()).toHaveLength(1);
    expect(o.getTask('1').result?.discoveryIds).toEqual([o.getDiscoveries()[0]?.id]);
    await o.close();
  });

  it('stores subtasks a worker created under its task, and runs them in the same run', async () => {
    const o = orchestrator({
      backend: new InProcessBackend((input) => (input.task.id === '1' ? { subtasksCreated: [{ title: 'follow-up', description: 'add docs' }] } : {})),
    });
    o.addTask('feature');
    expect((await o.run()).status).toBe('succeeded');
    expect(o.getTask('1').result?.subtasksCreated).toEqual(['1.1']);
    expect(o.getTask('1.1')).toMatchObject({ parentId: '1', title: 'follow-up', status: 'done' });
    await o.close();
  });

  it('runWithLeaderPlanning needs the manager, and uses a planner when given one', async () => {
    const o = orchestrator();
    await expect(o.runWithLeaderPlanning('goal')).rejects.toThrow(ConfigurationError);
    await expect(o.runWithLeaderPlanning('goal')).rejects.toThrow('runWithLeaderPlanning needs the manager');
    await o.close();
    const planned = orchestrator({ planner: async (goal) => [{ title: `plan for ${goal}` }, { title: 'then', dependencies: ['1'] }] });
    const run = await planned.runWithLeaderPlanning('ship');
    expect(run.status).toBe('succeeded');
    expect(planned.listTasks().map((task) => task.title)).toEqual(['plan for ship', 'then']);
    await planned.close();
  });

  it('refuses bad options and a start without a backend', async () => {
    expect(() => new Orchestrator({ workingDirectory: temporaryFolder(), maxWorkers: 0 })).toThrow(ConfigurationError);
    expect(() => new Orchestrator({ workingDirectory: temporaryFolder(), maxWorkers: 0 })).toThrow('option maxWorkers');
    const o = new Orchestrator({ workingDirectory: temporaryFolder() });
    expect(() => o.start()).toThrow('no worker backend configured');
    expect(() => o.initialize('')).toThrow(InvalidInputError);
    await o.close();
  });

  it('refuses a second run at the same time', async () => {
    const o = orchestrator({ backend: new InProcessBackend(() => ({ durationMs: 60_000 })) });
    o.addTask('x');
    o.start();
    expect(() => o.start()).toThrow(OrchestrationError);
    await o.stop();
    await o.close();
  });
});

describe('saveState / loadState', () => {
  it('round-trips tasks, statuses, results and the goal', async () => {
    const source = orchestrator();
    source.initialize('goal', 'plan');
    source.addTasksBatch([{ title: 'a', acceptanceCriteria: ['works'] }, { title: 'b', dependencies: ['1'] }, { title: 'c', dependencies: ['2'] }]);
    source.claimTask('w');
    source.completeTask('1', { output: 'ok' });
    source.claimTask('w');
    const file = path.join(temporaryFolder(), 'state.json');
    await source.saveState(file);
    await source.close();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'claude-orchestrator-state', version: 1, goal: 'goal' });

    const target = orchestrator();
    target.addTask('will be replaced');
    await target.loadState(file);
    expect(target.listTasks().map((task) => [task.id, task.status])).toEqual([
      ['1', 'done'],
      ['2', 'ready'],
      ['3', 'pending'],
    ]);
    expect(target.getTask('1')).toMatchObject({ acceptanceCriteria: ['works'], result: { output: 'ok' } });
    expect(target.getStatus().goal).toBe('goal');
    await target.close();
  });

  it.each([
    ['a wrong version', { format: 'claude-orchestrator-state', version: 2, tasks: [] }, 'has state file version 2; this version of Claude Orchestrator reads version 1'],
    ['another kind of file', { tasks: [] }, 'is not a Claude Orchestrator state file'],
    ['a cycle', { format: 'claude-orchestrator-state', version: 1, savedAt: 'x', goal: null, masterPlan: null, tasks: [{ id: 'a', title: 'a', status: 'pending', dependencies: ['b'] }, { id: 'b', title: 'b', status: 'pending', dependencies: ['a'] }] }, 'dependency cycle: a → b → a'],
    ['an invalid status', { format: 'claude-orchestrator-state', version: 1, savedAt: 'x', goal: null, masterPlan: null, tasks: [{ id: 'a', title: 'a', status: 'finished' }] }, 'invalid status "finished"'],
  ])('refuses %s clearly and changes nothing', async (_, content, message) => {
    const o = orchestrator();
    o.addTasksBatch(['keep me', 'and me']);
    const file = path.join(temporaryFolder(), 'state.json');
    writeFileSync(file, JSON.stringify(content));
    await expect(o.loadState(file)).rejects.toThrow(message);
    expect(o.listTasks().map((task) => task.title)).toEqual(['keep me', 'and me']);
    await o.close();
  });

  it('reports an unreadable file as a StateFileError', async () => {
    const o = orchestrator();
    await expect(o.loadState(path.join(temporaryFolder(), 'missing.json'))).rejects.toThrow(StateFileError);
    await o.close();
  });
});
