import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClaudeCliBackend } from '../../../src-main/agents/claude-cli';
import type { ClaudeCliBackendOptions } from '../../../src-main/agents/claude-cli';
import { CLAUDE_BIN, claudeTestEnv, makeTempDir, makeTempGitRepo, matchers, startFakeAnthropic, textReply, toolUseReply } from '../../support/fake-anthropic';
import type { FakeAnthropic } from '../../support/fake-anthropic';
import { isAlive, makeInput, recordingIO } from './support';

describe('Claude Code CLI worker backend (real CLI, fake API)', () => {
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

  const backend = (options: ClaudeCliBackendOptions = {}) =>
    createClaudeCliBackend({ claudePath: CLAUDE_BIN, env: claudeTestEnv(fake, home.path), inheritEnv: false, killGraceMs: 2_000, ...options });

  it('really changes files through scripted Write, Edit and Bash calls, and reports session, usage, cost and discoveries', async () => {
    const file = join(repo.path, 'greeting.txt');
    writeFileSync(join(repo.path, 'notes.md'), 'dirty before the attempt\n');
    writeFileSync(join(repo.path, 'untouched.md'), 'dirty before, not touched\n');
    const agent = fake.script({
      match: matchers.hasTools,
      replies: [
        toolUseReply('Write', { file_path: file, content: 'hello world\n' }, { text: 'Creating the file.' }),
        toolUseReply('Edit', { file_path: file, old_string: 'world', new_string: 'orchestrator' }),
        toolUseReply('Bash', { command: 'mkdir -p out && wc -l < greeting.txt > out/lines.txt && echo more >> README.md && echo more >> notes.md', description: 'count lines' }),
        textReply('Done: greeting written.\n\n```discoveries\n[{"summary":"greeting.txt holds the greeting","tags":["docs"],"files":["greeting.txt"]},{"tags":["broken"]}]\n```'),
      ],
    });
    const io = recordingIO();
    const outcome = await backend().runAttempt(makeInput(repo.path), io);

    expect(outcome.status, JSON.stringify(outcome)).toBe('succeeded');
    expect(readFileSync(file, 'utf8')).toBe('hello orchestrator\n');
    expect(readFileSync(join(repo.path, 'out', 'lines.txt'), 'utf8').trim()).toBe('1');
    expect(outcome.filesCreated).toEqual(['greeting.txt', 'out/lines.txt']);
    expect(outcome.filesModified).toEqual(['README.md', 'notes.md']);
    if (outcome.status === 'succeeded') expect(outcome.output).toContain('Done: greeting written.');

    expect(outcome.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(outcome.usage.inputTokens + outcome.usage.cacheReadInputTokens + outcome.usage.cacheCreationInputTokens).toBeGreaterThan(1000);
    expect(outcome.usage.cacheReadInputTokens).toBeGreaterThan(0);
    expect(outcome.usage.outputTokens).toBeGreaterThan(0);
    expect(outcome.costUsd).toBeGreaterThan(0);
    expect(io.usages.at(-1)?.costUsd).toBe(outcome.costUsd);

    expect(outcome.discoveries).toEqual([{ summary: 'greeting.txt holds the greeting', tags: ['docs'], files: ['greeting.txt'] }]);
    expect(io.discoveries).toEqual(outcome.discoveries);
    expect(io.logs.some((log) => log.kind === 'discoveries' && log.text.includes('Discovery 2 was dropped'))).toBe(true);

    const kinds = io.logs.map((log) => log.kind);
    expect(kinds).toEqual(expect.arrayContaining(['system', 'assistant.text', 'tool_use', 'tool_result', 'result']));
    expect(io.logs.filter((log) => log.kind === 'tool_use').map((log) => log.text.split(' ')[0])).toEqual(['Write', 'Edit', 'Bash']);

    // The task context reached the model through the appended system prompt.
    const system = JSON.stringify(agent.answered[0]?.body?.system);
    expect(system).toContain('it says hello');
    expect(system).toContain('Files use LF line endings');
    expect(system).toContain('```discoveries');
    expect(JSON.stringify(io.logs)).not.toContain('sk-ant-test');
  });

  it('keeps going past stream events it does not know', async () => {
    const wrapper = join(home.path, 'claude-wrapper.sh');
    writeFileSync(wrapper, `#!/bin/sh\necho '{"type":"future_event","payload":{"x":1}}'\necho 'not json at all'\nexec "${CLAUDE_BIN}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    fake.script({ match: matchers.hasTools, replies: [textReply('All fine.')] });
    const io = recordingIO();
    const outcome = await backend({ claudePath: wrapper }).runAttempt(makeInput(repo.path), io);
    expect(outcome.status).toBe('succeeded');
    expect(io.logs).toContainEqual(expect.objectContaining({ kind: 'unknown', data: { type: 'future_event', payload: { x: 1 } } }));
    expect(io.logs).toContainEqual(expect.objectContaining({ kind: 'stdout', text: 'not json at all' }));
  });

  it('classifies a rejected API key as permanent with a clear message, without the key', async () => {
    const io = recordingIO();
    const outcome = await backend({ env: claudeTestEnv(fake, home.path, { ANTHROPIC_API_KEY: 'sk-ant-wrong-key-123456' }) }).runAttempt(makeInput(repo.path), io);
    expect(outcome.status).toBe('failed');
    if (outcome.status !== 'failed') return;
    expect(outcome.error.errorClass).toBe('permanent');
    expect(outcome.error.message).toMatch(/API key/);
    expect(outcome.error.message).not.toContain('sk-ant-wrong');
    expect(JSON.stringify(io.logs)).not.toContain('sk-ant-wrong');
    expect(fake.messageRequests().every((request) => request.outcome === 'auth')).toBe(true);
  });

  it('classifies a rate limit the CLI gave up on as transient and asks the pool to pause', async () => {
    fake.failNext(5, { kind: 'rate_limit', retryAfterSeconds: 0 }, matchers.hasTools);
    const io = recordingIO();
    const outcome = await backend({ env: claudeTestEnv(fake, home.path, { CLAUDE_CODE_MAX_RETRIES: '0' }), rateLimitPauseMs: 30_000 }).runAttempt(makeInput(repo.path), io);
    expect(outcome.status).toBe('failed');
    if (outcome.status === 'failed') expect(outcome.error).toMatchObject({ errorClass: 'transient', message: expect.stringContaining('429') });
    expect(io.rateLimits).toHaveLength(1);
    expect(io.rateLimits[0]!.resetAt.getTime()).toBeGreaterThan(Date.now() + 20_000);
  });

  it('classifies running out of turns as recoverable', async () => {
    fake.script({ match: matchers.hasTools, respond: () => toolUseReply('Bash', { command: 'true', description: 'noop' }) });
    const outcome = await backend().runAttempt(makeInput(repo.path, { maxTurns: 1 }), recordingIO());
    expect(outcome.status).toBe('failed');
    if (outcome.status === 'failed') expect(outcome.error).toMatchObject({ errorClass: 'recoverable', message: expect.stringMatching(/maximum number of turns/) });
  });

  it('kills the whole process group on abort, leaving no process behind', async () => {
    // acceptEdits refuses commands with $-expansions or scripts unless they are allowed explicitly.
    writeFileSync(join(repo.path, 'hang.sh'), 'echo $PPID > parent.pid\nsleep 300 & echo $! > sleep.pid\necho $$ > shell.pid\nwait\n');
    fake.script({ match: matchers.hasTools, replies: [toolUseReply('Bash', { command: 'sh hang.sh', description: 'hang' })] });
    const controller = new AbortController();
    const running = backend({ allowedTools: ['Bash(sh hang.sh)'] }).runAttempt(makeInput(repo.path, { signal: controller.signal }), recordingIO());
    const readPid = (name: string): number => Number(readFileSync(join(repo.path, name), 'utf8').trim());
    await vi.waitFor(() => expect(existsSync(join(repo.path, 'shell.pid'))).toBe(true), { timeout: 30_000, interval: 50 });
    const pids = [readPid('parent.pid'), readPid('shell.pid'), readPid('sleep.pid')];
    expect(pids.every(isAlive)).toBe(true);
    controller.abort();
    const outcome = await running;
    expect(outcome.status).toBe('cancelled');
    await vi.waitFor(() => expect(pids.filter(isAlive)).toEqual([]), { timeout: 5_000, interval: 50 });
  });

  it('stops a run that exceeds its timeout and calls it recoverable', async () => {
    fake.script({ match: matchers.hasTools, replies: [textReply('too late', { delayMs: 60_000 })] });
    const started = Date.now();
    const outcome = await backend().runAttempt(makeInput(repo.path, { timeoutMs: 2_500 }), recordingIO());
    expect(outcome.status).toBe('failed');
    if (outcome.status === 'failed') expect(outcome.error).toMatchObject({ errorClass: 'recoverable', message: expect.stringContaining('did not finish within 3 s') });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('fails with an install hint when the claude binary is missing', async () => {
    const outcome = await createClaudeCliBackend({ claudePath: join(home.path, 'no-such-claude') }).runAttempt(makeInput(repo.path), recordingIO());
    expect(outcome.status).toBe('failed');
    if (outcome.status === 'failed') {
      expect(outcome.error.errorClass).toBe('permanent');
      expect(outcome.error.message).toContain('npm i -g @anthropic-ai/claude-code');
    }
  });

  it('fails clearly when the working directory is missing', async () => {
    const outcome = await backend().runAttempt(makeInput(join(repo.path, 'gone')), recordingIO());
    expect(outcome).toMatchObject({ status: 'failed', error: { errorClass: 'permanent', message: expect.stringContaining('does not exist') } });
  });
});
