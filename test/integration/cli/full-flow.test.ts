import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claudeTestEnv, makeTempDir, matchers, startFakeAnthropic, textReply, toolUseReply, type FakeAnthropic } from '../../support/fake-anthropic';
import { forcedTool, writeFileTurn } from '../runtime/pipeline-support';
import { cliBuilt, git, tempProject, type TempProject } from './cli-harness';

const PRD = `# Notes app
1. Storage module (store.txt).
2. CLI module (cli.txt) that uses storage.
`;

function planTask(id: number, title: string, dependencies: number[]): Record<string, unknown> {
  return { id, title, description: `${title}.`, details: `Write the ${title} file.`, acceptance_criteria: [`${title} exists`], test_strategy: 'Look at the file.', priority: 'high', dependencies };
}

describe('co init → parse → list → run → list-checkpoints → rollback, with the real Claude Code CLI', () => {
  let fake: FakeAnthropic;
  let project: TempProject;
  let home: ReturnType<typeof makeTempDir>;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    project = tempProject({ git: true });
    home = makeTempDir('co-flow-home-');
  });
  afterEach(async () => {
    await fake.close();
    project.cleanup();
    home.cleanup();
  });

  it('plans a PRD, runs it in worktrees, merges the work, and rolls it back', { timeout: 240_000 }, async () => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    fake.script({
      respond: (request) => {
        if (forcedTool(request) === 'parse_prd') return toolUseReply('parse_prd', { tasks: [planTask(1, 'Storage', []), planTask(2, 'CLI', [1])] });
        // The manager reviews each attempt by default (models.enable_opus_review).
        if (forcedTool(request) === 'submit_review') return toolUseReply('submit_review', { verdict: 'approve' });
        return undefined;
      },
    });
    fake.script({
      match: matchers.hasTools,
      respond: (request) => {
        const text = JSON.stringify(request.body?.messages ?? '');
        return text.includes('Carry out task 2:') ? writeFileTurn(request, 'cli.txt', 'cli uses store\n') : writeFileTurn(request, 'store.txt', 'store\n');
      },
    });
    const env = claudeTestEnv(fake, home.path);
    const co = (...args: string[]) => project.co(args, { env });

    expect((await co('init')).status).toBe(0);
    git(project.dir, 'add', '-A');
    git(project.dir, 'commit', '-q', '-m', 'co init');
    writeFileSync(path.join(project.dir, 'prd.md'), PRD);

    const preview = await co('parse', 'prd.md', '--dry-run');
    expect(preview.stdout).toContain('Dry run: 2 tasks proposed');
    expect((await project.coJson<unknown[]>(['list'])).length).toBe(0);

    const parsed = await co('parse', 'prd.md');
    expect(parsed.status, parsed.stderr).toBe(0);
    const listed = await co('list');
    expect(listed.stdout).toMatch(/1\s+ready\s+high\s+-\s+Storage/);
    expect(listed.stdout).toMatch(/2\s+pending\s+high\s+1\s+CLI/);

    // A stand-in notify-send (no notification daemon here) records the OS notification co run shows.
    const bin = path.join(home.path, 'bin');
    mkdirSync(bin);
    const notified = path.join(home.path, 'notified.txt');
    writeFileSync(path.join(bin, 'notify-send'), `#!/bin/sh\nprintf '%s\\n' "$@" >> "${notified}"\n`, { mode: 0o755 });
    const run = await project.co(['run', '--workers', '2'], { env: { ...env, PATH: `${bin}${path.delimiter}${env['PATH'] ?? process.env['PATH'] ?? ''}` } });
    expect(run.status, run.stderr + run.stdout).toBe(0);
    await expect.poll(() => (existsSync(notified) ? readFileSync(notified, 'utf8') : ''), { timeout: 5_000 }).toContain(`Run complete · ${path.basename(project.dir)}`);
    expect(readFileSync(notified, 'utf8')).toContain('2 done, 0 failed');
    expect(run.stdout).toContain('task 1 Storage: done');
    expect(run.stdout).toMatch(/Run succeeded: 2 done, 0 failed/);
    expect(readFileSync(path.join(project.dir, 'store.txt'), 'utf8')).toBe('store\n');
    expect(readFileSync(path.join(project.dir, 'cli.txt'), 'utf8')).toBe('cli uses store\n');
    expect(fake.messageRequests().filter((request) => forcedTool(request) === 'submit_review')).toHaveLength(2);

    const checkpoints = await project.coJson<Array<{ id: string; kind: string; description: string }>>(['list-checkpoints']);
    const beforeRun = checkpoints.find((checkpoint) => checkpoint.kind === 'run');
    expect(beforeRun, JSON.stringify(checkpoints)).toBeDefined();

    const rollback = await co('rollback', beforeRun?.id ?? '', '--strategy', 'full');
    expect(rollback.status, rollback.stderr).toBe(0);
    expect(existsSync(path.join(project.dir, 'store.txt'))).toBe(false);
    expect(existsSync(path.join(project.dir, 'cli.txt'))).toBe(false);
    const after = await project.coJson<Array<{ id: string; status: string }>>(['list']);
    expect(after.map((task) => [task.id, task.status])).toEqual([
      ['1', 'ready'],
      ['2', 'pending'],
    ]);
  });

  it('co run exits non-zero and says so when a task fails', { timeout: 120_000 }, async () => {
    // The agent changes nothing for a task that needs changes and the reviewer fails it (no retries left).
    fake.script({
      match: matchers.hasTools,
      respond: (request) =>
        forcedTool(request) === 'submit_review' ? toolUseReply('submit_review', { verdict: 'fail', reason: 'nothing was changed' }) : textReply('I could not do this.'),
    });
    const env = claudeTestEnv(fake, home.path);
    expect((await project.co(['init'], { env })).status).toBe(0);
    expect((await project.co(['add', 'Impossible task'], { env })).status).toBe(0);
    const run = await project.co(['run', '--no-progress'], { env: { ...env, ORCHESTRATOR_MAX_RETRIES: '0' } });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/Run failed: 0 done, 1 failed/);
    expect(run.stdout).toMatch(/Failed or blocked \(1\):\n {2}1 Impossible task — /);
  });

  it('co run exits non-zero and says why when the API refuses the key, leaving the task to run again', { timeout: 120_000 }, async () => {
    fake.script({ match: matchers.hasTools, respond: () => ({ content: [{ type: 'text', text: 'x' }], fault: { kind: 'unauthorized' } }) });
    const env = claudeTestEnv(fake, home.path);
    expect((await project.co(['init'], { env })).status).toBe(0);
    expect((await project.co(['add', 'Task'], { env })).status).toBe(0);
    const run = await project.co(['run', '--no-progress'], { env });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/\nStopped: .*API key/);
    const [task] = await project.coJson<Array<{ id: string; status: string }>>(['list']);
    expect(task?.status).toBe('ready');
  });
});
