import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectRuntime, type ProjectRuntime } from '../../../src-main/runtime/project-runtime';
import { claudeTestEnv, makeTempDir, makeTempGitRepo, matchers, startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic';
import { writeConfig, writeFileTurn } from './pipeline-support';

/** What Claude Code puts in its context when it reads the checkout's git status and log at start. */
const GIT_STATUS_CONTEXT = 'This is the git status at the start of the conversation';

describe("the agent's git work in the pipeline (real Claude Code CLI, fake API)", () => {
  let fake: FakeAnthropic;
  let repo: ReturnType<typeof makeTempGitRepo>;
  let home: ReturnType<typeof makeTempDir>;
  let runtime: ProjectRuntime | undefined;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    repo = makeTempGitRepo('co-git-context-');
    home = makeTempDir('co-git-context-home-');
    fake.script({ match: matchers.hasTools, respond: (request) => writeFileTurn(request, 'done.txt', 'done\n') });
    writeConfig(repo.path, { models: { enable_opus_review: false }, monitoring: { checkpoint_before_run: false }, execution: { max_workers: 1, max_retries: 0 } });
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await fake.close();
    repo.cleanup();
    home.cleanup();
  });

  async function firstAgentRequest(env: Record<string, string> = {}): Promise<string> {
    runtime = await openProjectRuntime({ projectDir: repo.path, env: { ...claudeTestEnv(fake, home.path), ...env }, secretStore: null });
    runtime.orchestrator.addTask({ title: 'Write done.txt' });
    await runtime.run();
    expect(readFileSync(join(repo.path, 'done.txt'), 'utf8')).toBe('done\n');
    const request = fake.messageRequests().find((recorded) => matchers.hasTools(recorded));
    expect(request, 'the agent made a request').toBeDefined();
    return JSON.stringify(request?.body ?? {});
  }

  it('does not make Claude Code scan the checkout for its git status and log (the pipeline owns commits)', { timeout: 120_000 }, async () => {
    expect(await firstAgentRequest()).not.toContain(GIT_STATUS_CONTEXT);
  });

  it("reports the task's files from its commit, without the backend scanning the checkout", { timeout: 120_000 }, async () => {
    // Every git process of this test worker (and its children) traced: none may scan the checkout for the backend.
    const trace = makeTempDir('co-git-trace-');
    process.env['GIT_TRACE2_EVENT'] = trace.path;
    try {
      await firstAgentRequest();
    } finally {
      delete process.env['GIT_TRACE2_EVENT'];
    }
    const commands = readdirSync(trace.path).flatMap((file) =>
      readFileSync(join(trace.path, file), 'utf8')
        .split('\n')
        .filter((line) => line.includes('"event":"start"'))
        .map((line) => (JSON.parse(line) as { argv: string[] }).argv.join(' ')),
    );
    trace.cleanup();
    expect(commands.some((command) => command.includes('commit')), 'the trace saw the pipeline commit').toBe(true);
    expect(commands.filter((command) => command.includes('status --porcelain=v1'))).toEqual([]);
    const [task] = runtime?.orchestrator.listTasks() ?? [];
    expect(task?.status).toBe('done');
    expect(task?.result).toMatchObject({ filesCreated: ['done.txt'], filesModified: [] });
  });

  it("keeps the user's own CLAUDE_CODE_DISABLE_GIT_INSTRUCTIONS", { timeout: 120_000 }, async () => {
    expect(await firstAgentRequest({ CLAUDE_CODE_DISABLE_GIT_INSTRUCTIONS: '0' })).toContain(GIT_STATUS_CONTEXT);
  });
});
