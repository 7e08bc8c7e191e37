import { spawn } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claudeTestEnv, makeTempDir, matchers, startFakeAnthropic, textReply, type FakeAnthropic } from '../../support/fake-anthropic';
import { cliBuilt, repoRoot, tempProject, type TempProject } from './cli-harness';

/** Pids of live processes whose working directory is inside `folder`. */
function processesIn(folder: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`).startsWith(folder);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('co run and Ctrl-C', () => {
  let fake: FakeAnthropic;
  let project: TempProject;
  let home: ReturnType<typeof makeTempDir>;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    project = tempProject({ git: true });
    home = makeTempDir('co-interrupt-home-');
  });
  afterEach(async () => {
    await fake.close();
    project.cleanup();
    home.cleanup();
  });

  it('stops the workers, puts their tasks back, leaves no process behind, and exits 130', { timeout: 120_000 }, async () => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    // Every worker request hangs for a minute: the workers are busy when Ctrl-C comes.
    fake.script({ match: matchers.hasTools, respond: () => textReply('never seen', { delayMs: 60_000 }) });
    const env = claudeTestEnv(fake, home.path);
    expect((await project.co(['init'], { env })).status).toBe(0);
    expect((await project.co(['add', 'First slow task'], { env })).status).toBe(0);
    expect((await project.co(['add', 'Second slow task'], { env })).status).toBe(0);

    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'co.js'), 'run', '--workers', '2', '--no-progress'], {
      cwd: project.dir,
      env: { ...process.env, ...env, CO_USER_DATA: project.userData, ORCHESTRATOR_MAX_RETRIES: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Wait until both workers' requests reached the API.
    await fake.waitForRequest((request) => matchers.hasTools(request) && fake.requests.filter((r) => matchers.hasTools(r)).length >= 2, 60_000);
    expect(processesIn(project.dir).length).toBeGreaterThan(0);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    const code = await exited;
    expect(code, output).toBe(130);
    expect(output).toContain('stopping');
    expect(processesIn(project.dir)).toEqual([]);

    const tasks = await project.coJson<Array<{ id: string; status: string }>>(['list']);
    expect(tasks.map((task) => task.status)).toEqual(['ready', 'ready']);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('treats %s like Ctrl-C: stops the worker, puts its task back, leaves no process behind, exits %i', { timeout: 120_000 }, async (signal, expectedCode) => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    fake.script({ match: matchers.hasTools, respond: () => textReply('never seen', { delayMs: 60_000 }) });
    const env = claudeTestEnv(fake, home.path);
    expect((await project.co(['init'], { env })).status).toBe(0);
    expect((await project.co(['add', 'A slow task'], { env })).status).toBe(0);

    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'co.js'), 'run', '--workers', '1', '--no-progress'], {
      cwd: project.dir,
      env: { ...process.env, ...env, CO_USER_DATA: project.userData, ORCHESTRATOR_MAX_RETRIES: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await fake.waitForRequest((request) => matchers.hasTools(request), 60_000);
    expect(processesIn(project.dir).length).toBeGreaterThan(0);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    expect(await exited, output).toBe(expectedCode);
    expect(output).toContain(`stopping (${signal})`);
    expect(processesIn(project.dir)).toEqual([]);
    const tasks = await project.coJson<Array<{ id: string; status: string }>>(['list']);
    expect(tasks.map((task) => task.status)).toEqual(['ready']);
  });
});
