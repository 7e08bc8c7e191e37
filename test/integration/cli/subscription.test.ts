import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_PRD_CHARS } from '../../../src-shared/domain/limits';
import { claudeTestEnv, makeTempDir, matchers, startFakeAnthropic, toolUseReply, type FakeAnthropic, type RecordedRequest } from '../../support/fake-anthropic';
import { forcedTool, writeFileTurn } from '../runtime/pipeline-support';
import { cliBuilt, git, tempProject, type TempProject } from './cli-harness';

const FEATURES = ['Parser', 'Lexer', 'Printer', 'Checker', 'Runner', 'Docs'];
const PRD = `# Tiny language\n${FEATURES.map((feature, index) => `${index + 1}. ${feature} (${feature.toLowerCase()}.txt).`).join('\n')}\n`;

function planTask(index: number): Record<string, unknown> {
  const title = FEATURES[index] ?? '';
  return {
    id: index + 1,
    title,
    description: `${title}.`,
    details: `Write ${title.toLowerCase()}.txt.`,
    acceptance_criteria: [`${title.toLowerCase()}.txt exists`],
    test_strategy: 'Look at the file.',
    priority: 'medium',
    // The first task has an unknown dependency the repair drops, as on the API path; the others follow it.
    dependencies: index === 0 ? [42] : [1],
  };
}

/** The manager's answers, whichever way they come (forced tool over the API, StructuredOutput through Claude Code). */
function manager(request: RecordedRequest) {
  switch (forcedTool(request)) {
    case 'parse_prd':
      return toolUseReply('parse_prd', { tasks: FEATURES.map((_, index) => planTask(index)) });
    case 'submit_review':
      return toolUseReply('submit_review', { verdict: 'approve' });
    case 'submit_final_review':
      return toolUseReply('submit_final_review', { verdict: 'met', summary: 'All six files exist.', criteria: [], gaps: [] });
    default:
      return undefined;
  }
}

describe('on a Claude subscription: no API key anywhere, only the Claude Code login', () => {
  let fake: FakeAnthropic;
  let project: TempProject;
  let home: ReturnType<typeof makeTempDir>;
  let env: Record<string, string>;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    project = tempProject({ git: true });
    home = makeTempDir('co-subscription-home-');
    env = { ...claudeTestEnv(fake, home.path), CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-subscription-login-token' };
    delete env['ANTHROPIC_API_KEY'];
  });
  afterEach(async () => {
    await fake.close();
    project.cleanup();
    home.cleanup();
  });

  it('co check has no failed line; co parse plans through Claude Code; co run finishes with review on; every request carries the login, never an API key', { timeout: 300_000 }, async () => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    fake.script({ respond: manager });
    fake.script({
      match: matchers.hasTools,
      respond: (request) => {
        const prompt = JSON.stringify(request.body?.messages ?? '');
        const feature = FEATURES.find((_, index) => prompt.includes(`Carry out task ${index + 1}:`));
        return writeFileTurn(request, `${(feature ?? 'unknown').toLowerCase()}.txt`, `${feature ?? '?'}\n`);
      },
    });
    const co = (...args: string[]) => project.co(args, { env });
    expect((await co('init')).status).toBe(0);
    git(project.dir, 'add', '-A');
    git(project.dir, 'commit', '-q', '-m', 'co init');

    const check = await co('check', '--json');
    const report = JSON.parse(check.stdout) as { ok: boolean; checks: Array<{ id: string; ok: boolean; detail: string }> };
    expect(report.checks.filter((line) => !line.ok), check.stdout).toEqual([]);
    expect(report.checks.find((line) => line.id === 'api-key')?.detail).toMatch(/^No Anthropic API key \(not needed\): the manager and the workers use your Claude Code login \(from CLAUDE_CODE_OAUTH_TOKEN\)/);
    expect(check.status).toBe(0);

    writeFileSync(path.join(project.dir, 'prd.md'), PRD);
    const parsed = await co('parse', 'prd.md');
    expect(parsed.status, parsed.stderr).toBe(0);
    expect(parsed.stdout).toContain('note: task 1 ("Parser") depended on unknown task 42; dependency dropped');
    expect(parsed.stdout).toContain(`Added ${FEATURES.length} tasks`);

    const run = await co('run', '--no-progress', '--workers', '2');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Run succeeded: 6 done, 0 failed/);
    // On a subscription Claude Code's figures are estimates, and say so.
    expect(run.stdout).toMatch(/Run succeeded: 6 done, 0 failed, 0 blocked, 0 cancelled · \$\d+\.\d{4} \(estimated\) ·/);
    expect((await co('status')).stdout).toMatch(/cost \$\d+\.\d+ \(estimated\)/);
    for (const feature of FEATURES) expect(readFileSync(path.join(project.dir, `${feature.toLowerCase()}.txt`), 'utf8')).toBe(`${feature}\n`);

    const requests = fake.messageRequests();
    const through = (tool: string) => requests.filter((request) => forcedTool(request) === tool && request.body?.tools?.some((offered) => offered.name === 'StructuredOutput'));
    expect(through('parse_prd').length).toBeGreaterThan(0);
    expect(through('submit_review').length).toBeGreaterThanOrEqual(FEATURES.length);
    expect(through('submit_final_review').length).toBeGreaterThan(0);
    for (const request of requests) {
      expect(request.headers['x-api-key']).toBeUndefined();
      expect(request.headers['authorization']).toBe('Bearer sk-ant-oat01-subscription-login-token');
    }
    // The login never lands in our files.
    const database = readFileSync(path.join(project.dir, '.orchestrator', 'state.db'));
    expect(database.includes(Buffer.from('sk-ant-oat01-subscription-login-token'))).toBe(false);
  });

  it('binary, non-UTF-8, empty and oversized PRDs are refused before any model call, with nothing stored', { timeout: 120_000 }, async () => {
    const co = (...args: string[]) => project.co(args, { env });
    expect((await co('init')).status).toBe(0);
    const files: Array<[string, Buffer | string, RegExp]> = [
      ['binary.md', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]), /is not text \(it contains NUL bytes\)/],
      ['latin1.md', Buffer.from([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]), /is not valid UTF-8 text: save it as UTF-8/],
      ['empty.md', '  \n\n', /is empty: write the requirements first/],
      ['huge.md', `# Huge\n${'x'.repeat(MAX_PRD_CHARS)}`, /is too long: .* at most 500,000\. Split it/],
    ];
    for (const [name, content, message] of files) {
      writeFileSync(path.join(project.dir, name), content);
      const refused = await co('parse', name);
      expect(refused.status, name).toBe(1);
      expect(refused.stderr.trim().split('\n'), name).toHaveLength(1);
      expect(refused.stderr, name).toMatch(message);
    }
    expect(fake.messageRequests()).toHaveLength(0);
    expect(await project.coJson<unknown[]>(['list'])).toEqual([]);
  });

  it('with neither an API key nor a Claude Code login: co check names both fixes, co parse and co run stop at once saying how, and the task waits', { timeout: 180_000 }, async () => {
    const bare: Record<string, string> = { ...env };
    delete bare['CLAUDE_CODE_OAUTH_TOKEN'];
    const co = (...args: string[]) => project.co(args, { env: bare });
    expect((await co('init')).status).toBe(0);
    git(project.dir, 'add', '-A');
    git(project.dir, 'commit', '-q', '-m', 'co init');
    const check = await co('check', '--json');
    const apiKeyLine = (JSON.parse(check.stdout) as { checks: Array<{ id: string; ok: boolean; fix: string | null }> }).checks.find((line) => line.id === 'api-key');
    expect(apiKeyLine?.ok).toBe(false);
    expect(apiKeyLine?.fix).toMatch(/ANTHROPIC_API_KEY.*sign in to Claude Code/);

    writeFileSync(path.join(project.dir, 'prd.md'), PRD);
    const parse = await co('parse', 'prd.md');
    expect(parse.status).toBe(1);
    expect(parse.stderr).toMatch(/Claude Code is not signed in and no Anthropic API key is set.*ANTHROPIC_API_KEY/);

    expect((await co('add', 'Write a file')).status).toBe(0);
    const run = await co('run', '--no-progress');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/\nStopped: Claude Code is not signed in and no Anthropic API key is set/);
    const [task] = await project.coJson<Array<{ status: string }>>(['list']);
    expect(task?.status).toBe('ready');
    expect(fake.messageRequests()).toHaveLength(0);
  });
});
