import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claudeTestEnv, makeTempDir, matchers, startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic';
import { cliBuilt, tempProject, type TempProject } from '../cli/cli-harness';
import { git, writeFileTurn } from '../runtime/pipeline-support';
import { initProject, taskFile, taskOf } from './recovery-support';

describe('the user switches branch while a run works', () => {
  let fake: FakeAnthropic;
  let project: TempProject;
  let home: ReturnType<typeof makeTempDir>;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    project = tempProject({ git: true });
    home = makeTempDir('co-switch-home-');
  });
  afterEach(async () => {
    await fake.close();
    project.cleanup();
    home.cleanup();
  });

  it('keeps the work off the branch they switched to (which would otherwise receive the other branch’s commits), then integrates where it started', { timeout: 300_000 }, async () => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    const env = claudeTestEnv(fake, home.path);
    await initProject(project, env, ['Write task-1.txt']);
    // The run starts on a feature branch with a commit main does not have.
    git(project.dir, 'checkout', '-q', '-b', 'feature');
    writeFileSync(path.join(project.dir, 'feature.txt'), 'half-done feature\n');
    git(project.dir, 'add', 'feature.txt');
    git(project.dir, 'commit', '-q', '-m', 'feature work in progress');
    const mainBefore = git(project.dir, 'rev-parse', 'main');
    // While the agent works, the user goes back to main.
    fake.script({
      match: matchers.hasTools,
      respond: (request) => {
        const id = taskOf(request);
        if (id === undefined) return undefined;
        if (git(project.dir, 'symbolic-ref', '--short', 'HEAD') === 'feature') execFileSync('git', ['checkout', '-q', 'main'], { cwd: project.dir });
        return writeFileTurn(request, taskFile(id).name, taskFile(id).content);
      },
    });

    const run = await project.co(['run', '--no-progress'], { env });
    expect(run.stdout, run.stderr).toMatch(/1 done, 0 failed/);
    // main is untouched: neither the feature's commit nor the run's work landed on it.
    expect(git(project.dir, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(git(project.dir, 'rev-parse', 'main')).toBe(mainBefore);
    expect(existsSync(path.join(project.dir, 'feature.txt'))).toBe(false);
    const branch = /kept on branch (orchestrator\/run-\S+?):/.exec(run.stdout)?.[1];
    expect(branch, run.stdout).toBeDefined();
    expect(run.stdout).toContain('the run started on feature');
    expect(run.stdout).toContain('git checkout feature');
    const status = await project.coJson<{ unintegrated: Array<{ branch: string; status: string; reason: string | null }> }>(['status']);
    expect(status.unintegrated).toEqual([expect.objectContaining({ branch, status: 'kept', reason: expect.stringContaining('feature') })]);

    // A run started on main meanwhile does not build on the feature's work either.
    expect((await project.co(['add', 'Write task-2.txt'], { env })).status).toBe(0);
    const onMain = await project.co(['run', '--no-progress'], { env });
    expect(onMain.stdout, onMain.stderr).toMatch(/2 done, 0 failed/);
    expect(onMain.stdout).toContain('was made on feature, which your current branch does not hold; this run starts without it');
    expect(existsSync(path.join(project.dir, 'feature.txt'))).toBe(false);
    expect(existsSync(path.join(project.dir, taskFile('1').name))).toBe(false);
    expect(readFileSync(path.join(project.dir, taskFile('2').name), 'utf8')).toBe(taskFile('2').content);

    // Back on feature, co integrate brings the first run's work in there.
    git(project.dir, 'checkout', '-q', 'feature');
    const integrated = await project.co(['integrate'], { env });
    expect(integrated.status, integrated.stdout + integrated.stderr).toBe(0);
    expect(readFileSync(path.join(project.dir, taskFile('1').name), 'utf8')).toBe(taskFile('1').content);
    expect(git(project.dir, 'rev-parse', 'main')).not.toBe(mainBefore);
    expect(git(project.dir, 'log', '--format=%s', 'main')).not.toContain('feature work in progress');
    expect((await project.coJson<{ unintegrated: unknown[] }>(['status'])).unintegrated).toEqual([]);
  });
});
