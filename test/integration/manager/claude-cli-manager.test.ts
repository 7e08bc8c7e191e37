import { afterEach, describe, expect, it } from 'vitest';
import { Manager, ManagerError, type Plan } from '../../../src-main/agents/manager';
import { ClaudeCliManagerModel } from '../../../src-main/agents/manager/claude-cli-model';
import type { UsageReport } from '../../../src-main/agents/manager/model-client';
import { CLAUDE_BIN, claudeTestEnv, makeTempDir, startFakeAnthropic, structuredOutputTool, TEST_API_KEY, textReply, toolUseReply, type FakeAnthropic, type FakeReply, type RecordedRequest } from '../../support/fake-anthropic';
import { modelTask, SHOP_PRD } from './fixtures';

const CLAUDE = CLAUDE_BIN;

let fake: FakeAnthropic | undefined;
let home: ReturnType<typeof makeTempDir> | undefined;
afterEach(async () => {
  await fake?.close();
  home?.cleanup();
  fake = undefined;
  home = undefined;
});

/** A fake API, and the same manager twice: over the API (SDK) and through Claude Code with an OAuth login (no API key). */
async function managers(respond: (request: RecordedRequest) => FakeReply | undefined): Promise<{ api: Manager; cli: Manager; usage: UsageReport[] }> {
  fake = await startFakeAnthropic();
  fake.script({ respond });
  home = makeTempDir('co-cli-manager-');
  const env: Record<string, string> = { ...claudeTestEnv(fake, home.path), CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-subscription-login' };
  delete env['ANTHROPIC_API_KEY'];
  const usage: UsageReport[] = [];
  const cli = new Manager({ transport: new ClaudeCliManagerModel({ claudePath: () => Promise.resolve(CLAUDE), env, cwd: home.path, onUsage: (report) => usage.push(report) }) });
  const api = new Manager({ apiKey: TEST_API_KEY, baseURL: fake.url, maxRetries: 0 });
  return { api, cli, usage };
}

/** A plan with an unknown dependency and a cycle, to be repaired. */
function flawedPlan(): Record<string, unknown> {
  return {
    tasks: [
      modelTask(1, 'Skeleton', [], 'high'),
      modelTask(2, 'Catalogue', [1, 99], 'high'),
      modelTask(3, 'Accounts', [1, 4]),
      modelTask(4, 'Cart', [2, 3]),
      modelTask(5, 'Checkout', [4]),
      modelTask(6, 'Receipts', [5], 'low'),
    ],
  };
}

const shape = (plan: Plan) => ({ tasks: plan.tasks.map((task) => [task.id, task.title, [...task.dependencies]]), notes: plan.notes.map((note) => note.message) });

describe('the manager through Claude Code (claude -p --json-schema), against the API path', () => {
  it('plans a PRD through the StructuredOutput tool with the subscription login, repairing the graph exactly as the API path does', { timeout: 120_000 }, async () => {
    const { api, cli, usage } = await managers((request) => (request.body?.tool_choice !== undefined || structuredOutputTool(request) === 'parse_prd' ? toolUseReply('parse_prd', flawedPlan()) : undefined));
    const viaApi = await api.parsePrd(SHOP_PRD);
    const before = fake?.messageRequests().length ?? 0;
    const viaCli = await cli.parsePrd(SHOP_PRD);

    expect(shape(viaCli)).toEqual(shape(viaApi));
    expect(shape(viaCli).notes).toEqual(expect.arrayContaining([expect.stringContaining('unknown task 99'), expect.stringContaining('dependency cycle')]));
    expect(viaCli.tasks).toHaveLength(6);
    const cliRequests = (fake?.messageRequests() ?? []).slice(before);
    expect(cliRequests.length).toBeGreaterThan(0);
    for (const request of cliRequests) {
      expect(request.headers['authorization']).toMatch(/^Bearer /);
      expect(request.headers['x-api-key']).toBeUndefined();
    }
    const first = cliRequests[0];
    // Only the structured-output tool, the schema of parse_prd, the manager's own system prompt and the PRD.
    expect(first?.body?.tools?.map((tool) => tool.name)).toEqual(['StructuredOutput']);
    expect(JSON.stringify(first?.body?.tools?.[0])).toContain('acceptance_criteria');
    expect(JSON.stringify(first?.body?.system)).toContain('You are the manager of a team of software engineering agents');
    expect(JSON.stringify(first?.body?.messages)).toContain('Tiny Shop');
    // Cost and usage from Claude Code's result line.
    expect(viaCli.costUsd).toBeGreaterThan(0);
    expect(usage).toEqual([expect.objectContaining({ purpose: 'parse_prd', costUsd: viaCli.costUsd })]);
  });

  it('asks again once with our validation problem; an answer Claude Code cannot get to match the schema is refused with nothing stored', { timeout: 120_000 }, async () => {
    let answers = 0;
    const { cli } = await managers((request) => {
      if (structuredOutputTool(request) !== 'submit_review') return undefined;
      answers += 1;
      // Valid JSON for the schema Claude Code checks, but not for ours: request_changes needs feedback.
      return answers === 1 ? toolUseReply('submit_review', { verdict: 'request_changes' }) : toolUseReply('submit_review', { verdict: 'approve' });
    });
    const review = await cli.reviewAttempt({ task: { id: '1', title: 'T', description: 'D' }, acceptanceCriteria: ['works'], diff: '+x', workerOutput: 'done' });
    expect(review.verdict).toBe('approve');
    const retried = (fake?.messageRequests() ?? []).filter((request) => structuredOutputTool(request) === 'submit_review').at(-1);
    expect(JSON.stringify(retried?.body?.messages)).toContain('Your previous answer was not usable');
    expect(JSON.stringify(retried?.body?.messages)).toContain('feedback');

    answers = 0;
    const { cli: stubborn } = await managers((request) => (structuredOutputTool(request) === 'parse_prd' ? toolUseReply('parse_prd', { tasks: [{ id: 1 }] }) : undefined));
    const failure = await stubborn.parsePrd(SHOP_PRD).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ManagerError);
    // Claude Code itself feeds the schema errors back and gives up after its retries: refused, nothing stored.
    expect(String((failure as Error).message)).toMatch(/^The manager's parse_prd reply \(through Claude Code\) was invalid (\d+ times|repeatedly); nothing was stored/);
  });

  it('says what to do when the model does not answer with structured output, and when the login is refused', { timeout: 120_000 }, async () => {
    const { cli } = await managers(() => textReply('I would rather chat.'));
    const unanswered = (await cli.parsePrd(SHOP_PRD).catch((error: unknown) => error)) as Error;
    expect(unanswered).toBeInstanceOf(ManagerError);
    expect(unanswered.message).toContain('did not call the StructuredOutput tool');

    await fake?.close();
    fake = await startFakeAnthropic({ validApiKeys: ['sk-ant-api03-only-this-one'] });
    const env: Record<string, string> = { ...claudeTestEnv(fake, home?.path ?? ''), CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-expired-login' };
    delete env['ANTHROPIC_API_KEY'];
    const refused = new Manager({ transport: new ClaudeCliManagerModel({ claudePath: () => Promise.resolve(CLAUDE), env, cwd: home?.path ?? '' }) });
    const error = (await refused.parsePrd(SHOP_PRD).catch((thrown: unknown) => thrown)) as ManagerError;
    expect(error).toBeInstanceOf(ManagerError);
    expect(error.message).toMatch(/Claude Code's login was refused \(401\).*sign in with `claude`/);
    expect(error.stopsRun).toBe(true);
    expect(error.message).not.toContain('sk-ant-oat01-expired-login');
  });
});
