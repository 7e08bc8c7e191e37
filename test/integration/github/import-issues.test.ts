import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../../src-shared/domain/task';
import { claudeTestEnv, makeTempDir, startFakeAnthropic, toolUseReply } from '../../support/fake-anthropic';
import { startFakeGitHub, type FakeGitHub, type FakeIssue } from '../../support/fake-github';
import { forcedTool, requestText } from '../runtime/pipeline-support';
import { cliBuilt, isOneLineError, projectState, tempProject, type TempProject } from '../cli/cli-harness';

const TOKEN = 'ghp_importTestToken0123456789abcdefghijklmn';

const ISSUES: ReadonlyArray<FakeIssue> = [
  { number: 1, title: 'Log in with a passkey', body: 'Users want passkeys.\n\n- [ ] works offline\n- [x] keeps the old password login', labels: ['enhancement', 'auth'] },
  { number: 2, title: 'Bump the parser', pullRequest: true, labels: ['auth'] },
  { number: 3, title: 'Document the CLI', body: 'A page per command.', labels: ['docs'] },
  { number: 4, title: 'Old crash', state: 'closed', labels: ['bug'] },
  { number: 5, title: 'Faster start', body: null },
];

describe('co import-issues against a fake GitHub', () => {
  let github: FakeGitHub;
  let project: TempProject;
  let env: Record<string, string>;

  beforeEach(async () => {
    github = await startFakeGitHub({ token: TOKEN, owner: 'acme', repo: 'rocket', issues: ISSUES, maxPerPage: 2 });
    project = tempProject({ git: true });
    env = { GITHUB_TOKEN: TOKEN, GH_TOKEN: '', GITHUB_API_URL: github.url };
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    expect((await project.co(['init'])).status).toBe(0);
  });
  afterEach(async () => {
    await github.close();
    project.cleanup();
  });

  const importIssues = (...args: string[]) => project.co(['import-issues', '--repo', 'acme/rocket', ...args], { env });
  const tasks = async (): Promise<ReadonlyArray<Task>> => project.coJson<ReadonlyArray<Task>>(['list']);

  it('imports open issues once, following pages and skipping the pull request; importing again updates them', { timeout: 120_000 }, async () => {
    const first = await importIssues();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('Imported 3 issues from acme/rocket.');
    expect(first.stdout).toContain('Skipped 1 pull request');
    const listed = github.requests.filter((request) => request.path === '/repos/acme/rocket/issues');
    expect(listed.map((request) => request.query['page'] ?? '1')).toEqual(['1', '2']);

    const imported = await tasks();
    expect(imported.map((task) => [task.title, task.sourceRef, task.tags])).toEqual([
      ['Faster start', `${github.url}/acme/rocket/issues/5`, []],
      ['Document the CLI', `${github.url}/acme/rocket/issues/3`, ['docs']],
      ['Log in with a passkey', `${github.url}/acme/rocket/issues/1`, ['enhancement', 'auth']],
    ]);
    const passkey = imported.find((task) => task.title === 'Log in with a passkey') as Task;
    expect(passkey.description).toContain('Users want passkeys.');
    expect(passkey.acceptanceCriteria).toEqual(['works offline', 'keeps the old password login']);

    github.setIssues([{ ...(ISSUES[0] as FakeIssue), title: 'Log in with a passkey or a key', labels: ['auth'] }, ...ISSUES.slice(1)]);
    const second = await importIssues('--json');
    expect(second.status, second.stderr).toBe(0);
    const summary = JSON.parse(second.stdout) as { created: unknown[]; updated: Array<{ taskId: string; issue: number }>; unchanged: unknown[]; skippedPullRequests: number };
    expect(summary).toMatchObject({ created: [], updated: [{ taskId: passkey.id, issue: 1 }], skippedPullRequests: 1 });
    expect(summary.unchanged).toHaveLength(2);
    const again = await tasks();
    expect(again).toHaveLength(3);
    expect(again.find((task) => task.id === passkey.id)).toMatchObject({ title: 'Log in with a passkey or a key', tags: ['auth'], sourceRef: passkey.sourceRef });

    const closedDocs = await importIssues('--state', 'all', '--label', 'bug');
    expect(closedDocs.status, closedDocs.stderr).toBe(0);
    expect(github.requests.at(-1)?.query).toMatchObject({ state: 'all', labels: 'bug' });
    expect((await tasks()).map((task) => task.title)).toContain('Old crash');
    expect(await tasks()).toHaveLength(4);
  });

  it('--plan: the manager plans the issues not imported yet, with dependencies, each task linked to its issue', { timeout: 120_000 }, async () => {
    const fake = await startFakeAnthropic();
    const home = makeTempDir('co-issues-plan-home-');
    try {
      const planned = (id: number, title: string, description: string, dependencies: number[]) => ({ id, title, description, details: 'Do it.', acceptance_criteria: ['it works'], test_strategy: 'Try it.', priority: 'high', dependencies });
      fake.script({
        respond: (request) =>
          forcedTool(request) === 'parse_prd'
            ? toolUseReply('parse_prd', { tasks: [planned(1, 'Passkey storage', '(issue #1) Store passkeys.', []), planned(2, 'Passkey login form', '(issue #1) The form.', [1]), planned(3, 'Lazy start', '(issue #5) Start faster.', [1])] })
            : undefined,
      });
      const withManager = { ...claudeTestEnv(fake, home.path), ...env };
      expect((await importIssues('--label', 'docs')).status).toBe(0);
      const result = await project.co(['import-issues', '--repo', 'acme/rocket', '--plan'], { env: withManager });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain('The manager planned 3 new tasks (2, 3, 4); linked to their issues: (#1 → 2, #5 → 4)');
      const prd = requestText(fake.messageRequests().find((request) => forcedTool(request) === 'parse_prd') as never);
      expect(prd).toContain('## Issue #1: Log in with a passkey');
      expect(prd).toContain('## Issue #5: Faster start');
      expect(prd).not.toContain('## Issue #3');
      const tasks = await project.coJson<ReadonlyArray<Task>>(['list']);
      expect(tasks.map((task) => [task.id, task.title, task.dependencies, task.sourceRef, task.tags])).toEqual([
        ['1', 'Document the CLI', [], `${github.url}/acme/rocket/issues/3`, ['docs']],
        ['2', 'Passkey storage', [], `${github.url}/acme/rocket/issues/1`, ['enhancement', 'auth']],
        ['3', 'Passkey login form', ['2'], null, ['enhancement', 'auth']],
        ['4', 'Lazy start', ['2'], `${github.url}/acme/rocket/issues/5`, []],
      ]);
    } finally {
      await fake.close();
      home.cleanup();
    }
  });

  it('says in one line what to do for a missing or refused token, missing access, a wrong API URL, no origin and an unreachable API, changing nothing', { timeout: 120_000 }, async () => {
    const enterprise = await startFakeGitHub({ token: TOKEN, owner: 'acme', repo: 'rocket', issues: ISSUES, pathPrefix: '/api/v3' });
    const before = projectState(project.dir);
    const cases: Array<{ readonly args: string[]; readonly env: Record<string, string>; readonly says: RegExp }> = [
      { args: ['--repo', 'acme/rocket'], env: { ...env, GITHUB_TOKEN: '' }, says: /no GitHub token: set GITHUB_TOKEN \(or GH_TOKEN\).*gh auth login/ },
      { args: ['--repo', 'acme/rocket'], env: { ...env, GITHUB_TOKEN: 'ghp_wrongToken0123456789abcdefghijklmnopq' }, says: /refused the token from GITHUB_TOKEN \(401 Bad credentials\).*create a new one/ },
      { args: ['--repo', 'acme/other'], env, says: /found no repository acme\/other the token can see \(404\) \(the token has: repo\).*`repo` scope.*Issues: read/ },
      { args: ['--repo', 'acme/rocket'], env: { ...env, GITHUB_API_URL: enterprise.url.replace(/\/api\/v3$/, '') }, says: /answered 404 with text\/html, not the GitHub API; set GITHUB_API_URL .*\/api\/v3/ },
      { args: [], env, says: /no `origin` remote; add one .* or name the repository as owner\/name \(`--repo`, or the Repository field in the app\)/ },
      { args: ['--repo', 'not a repo'], env, says: /--repo must be owner\/name/ },
      { args: ['--repo', 'acme/rocket'], env: { ...env, GITHUB_API_URL: `http://127.0.0.1:${await closedPort()}` }, says: /could not reach the GitHub API at http:\/\/127\.0\.0\.1:\d+ .*check the network, or GITHUB_API_URL/ },
    ];
    for (const { args, env: caseEnv, says } of cases) {
      const result = await project.co(['import-issues', ...args], { env: caseEnv });
      expect(isOneLineError(result), `${args.join(' ')}: ${result.stderr}`).toBe(true);
      expect(result.stderr).toMatch(says);
      expect(result.stderr).not.toContain(TOKEN);
      expect(result.stderr).not.toContain('ghp_wrongToken0123456789abcdefghijklmnopq');
    }
    github.fail({ match: (request) => request.path.endsWith('/issues'), status: 403, body: { message: 'Resource not accessible by personal access token' } });
    const denied = await importIssues();
    expect(isOneLineError(denied), denied.stderr).toBe(true);
    expect(denied.stderr).toContain(
      'co: GitHub denied access to acme/rocket (403: Resource not accessible by personal access token) (the token has: repo); a classic token needs the `repo` scope (`public_repo` for a public repository); a fine-grained token needs Issues: read.',
    );
    expect(projectState(project.dir)).toBe(before);

    const right = await project.co(['import-issues', '--repo', 'acme/rocket'], { env: { ...env, GITHUB_API_URL: enterprise.url } });
    expect(right.status, right.stderr).toBe(0);
    expect((await tasks()).map((task) => task.sourceRef)).toContain(`${enterprise.url.replace(/\/api\/v3$/, '')}/acme/rocket/issues/1`);
    await enterprise.close();
  });

  it('waits for a rate limit that resets soon and says so; one that resets later is an error saying when', { timeout: 120_000 }, async () => {
    const soon = Math.ceil(Date.now() / 1000) + 1;
    github.fail({ match: (request) => request.path.endsWith('/issues'), status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(soon) }, body: { message: 'API rate limit exceeded' } });
    const waited = await importIssues();
    expect(waited.status, waited.stderr).toBe(0);
    expect(waited.stderr).toMatch(/co: GitHub's rate limit is reached; waiting \d+ s for it to reset\./);
    expect(waited.stdout).toContain('Imported 3 issues');

    const later = Math.ceil(Date.now() / 1000) + 3_600;
    github.fail({ match: (request) => request.path.endsWith('/issues'), status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(later) }, body: { message: 'API rate limit exceeded' } });
    const refused = await importIssues();
    expect(isOneLineError(refused), refused.stderr).toBe(true);
    expect(refused.stderr).toMatch(/rate limit for this token is used up until \d\d:\d\d UTC \(in (59|60) min\); try again then\./);
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
