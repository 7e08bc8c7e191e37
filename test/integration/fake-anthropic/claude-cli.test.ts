import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLAUDE_BIN, claudeTestEnv, lastToolResults, makeTempDir, makeTempGitRepo, matchers, startFakeAnthropic, textReply, toolUseReply } from '../../support/fake-anthropic';
import type { FakeAnthropic } from '../../support/fake-anthropic';

const MODEL = 'claude-sonnet-4-6';

describe('fake Anthropic server with the real Claude Code CLI', () => {
  let fake: FakeAnthropic;
  let repo: ReturnType<typeof makeTempGitRepo>;
  let home: ReturnType<typeof makeTempDir>;

  beforeEach(async () => {
    fake = await startFakeAnthropic({ validApiKeys: ['sk-ant-test'] });
    repo = makeTempGitRepo();
    home = makeTempDir('co-home-');
  });
  afterEach(async () => {
    await fake.close();
    repo.cleanup();
    home.cleanup();
  });

  const runClaude = (prompt: string, extraEnv: Readonly<Record<string, string>> = {}) =>
    execa(CLAUDE_BIN, ['-p', prompt, '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits', '--model', MODEL], {
      cwd: repo.path,
      env: claudeTestEnv(fake, home.path, extraEnv),
      extendEnv: false,
      stdin: 'ignore',
      reject: false,
      timeout: 45_000,
    });

  it('runs a scripted Write tool call for real and reports the final text', async () => {
    const target = join(repo.path, 'src', 'greeting.txt');
    const agent = fake.script({
      match: matchers.hasTools,
      replies: [
        toolUseReply('Write', { file_path: target, content: 'Hello from the fake model\n' }, { text: 'Writing the file.' }),
        textReply('The file is written.'),
      ],
    });
    const result = await runClaude('Create src/greeting.txt');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('Hello from the fake model\n');

    const events = result.stdout.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as { type: string; subtype?: string; result?: string });
    expect(events[0]).toMatchObject({ type: 'system', subtype: 'init' });
    expect(events.at(-1)).toMatchObject({ type: 'result', subtype: 'success', is_error: false, result: 'The file is written.' });

    expect(fake.requests[0]).toMatchObject({ method: 'HEAD', path: '/' });
    expect(agent.remaining).toBe(0);
    const [first, second] = agent.answered;
    expect(first?.body?.stream).toBe(true);
    expect(first?.headers['x-api-key']).toBe('sk-ant-test');
    expect(first?.body?.tools?.map((tool) => tool.name)).toEqual(expect.arrayContaining(['Write', 'Edit', 'Bash', 'Read']));
    const toolResults = second === undefined ? [] : lastToolResults(second);
    expect(toolResults).toHaveLength(1);
    expect(toolResults[0]?.is_error ?? false).toBe(false);
  });

  it('survives an overloaded answer, a mid-stream error and a reset because the CLI retries them', async () => {
    const target = join(repo.path, 'after-faults.txt');
    fake.script({ match: matchers.hasTools, replies: [toolUseReply('Write', { file_path: target, content: 'written anyway\n' }), textReply('Finished.')] });
    fake.failNext(3, [{ kind: 'overloaded' }, { kind: 'mid_stream_error' }, { kind: 'connection_reset' }], matchers.hasTools);
    const result = await runClaude('Write after-faults.txt', { CLAUDE_CODE_MAX_RETRIES: '4' });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('written anyway\n');
    expect(fake.messageRequests().map((request) => request.outcome)).toEqual(['fault:overloaded', 'fault:mid_stream_error', 'fault:connection_reset', 'script', 'script']);
    expect(result.stdout).toContain('"subtype":"api_retry"');
  });
});
