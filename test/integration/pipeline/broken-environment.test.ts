import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectRuntime, type ProjectRuntime } from '../../../src-main/runtime/project-runtime';
import { claudeTestEnv, makeTempDir, makeTempGitRepo, matchers, startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic';
import { writeFileTurn } from '../runtime/pipeline-support';
import { git, writeConfig } from './support';

describe('a broken environment stops the run once, with one clear message', () => {
  let fake: FakeAnthropic;
  let repo: ReturnType<typeof makeTempGitRepo>;
  let home: ReturnType<typeof makeTempDir>;
  let runtime: ProjectRuntime | undefined;

  beforeEach(async () => {
    fake = await startFakeAnthropic({ validApiKeys: ['sk-ant-the-right-one'] });
    repo = makeTempGitRepo('co-broken-');
    home = makeTempDir('co-broken-home-');
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await fake.close();
    repo.cleanup();
    home.cleanup();
  });

  const fiveTasks = () => Array.from({ length: 5 }, (_, index) => ({ title: `Task ${index + 1}` }));

  it('claude missing: one attempt, the run stops naming the fix, every task is still ready and uncounted', { timeout: 300_000 }, async () => {
    writeConfig(repo.path, { models: { enable_opus_review: false }, execution: { max_workers: 1 }, claude_cli: { path: '/nowhere/claude' } });
    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path, { ANTHROPIC_API_KEY: 'sk-ant-the-right-one' }) });
    runtime.orchestrator.addTasksBatch(fiveTasks());
    const run = await runtime.run();
    expect(run.status).toBe('failed');
    expect(runtime.orchestrator.store.runs.get(run.id)?.summary).toMatch(/^the run stopped: .*\/nowhere\/claude/);
    // The summary people read leads with why the run stopped.
    expect(run.summary.split('\n')[1]).toMatch(/^Stopped: .*\/nowhere\/claude/);
    const tasks = runtime.orchestrator.listTasks();
    expect(tasks.map((task) => [task.status, task.failures])).toEqual(Array(5).fill(['ready', 0]));
    expect(tasks.flatMap((task) => runtime?.orchestrator.store.attempts.listForTask(task.id) ?? [])).toHaveLength(1);
  });

  it('authentication refused: the run stops at the first attempt instead of failing each task in turn', { timeout: 300_000 }, async () => {
    writeConfig(repo.path, { models: { enable_opus_review: false }, execution: { max_workers: 1 } });
    fake.script({ match: matchers.hasTools, respond: (request) => writeFileTurn(request, 'x.txt', 'x\n') });
    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path, { ANTHROPIC_API_KEY: 'sk-ant-a-wrong-key' }) });
    runtime.orchestrator.addTasksBatch(fiveTasks());
    const run = await runtime.run();
    expect(run.status).toBe('failed');
    expect(runtime.orchestrator.store.runs.get(run.id)?.summary).toMatch(/^the run stopped: .*(authenticate|API key)/);
    expect(run.report.stopped).toMatch(/authenticate|API key/);
    expect(run.summary).toMatch(/\nStopped: .*(authenticate|API key)/);
    expect(runtime.orchestrator.listTasks().every((task) => task.status === 'ready' && task.failures === 0)).toBe(true);
    expect(runtime.orchestrator.listTasks().flatMap((task) => runtime?.orchestrator.store.attempts.listForTask(task.id) ?? [])).toHaveLength(1);
  });

  it('a repository without commits: the run does not start, and says how to fix it', { timeout: 300_000 }, async () => {
    git(repo.path, 'update-ref', '-d', 'HEAD');
    writeConfig(repo.path, { execution: { max_workers: 1 } });
    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path) });
    runtime.orchestrator.addTasksBatch(fiveTasks());
    await expect(runtime.run()).rejects.toThrow('The repository has no commit yet, so a run has nothing to start from. Commit once');
    expect(runtime.orchestrator.listTasks().every((task) => task.status === 'pending' || task.status === 'ready')).toBe(true);
  });
});
