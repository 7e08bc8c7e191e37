import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliBuilt, isOneLineError, repoRoot, tempProject, type TempProject } from './cli-harness';

/** A JavaScript project with an npm lockfile, two scripts and a .env with a setting (git-ignored once `co init` has run). */
function nodeProject(): TempProject {
  const project = tempProject({
    git: true,
    files: {
      'package.json': JSON.stringify({ name: 'demo', scripts: { test: 'echo tests ran > tests-ran.txt && echo all passed', lint: 'echo linted' } }),
      'package-lock.json': '{"lockfileVersion":3}',
    },
  });
  writeFileSync(path.join(project.dir, '.env'), 'DATABASE_URL=postgres://localhost/dev\n', { mode: 0o600 });
  return project;
}

function checksOf(project: TempProject): Record<string, unknown> {
  return (JSON.parse(readFileSync(path.join(project.dir, 'orchestrator_config.json'), 'utf8')) as { checks: Record<string, unknown> }).checks;
}

/**
 * Runs `co` on a pseudo-terminal (util-linux `script`) and answers each question when it is asked:
 * `answers` pairs a piece of the prompt with the reply to type.
 */
function coOnTerminal(project: TempProject, args: ReadonlyArray<string>, answers: ReadonlyArray<readonly [string, string]>): Promise<string> {
  const commandLine = [process.execPath, path.join(repoRoot, 'bin', 'co.js'), ...args].map((part) => `'${part}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', commandLine, '/dev/null'], { cwd: project.dir, env: { ...process.env, CO_USER_DATA: project.userData, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let next = 0;
    let answeredAt = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const answer = answers[next];
      if (answer !== undefined && output.indexOf(answer[0], answeredAt) !== -1) {
        answeredAt = output.indexOf(answer[0], answeredAt) + answer[0].length;
        next += 1;
        child.stdin.write(`${answer[1]}\r`);
      }
    });
    child.once('error', reject);
    child.once('close', (status) => (status === 0 && next === answers.length ? resolve(output) : reject(new Error(`exit ${status}, ${next}/${answers.length} answered:\n${output}`))));
  });
}

describe.skipIf(!cliBuilt)('co init proposes checks; co checks shows, proposes and runs them (built CLI)', () => {
  const projects: TempProject[] = [];
  const make = (): TempProject => {
    const project = nodeProject();
    projects.push(project);
    return project;
  };
  afterEach(() => {
    for (const project of projects.splice(0)) project.cleanup();
  });

  it('without a terminal, init shows the proposals with their sources and writes none, saying how to add them', async () => {
    const project = make();
    const result = await project.co(['init']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('    npm ci  — package-lock.json (npm)');
    expect(result.stdout).toContain('    npm run lint  — package.json script "lint" (npm, package-lock.json)');
    expect(result.stdout).toContain('    .env  — .env is present and git-ignored');
    expect(result.stdout).toMatch(/checks not written \(no terminal to confirm them; `co init --yes` accepts them\)/);
    expect(result.stdout).toContain('co checks --propose --write');
    expect(checksOf(project)).toMatchObject({ setup: [], verify: [], copy: [] });
  });

  it('init --yes writes them; a second init keeps them; --no-checks skips the step', async () => {
    const project = make();
    const result = await project.co(['init', '--yes']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('wrote checks (1 setup, 2 verify, 1 copy) to orchestrator_config.json');
    expect(checksOf(project)).toMatchObject({ setup: ['npm ci'], verify: ['npm run lint', 'npm test'], copy: ['.env'] });
    const again = await project.co(['init']);
    expect(again.stdout).toContain('kept checks (1 setup, 2 verify, 1 copy)');

    const skipped = make();
    const noChecks = await skipped.co(['init', '--no-checks']);
    expect(noChecks.stdout).toContain('checks: skipped (--no-checks)');
    expect(noChecks.stdout).not.toContain('Proposed checks');
    expect(checksOf(skipped)).toMatchObject({ setup: [], verify: [] });
  });

  it('on a terminal, init asks: "choose each" keeps only the ones accepted', async () => {
    const project = make();
    const output = await coOnTerminal(project, ['init'], [
      ['[c]hoose each', 'c'],
      ['setup: npm ci?', 'n'],
      ['verify: npm run lint?', 'n'],
      ['verify: npm test?', ''],
      ['copy: .env?', 'y'],
    ]);
    expect(output).toContain('wrote checks (0 setup, 1 verify, 1 copy)');
    expect(checksOf(project)).toMatchObject({ setup: [], verify: ['npm test'], copy: ['.env'] });
  });

  it('co checks shows the configured checks and the agent tools derived from them; --propose --write adds to them', async () => {
    const project = make();
    await project.co(['init']);
    writeFileSync(path.join(project.dir, 'orchestrator_config.json'), JSON.stringify({ checks: { verify: ['make lint'] } }));
    const shown = await project.coJson<{ checks: { verify: string[] }; allowedTools: string[]; allowedToolsSource: string }>(['checks']);
    expect(shown.checks.verify).toEqual(['make lint']);
    expect(shown.allowedTools).toEqual(['Bash(make lint:*)']);
    expect(shown.allowedToolsSource).toMatch(/derived/);

    const proposed = await project.co(['checks', '--propose']);
    expect(proposed.stdout).toContain('npm test  — package.json script "test"');
    expect(proposed.stdout).toContain('Nothing written');
    expect(checksOf(project)).toEqual({ verify: ['make lint'] });

    const written = await project.co(['checks', '--propose', '--write']);
    expect(written.status).toBe(0);
    expect(checksOf(project)).toEqual({ verify: ['make lint', 'npm run lint', 'npm test'], setup: ['npm ci'], copy: ['.env'] });
    const human = await project.co(['checks']);
    expect(human.stdout).toContain('Bash(npm test:*)');

    const misuse = await project.co(['checks', '--write']);
    expect(isOneLineError(misuse)).toBe(true);
  });

  it('co checks --run verify runs the commands here with their output; a failure exits 1 naming the command', async () => {
    const project = make();
    await project.co(['init', '--yes']);
    const passed = await project.co(['checks', '--run', 'verify']);
    expect(passed.status).toBe(0);
    expect(passed.stdout).toContain('▶ npm test');
    expect(passed.stdout).toContain('all passed');
    expect(passed.stdout).toMatch(/✓ `npm test` passed/);
    expect(readFileSync(path.join(project.dir, 'tests-ran.txt'), 'utf8')).toBe('tests ran\n');

    writeFileSync(path.join(project.dir, 'orchestrator_config.json'), JSON.stringify({ checks: { verify: ['echo checking; echo broken >&2; exit 4', 'touch not-reached'] } }));
    const failed = await project.co(['checks', '--run', 'verify']);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain('checking');
    expect(failed.stderr).toContain('broken');
    expect(failed.stderr.trim().split('\n').at(-1)).toBe('co: checks.verify failed: `echo checking; echo broken >&2; exit 4` exited with code 4.');

    const none = await project.co(['checks', '--run', 'setup']);
    expect(isOneLineError(none)).toBe(true);
    expect(none.stderr).toContain('checks.setup is empty');
  });
});
