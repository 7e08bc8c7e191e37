import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectRuntime, type ProjectRuntime } from '../../../src-main/runtime/project-runtime';
import { claudeTestEnv, lastToolResults, makeTempDir, makeTempGitRepo, matchers, startFakeAnthropic, textReply, toolUseReply, type FakeAnthropic } from '../../support/fake-anthropic';
import { afterToolResult, git, writeConfig } from './pipeline-support';

describe('the agent may run the project checks (real Claude Code CLI, fake API)', () => {
  let fake: FakeAnthropic;
  let repo: ReturnType<typeof makeTempGitRepo>;
  let home: ReturnType<typeof makeTempDir>;
  let runtime: ProjectRuntime | undefined;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    repo = makeTempGitRepo('co-allowed-');
    home = makeTempDir('co-allowed-home-');
    // The project's test script leaves a trace, so we can tell whether it ran.
    writeFileSync(join(repo.path, 'package.json'), JSON.stringify({ name: 'demo', private: true, scripts: { test: 'echo tests ran > tests-ran.txt' } }));
    git(repo.path, 'add', 'package.json');
    git(repo.path, 'commit', '-q', '-m', 'package.json');
    // The agent runs the tests, then reports.
    fake.script({
      match: matchers.hasTools,
      respond: (request) => (afterToolResult(request) ? textReply('Ran the tests.') : toolUseReply('Bash', { command: 'npm test', description: 'run the tests' })),
    });
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await fake.close();
    repo.cleanup();
    home.cleanup();
  });

  /** Runs one task with this config; returns what Claude Code answered to the agent's `npm test`. */
  async function runTask(config: Record<string, unknown>): Promise<string> {
    writeConfig(repo.path, { ...config, models: { enable_opus_review: false }, monitoring: { checkpoint_before_run: false }, execution: { max_workers: 1, max_retries: 0 } });
    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path), secretStore: null });
    runtime.orchestrator.addTask({ title: 'Run the tests' });
    await runtime.run();
    const answered = fake.messageRequests().find((request) => afterToolResult(request));
    expect(answered, 'the agent got an answer to its npm test').toBeDefined();
    return JSON.stringify(lastToolResults(answered!));
  }

  it('with checks.verify ["npm test"], the derived Bash(npm test:*) lets the agent run it under acceptEdits', { timeout: 120_000 }, async () => {
    const toolResult = await runTask({ checks: { verify: ['npm test'] } });
    expect(toolResult).not.toContain('requires approval');
    expect(toolResult).toContain('echo tests ran > tests-ran.txt');
    // The file the script wrote was committed with the attempt and merged into the user's branch.
    expect(readFileSync(join(repo.path, 'tests-ran.txt'), 'utf8')).toBe('tests ran\n');
  });

  it('without checks (nothing derived, nothing configured), Claude Code refuses the command', { timeout: 120_000 }, async () => {
    const toolResult = await runTask({});
    expect(toolResult).toContain('requires approval');
    expect(existsSync(join(repo.path, 'tests-ran.txt'))).toBe(false);
  });
});
