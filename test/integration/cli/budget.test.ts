import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claudeTestEnv, makeTempDir, matchers, startFakeAnthropic, toolUseReply, type FakeAnthropic } from '../../support/fake-anthropic';
import { workingDirectoryOf, writeConfig, writeFileTurn } from '../runtime/pipeline-support';
import { cliBuilt, git, tempProject, type TempProject } from './cli-harness';

describe('budgets', () => {
  let fake: FakeAnthropic;
  let project: TempProject;
  let home: ReturnType<typeof makeTempDir>;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    project = tempProject({ git: true });
    home = makeTempDir('co-budget-home-');
  });
  afterEach(async () => {
    await fake.close();
    project.cleanup();
    home.cleanup();
  });

  it('co run --budget: once two tasks have cost more than the budget, nothing more is claimed, the run says "budget reached", and the rest stay ready', { timeout: 300_000 }, async () => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    // Every agent turn reports 30,000 output tokens: about $0.45 a turn, two turns a task, whatever the cache does.
    let file = 0;
    fake.script({
      match: matchers.hasTools,
      respond: (request) => ({ ...writeFileTurn(request, `file-${(file += 1)}.txt`, 'x\n'), usage: { output_tokens: 30_000 } }),
    });
    const env = claudeTestEnv(fake, home.path);
    expect((await project.co(['init'], { env })).status).toBe(0);
    writeConfig(project.dir, { models: { enable_opus_review: false }, execution: { max_workers: 1, max_retries: 0 } });
    git(project.dir, 'add', '-A');
    git(project.dir, 'commit', '-q', '-m', 'co init');
    for (const title of ['One', 'Two', 'Three', 'Four', 'Five']) expect((await project.co(['add', title], { env })).status).toBe(0);

    const first = await project.co(['run', '--no-progress', '--budget', '1.5'], { env });
    expect(first.stdout).toMatch(/^co: budget reached: the run has cost \$\d+\.\d\d of its \$1\.50 budget \(budget\.max_usd_per_run\); the tasks not started stay ready\.$/m);
    expect(first.stdout).toMatch(/\nStopped: budget reached/);
    expect(first.status, first.stdout).toBe(1);
    const afterFirst = await project.coJson<Array<{ id: string; status: string }>>(['list']);
    expect(afterFirst.map((task) => [task.id, task.status])).toEqual([
      ['1', 'done'],
      ['2', 'done'],
      ['3', 'ready'],
      ['4', 'ready'],
      ['5', 'ready'],
    ]);

    // The budget counts per run: a new run with room for more goes on from there.
    const bad = await project.co(['run', '--budget', 'lots'], { env });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--budget must be an amount in US dollars above 0');
  });

  it('budget.max_usd_per_task stops an attempt that keeps spending (Claude Code --max-budget-usd); the task fails saying which limit', { timeout: 300_000 }, async () => {
    // An agent that never finishes: every turn writes one more file and costs about $0.45.
    let turn = 0;
    fake.script({
      match: matchers.hasTools,
      respond: (request) => toolUseReply('Write', { file_path: path.join(workingDirectoryOf(request), `part-${(turn += 1)}.txt`), content: 'x\n' }, { usage: { output_tokens: 30_000 } }),
    });
    const env = claudeTestEnv(fake, home.path);
    expect((await project.co(['init'], { env })).status).toBe(0);
    writeConfig(project.dir, { models: { enable_opus_review: false }, execution: { max_workers: 1, max_retries: 2 }, budget: { max_usd_per_task: 1 } });
    expect((await project.co(['add', 'Endless'], { env })).status).toBe(0);
    const run = await project.co(['run', '--no-progress'], { env });
    expect(run.status).toBe(1);
    const [task] = await project.coJson<Array<{ status: string; statusReason: string | null }>>(['list']);
    expect(task?.status).toBe('failed');
    expect(task?.statusReason).toMatch(/the attempt reached its cost limit \(budget\.max_usd_per_task\).*raise the limit or split the task/);
    // Failed at once: another attempt would spend the same again.
    expect(turn).toBeLessThan(10);
  });
});
