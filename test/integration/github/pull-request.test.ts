import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claudeTestEnv, makeTempDir, matchers, startFakeAnthropic, textReply, toolUseReply, type FakeAnthropic, type RecordedRequest } from '../../support/fake-anthropic';
import { startFakeGitHub, type FakeGitHub } from '../../support/fake-github';
import { forcedTool, requestText, writeFileTurn } from '../runtime/pipeline-support';
import { cliBuilt, git, isOneLineError, tempProject, type TempProject } from '../cli/cli-harness';

const TOKEN = 'ghp_prFlowTestToken0123456789abcdefghijklmnop';
const MANAGER_SUMMARY = 'The manager says: the greeting and the farewell are both in place.';

function manager(request: RecordedRequest) {
  if (requestText(request).includes('Summarise this run')) return textReply(MANAGER_SUMMARY);
  return forcedTool(request) === 'submit_review' ? toolUseReply('submit_review', { verdict: 'approve' }) : undefined;
}

function worker(request: RecordedRequest) {
  return /Carry out task \d+: Say goodbye/.test(requestText(request)) ? writeFileTurn(request, 'bye.txt', 'goodbye\n') : writeFileTurn(request, 'greet.txt', 'hello\n');
}

/** Every file under `root` whose bytes contain `needle` (the .git folders included). */
function filesContaining(root: string, needle: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && readFileSync(full).includes(Buffer.from(needle))) found.push(full);
    }
  };
  walk(root);
  return found;
}

describe('co pr: a run of imported issues becomes a pull request', () => {
  let fake: FakeAnthropic;
  let github: FakeGitHub;
  let project: TempProject;
  let home: ReturnType<typeof makeTempDir>;
  let origin: ReturnType<typeof makeTempDir>;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    github = await startFakeGitHub({
      token: TOKEN,
      owner: 'acme',
      repo: 'rocket',
      issues: [
        { number: 7, title: 'Say hello', body: 'Greet the reader.\n\n- [ ] greet.txt says hello', labels: ['feature'] },
        { number: 8, title: 'Say goodbye', body: 'Part politely.', labels: ['feature'] },
        { number: 9, title: 'An open pull request', pullRequest: true },
      ],
    });
    project = tempProject({ git: true });
    home = makeTempDir('co-pr-home-');
    origin = makeTempDir('co-pr-origin-');
    git(origin.path, 'init', '-q', '--bare', '-b', 'main');
  });
  afterEach(async () => {
    await fake.close();
    await github.close();
    project.cleanup();
    home.cleanup();
    origin.cleanup();
  });

  it('pushes the run branch to origin and opens a pull request naming every task and the issues it closes; --dry-run pushes nothing; the token is written nowhere', { timeout: 300_000 }, async () => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    fake.script({ respond: manager });
    fake.script({ match: matchers.hasTools, respond: worker });
    const bin = path.join(home.path, 'bin');
    mkdirSync(bin);
    const notified = path.join(home.path, 'notified.txt');
    writeFileSync(path.join(bin, 'notify-send'), `#!/bin/sh\nprintf '%s\\n' "$@" >> "${notified}"\n`, { mode: 0o755 });
    const env = claudeTestEnv(fake, home.path, { GITHUB_TOKEN: TOKEN, GH_TOKEN: '', GITHUB_API_URL: github.url });
    env['PATH'] = `${bin}${path.delimiter}${env['PATH'] ?? ''}`;
    const outputs: string[] = [];
    const co = async (...args: string[]) => {
      const result = await project.co(args, { env });
      outputs.push(result.stdout, result.stderr);
      return result;
    };

    expect((await co('init')).status).toBe(0);
    git(project.dir, 'add', '-A');
    git(project.dir, 'commit', '-q', '-m', 'co init');
    git(project.dir, 'remote', 'add', 'origin', origin.path);
    git(project.dir, 'push', '-q', 'origin', 'main');
    const imported = await co('import-issues', '--repo', 'acme/rocket');
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('New tasks: 2');

    const run = await co('run', '--no-progress');
    expect(run.status, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/Run succeeded: 2 done, 0 failed/);

    const dry = await co('pr', '--repo', 'acme/rocket', '--dry-run');
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Dry run: nothing was pushed and no pull request was opened.');
    expect(dry.stdout).toContain('Closes #7');
    expect(dry.stdout).toContain('Closes #8');
    expect(git(origin.path, 'for-each-ref', '--format=%(refname)')).toBe('refs/heads/main\n');
    expect(github.requests.filter((request) => request.method === 'POST')).toEqual([]);

    const opened = await co('pr', '--repo', 'acme/rocket');
    expect(opened.status, opened.stderr).toBe(0);
    const runId = (await project.coJson<{ runId: string }>(['summary'])).runId;
    const branch = `orchestrator/run-${runId.slice(0, 8)}`;
    expect(opened.stdout).toContain(`Opened pull request #101 (${branch} → main): ${github.url}/acme/rocket/pull/101`);
    const runTip = git(project.dir, 'rev-parse', 'HEAD').trim();
    expect(git(origin.path, 'rev-parse', `refs/heads/${branch}`).trim()).toBe(runTip);
    expect(git(origin.path, 'show', `${branch}:greet.txt`)).toBe('hello\n');
    expect(git(origin.path, 'show', `${branch}:bye.txt`)).toBe('goodbye\n');
    expect(github.pulls).toHaveLength(1);
    const pull = github.pulls[0] as { head: string; base: string; title: string; body: string; draft: boolean };
    expect(pull).toMatchObject({ head: branch, base: 'main', draft: false });
    expect(pull.title).toBe('2 tasks: Say goodbye; Say hello');
    expect(pull.body).toContain(MANAGER_SUMMARY);
    expect(pull.body).toMatch(/### Task \d+: Say hello\n\nAcceptance criteria:\n- greet\.txt says hello\n\n- Checks: none configured \(checks\.verify is empty\)\n- Review: approved by the manager\n- Cost: \$\d+\.\d{4} over 1 attempt\n\nCloses #7/);
    expect(pull.body).toMatch(/### Task \d+: Say goodbye\n[\s\S]*Closes #8/);
    await expect.poll(() => (existsSync(notified) ? readFileSync(notified, 'utf8') : ''), { timeout: 5_000 }).toContain(`${github.url}/acme/rocket/pull/101`);

    // A second pull request for the same run would overwrite nothing: the branch is there.
    const twice = await co('pr', '--repo', 'acme/rocket');
    expect(isOneLineError(twice), twice.stderr).toBe(true);
    expect(twice.stderr).toContain(`branch ${branch} already exists on origin`);

    // GitHub refuses the pull request: the pushed branch is deleted again.
    git(origin.path, 'branch', '-D', branch);
    github.fail({ match: (request) => request.method === 'POST', status: 422, body: { message: 'Validation Failed: base branch protected' } });
    const refused = await co('pr', '--repo', 'acme/rocket', '--base', 'main');
    expect(isOneLineError(refused), refused.stderr).toBe(true);
    expect(refused.stderr).toContain(`The pushed branch ${branch} was deleted from origin again; nothing is left half-done.`);
    expect(git(origin.path, 'for-each-ref', '--format=%(refname)')).toBe('refs/heads/main\n');

    // origin rejects the push: no branch, no pull request asked for.
    writeFileSync(path.join(origin.path, 'hooks', 'pre-receive'), '#!/bin/sh\necho "pushes are closed today" >&2\nexit 1\n', { mode: 0o755 });
    const posts = github.requests.filter((request) => request.method === 'POST').length;
    const rejected = await co('pr', '--repo', 'acme/rocket');
    expect(isOneLineError(rejected), rejected.stderr).toBe(true);
    expect(rejected.stderr).toMatch(/git push to origin was rejected \(.*\); check your push access and branch rules on origin, then run `co pr` again\. Nothing was pushed\./);
    expect(git(origin.path, 'for-each-ref', '--format=%(refname)')).toBe('refs/heads/main\n');
    expect(github.requests.filter((request) => request.method === 'POST')).toHaveLength(posts);

    // The token reached GitHub, and nothing else: no file of the project (database and WAL included), its logs, origin, the user data or Claude Code's home; no output.
    expect(github.requests.every((request) => request.headers['authorization'] === `token ${TOKEN}`)).toBe(true);
    expect(filesContaining(path.dirname(project.dir), TOKEN)).toEqual([]);
    expect(filesContaining(origin.path, TOKEN)).toEqual([]);
    expect(filesContaining(home.path, TOKEN)).toEqual([]);
    expect(outputs.filter((text) => text.includes(TOKEN))).toEqual([]);
  });
});
