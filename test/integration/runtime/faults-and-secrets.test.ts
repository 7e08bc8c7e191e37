import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectRuntime, type ProjectRuntime } from '../../../src-main/runtime/project-runtime';
import { claudeTestEnv, makeTempDir, makeTempGitRepo, matchers, startFakeAnthropic, textReply, type FakeAnthropic } from '../../support/fake-anthropic';
import { afterToolResult, writeConfig, writeFileTurn } from './pipeline-support';

/** Every file under a folder, recursively. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('runs against a flaky API, and secrets', () => {
  let fake: FakeAnthropic;
  let project: ReturnType<typeof makeTempDir>;
  let home: ReturnType<typeof makeTempDir>;
  let runtime: ProjectRuntime | undefined;

  beforeEach(async () => {
    project = makeTempDir('co-flaky-');
    home = makeTempDir('co-flaky-home-');
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await fake.close();
    project.cleanup();
    home.cleanup();
  });

  it('completes a 20-task run with 30% of API requests failing: every task done exactly once, retries recorded', { timeout: 240_000 }, async () => {
    fake = await startFakeAnthropic();
    fake.script({
      match: matchers.hasTools,
      respond: (request) => {
        const id = /Carry out task (\d+):/.exec(JSON.stringify(request.body?.messages ?? ''))?.[1] ?? 'x';
        return writeFileTurn(request, `out-${id}.txt`, `task ${id}\n`);
      },
    });
    fake.failRandomly({
      probability: 0.3,
      seed: 20261125,
      match: matchers.hasTools,
      faults: [
        { kind: 'rate_limit', retryAfterSeconds: 0 },
        { kind: 'overloaded' },
        { kind: 'server_error' },
        { kind: 'connection_reset' },
        { kind: 'mid_stream_error', afterEvents: 3 },
      ],
    });
    const repo = makeTempGitRepo('co-flaky-repo-');
    project.cleanup();
    project = repo;
    // The fake answers only worker turns here; the manager's review is another test's subject.
    writeConfig(project.path, { models: { enable_opus_review: false }, execution: { max_workers: 4, max_retries: 8, retry_base_delay: 0.05, retry_max_delay: 0.2 }, monitoring: { checkpoint_before_run: false } });
    runtime = await openProjectRuntime({ projectDir: project.path, env: claudeTestEnv(fake, home.path, { CLAUDE_CODE_MAX_RETRIES: '2' }) });
    const orchestrator = runtime.orchestrator;
    orchestrator.addTasksBatch(Array.from({ length: 20 }, (_, index) => ({ title: `Write file ${index + 1}` })));

    const run = await runtime.run();
    expect(run.status).toBe('succeeded');
    const tasks = orchestrator.listTasks();
    expect(tasks.filter((task) => task.status === 'done')).toHaveLength(20);
    for (const task of tasks) {
      const succeeded = orchestrator.store.attempts.listForTask(task.id).filter((attempt) => attempt.status === 'succeeded');
      expect(succeeded, `task ${task.id}`).toHaveLength(1);
      expect(readFileSync(join(project.path, `out-${task.id}.txt`), 'utf8')).toBe(`task ${task.id}\n`);
    }
    const faulted = fake.requests.filter((request) => request.outcome.startsWith('fault:')).length;
    expect(faulted).toBeGreaterThan(5);
    // Retries are on record: the CLI's own api_retry events, and attempts the engine retried after the CLI gave up.
    const attempts = tasks.flatMap((task) => orchestrator.store.attempts.listForTask(task.id));
    const retryLogs = attempts.flatMap((attempt) => orchestrator.store.logEvents.listForAttempt(attempt.id)).filter((event) => /api_retry|retry/i.test(event.kind + event.text));
    expect(retryLogs.length + (attempts.length - 20)).toBeGreaterThan(0);
  });

  it('never stores or reports the API key: logs, database, state file and error messages are clean', { timeout: 180_000 }, async () => {
    const key = `sk-ant-api03-${'Zx9'.repeat(30)}-AA`;
    fake = await startFakeAnthropic();
    fake.script({
      match: matchers.hasTools,
      respond: (request) => {
        if (afterToolResult(request)) return textReply(`Finished. For the record the key was ${key} and Bearer ${key}.`);
        return writeFileTurn(request, 'leak.txt', 'no secrets here\n');
      },
    });
    writeConfig(project.path, { git: { enabled: false }, execution: { max_retries: 0 } });
    runtime = await openProjectRuntime({ projectDir: project.path, env: { ...claudeTestEnv(fake, home.path), ANTHROPIC_API_KEY: key } });
    const orchestrator = runtime.orchestrator;
    orchestrator.addTask({ title: 'Echo the key' });
    await runtime.run();
    expect(orchestrator.getTask('1').status).toBe('done');
    // The model's words were stored (so the scan below has something to find), with the key masked.
    const [attempt] = orchestrator.store.attempts.listForTask('1');
    const stored = orchestrator.store.logEvents.listForAttempt(attempt?.id ?? '').map((event) => event.text).join('\n');
    expect(stored).toContain('For the record the key was');
    expect(stored).not.toContain(key);

    // A failing call: the server refuses the key; the error must not quote it.
    await fake.close();
    fake = await startFakeAnthropic({ validApiKeys: ['sk-ant-api03-other'] });
    await runtime.close();
    runtime = await openProjectRuntime({ projectDir: project.path, env: { ...claudeTestEnv(fake, home.path), ANTHROPIC_API_KEY: key } });
    runtime.orchestrator.addTask({ title: 'Refused' });
    const stopped = await runtime.run();
    // A refused key stops the run once (the task waits, uncounted); nothing it reports quotes the key.
    const refused = runtime.orchestrator.getTask('2');
    expect(refused.status).toBe('ready');
    expect(refused.statusReason ?? '').toMatch(/^the run stopped: .*(API key|authenticate)/);
    expect(refused.statusReason ?? '').not.toContain(key);
    expect(stopped.summary ?? '').not.toContain(key);
    const [refusedAttempt] = runtime.orchestrator.store.attempts.listForTask('2');
    expect(refusedAttempt?.errorMessage ?? '').not.toContain(key);
    const managerError = await runtime.manager().parsePrd('# A PRD\nBuild a thing.').catch((error: unknown) => error as Error);
    expect(managerError).toBeInstanceOf(Error);
    expect(String((managerError as Error).message)).not.toContain(key);

    const stateFile = join(project.path, 'state.json');
    await runtime.orchestrator.saveState(stateFile);
    await runtime.close();
    runtime = undefined;

    const scanned = [...filesUnder(join(project.path, '.orchestrator')), stateFile];
    expect(scanned.some((file) => file.endsWith('state.db'))).toBe(true);
    const secretPart = key.slice(14, 40);
    for (const file of scanned) {
      expect(readFileSync(file).includes(secretPart), `${file} contains the API key`).toBe(false);
    }
  });
});
