import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_LOG_TEXT_CHARS, readTruncation } from '../../../src-main/engine/log-bounds';
import { openProjectRuntime, type ProjectRuntime } from '../../../src-main/runtime/project-runtime';
import { registerSecretForRedaction } from '../../../src-main/workspace/redact';
import { claudeTestEnv, makeTempDir, matchers, startFakeAnthropic, textReply, toolUseReply, type FakeAnthropic } from '../../support/fake-anthropic';
import { fake as fakeSecret } from '../workspace/fake-secrets';
import { afterToolResult, workingDirectoryOf, writeConfig } from './pipeline-support';

// The fake counts ~4 characters a token, which would make the CLI refuse its next request as too long; a real model's
// base64 costs about as much, but an agent reading an image gets it as an image block that costs far less.
const REALISTIC_USAGE = { output_tokens: 1_500 } as const;

describe('an agent that prints a 2 MB line', () => {
  let fake: FakeAnthropic | undefined;
  let runtime: ProjectRuntime | undefined;
  const folders: Array<{ cleanup: () => void }> = [];
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await fake?.close();
    for (const folder of folders.splice(0)) folder.cleanup();
  });

  it('still succeeds (2 MB in a reply with a tool call and again in the final answer): usage and cost recorded, the huge line stored cut with its length, GitHub tokens and registered secrets masked', { timeout: 240_000 }, async () => {
    // Base64 of 1.5 MB: one 2,000,000-character line of stream-json, as when an agent reads an image or a bundle.
    const base64 = randomBytes(1_500_000).toString('base64');
    const githubToken = fakeSecret.github(41);
    const registered = `custom-secret-${fakeSecret.password(42)}`;
    registerSecretForRedaction(registered);
    fake = await startFakeAnthropic();
    fake.script({
      match: matchers.hasTools,
      respond: (request) =>
        afterToolResult(request)
          ? textReply(`Done; the token was ${githubToken} and the custom secret ${registered}.\n${base64}\n\n\`\`\`discoveries\n[{"summary":"big.txt holds the bundle","tags":["data"],"files":["big.txt"]}]\n\`\`\``)
          : toolUseReply('Write', { file_path: join(workingDirectoryOf(request), 'small.txt'), content: 'written after the big line\n' }, { text: base64, usage: REALISTIC_USAGE }),
    });
    const project = makeTempDir('co-big-');
    const home = makeTempDir('co-big-home-');
    folders.push(project, home);
    writeConfig(project.path, { git: { enabled: false }, execution: { max_retries: 0 }, monitoring: { checkpoint_before_run: false } });
    runtime = await openProjectRuntime({ projectDir: project.path, env: claudeTestEnv(fake, home.path) });
    const pushed: Array<{ kind: string; text: string }> = [];
    runtime.orchestrator.events.on('attempt.log', (event) => pushed.push({ kind: event.kind, text: event.text }));
    runtime.orchestrator.addTask({ title: 'Read the bundle, then write a file' });

    // A busy host (other workers' logs, the store, clients): the event loop is blocked 15 ms of every 20. Through a
    // pipe Claude Code's output then outran the reader and was lost when the CLI exited; through a file it is not.
    const busy = setInterval(() => {
      const until = Date.now() + 15;
      while (Date.now() < until);
    }, 20);
    try {
      await runtime.run();
    } finally {
      clearInterval(busy);
    }

    const task = runtime.orchestrator.getTask('1');
    expect(task.status, task.statusReason ?? '').toBe('done');
    expect(readFileSync(join(project.path, 'small.txt'), 'utf8')).toBe('written after the big line\n');
    const [attempt] = runtime.orchestrator.store.attempts.listForTask('1');
    expect(attempt?.status).toBe('succeeded');
    expect(attempt?.usage.outputTokens).toBeGreaterThan(0);
    expect((attempt?.usage.inputTokens ?? 0) + (attempt?.usage.cacheReadInputTokens ?? 0) + (attempt?.usage.cacheCreationInputTokens ?? 0)).toBeGreaterThan(0);
    expect(attempt?.costUsd).toBeGreaterThan(0);
    expect(runtime.orchestrator.store.discoveries.listForTask('1').map((discovery) => discovery.summary)).toEqual(['big.txt holds the bundle']);

    const logs = runtime.orchestrator.store.logEvents.listForAttempt(attempt?.id ?? '');
    const big = logs.find((event) => event.kind === 'assistant.text' && event.text.startsWith(base64.slice(0, 100)));
    expect(big, 'the big line was logged').toBeDefined();
    expect(big?.text.length).toBeLessThanOrEqual(MAX_LOG_TEXT_CHARS);
    expect(readTruncation(big?.data)?.dataChars).toBeGreaterThan(2_000_000);
    expect(JSON.stringify(big?.data).length).toBeLessThan(100_000);
    // What came after it was read too: the tool call, its result and the final result event.
    const after = logs.filter((event) => event.seq > (big?.seq ?? Infinity)).map((event) => event.kind);
    expect(after).toEqual(expect.arrayContaining(['tool_use', 'tool_result', 'result']));
    expect(pushed.every((event) => event.text.length <= MAX_LOG_TEXT_CHARS)).toBe(true);
    expect(pushed.some((event) => event.kind === 'result')).toBe(true);

    const stored = JSON.stringify(logs);
    expect(stored).toContain('Done; the token was');
    expect(stored).not.toContain(githubToken);
    expect(stored).not.toContain(registered);
  });
});
