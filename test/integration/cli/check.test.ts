import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliBuilt, repoRoot, tempProject, type CoResult, type TempProject } from './cli-harness';

/** A fake key that passes the format check; no part of its body may ever be printed. */
const API_KEY = `sk-ant-api03-${'C0ffee1234'.repeat(8)}-checkKEYtestAA`;
const KEY_BODY = API_KEY.slice(14, 70);

interface CheckLine {
  readonly id: string;
  readonly name: string;
  readonly ok: boolean;
  readonly required: boolean;
  readonly detail: string;
  readonly fix: string | null;
}
interface CheckReport {
  readonly ok: boolean;
  readonly workingDir: string;
  readonly checks: ReadonlyArray<CheckLine>;
}

const UNIFIED_NAMES = ['Node.js', 'git', 'claude CLI', 'project', 'config', 'API key', 'keychain'];
const canStartKeyring = ['dbus-run-session', 'gnome-keyring-daemon'].every((name) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0);
const isRoot = process.getuid?.() === 0;

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function project(options: { readonly git?: boolean; readonly config?: unknown; readonly init?: boolean } = {}): Promise<TempProject> {
  const created = tempProject({ git: options.git ?? true });
  cleanups.push(created.cleanup);
  if (options.config !== undefined) writeFileSync(path.join(created.dir, 'orchestrator_config.json'), JSON.stringify(options.config));
  return (options.init ?? true) ? created.co(['init']).then(() => created) : Promise.resolve(created);
}

function privateFolder(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The caller's environment with no D-Bus session, display or runtime folder, and a private
 * home: keytar cannot reach any Secret Service, and nothing can touch the user's keyring.
 */
function withoutDbus(): Record<string, string> {
  const home = privateFolder('co-check-home-');
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /^(DBUS_|DISPLAY$|WAYLAND_DISPLAY$|XDG_RUNTIME_DIR$|ORCHESTRATOR_|ANTHROPIC_API_KEY$|SLACK_WEBHOOK_URL$)/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share'), XDG_CACHE_HOME: path.join(home, '.cache'), NO_COLOR: '1' };
}

function run(command: string, args: ReadonlyArray<string>, options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv }): Promise<CoResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function coBin(): string {
  return path.join(repoRoot, 'bin', 'co.js');
}

function report(result: CoResult): CheckReport {
  return JSON.parse(result.stdout) as CheckReport;
}

function line(parsed: CheckReport, id: string): CheckLine {
  const found = parsed.checks.find((check) => check.id === id);
  if (found === undefined) throw new Error(`no ${id} check in ${JSON.stringify(parsed)}`);
  return found;
}

function expectNoSecretOrStack(result: CoResult): void {
  for (const text of [result.stdout, result.stderr]) {
    expect(text).not.toContain(KEY_BODY);
    expect(text).not.toMatch(/^\s+at /m);
  }
}

describe.skipIf(!cliBuilt)('co check (built CLI)', () => {
  it.skipIf(!canStartKeyring)('finds the API key in the OS keychain when it is not in the environment, and never prints it', async () => {
    const created = await project();
    // Its own D-Bus session and gnome-keyring with the keyring files in a private home, so the key
    // stored under the real account name cannot be seen by any other test or by the user's keyring.
    const env = { ...withoutDbus(), XDG_RUNTIME_DIR: privateFolder('co-check-run-'), CO_USER_DATA: created.userData };
    const keytar = path.join(repoRoot, 'node_modules', 'keytar');
    const store = `require(process.argv[1]).setPassword('claude-orchestrator', 'anthropic-api-key', process.argv[2]).catch((error) => { console.error(String(error)); process.exit(3); })`;
    const script = '"$1" -e "$2" "$3" "$4" && "$1" "$5" check --json && echo "--- human ---" && "$1" "$5" check';
    const args = ['keyring', process.execPath, store, keytar, API_KEY, coBin()];
    const result = await run('bash', [path.join(repoRoot, 'scripts', 'with-keyring.sh'), 'bash', '-c', script, ...args], { cwd: created.dir, env });

    const [json = '', human = ''] = result.stdout.split('--- human ---\n');
    const parsed = JSON.parse(json) as CheckReport;
    expect(parsed.checks.map((check) => check.name)).toEqual(UNIFIED_NAMES);
    expect(line(parsed, 'api-key')).toMatchObject({ ok: true, detail: expect.stringContaining('From the OS keychain (sk-ant-api03-***') as unknown as string, fix: null });
    expect(line(parsed, 'keychain')).toMatchObject({ ok: true, required: false });
    expect(human).toMatch(/^✓ API key +From the OS keychain/m);
    expectNoSecretOrStack(result);
  });

  it('without D-Bus says the keychain is unavailable, with its fix, and fails on the missing key', async () => {
    const created = await project();
    const result = await run(process.execPath, [coBin(), 'check', '--json'], { cwd: created.dir, env: withoutDbus() });
    const parsed = report(result);
    expect(result.status).toBe(1);
    expect(parsed.ok).toBe(false);
    expect(line(parsed, 'keychain')).toMatchObject({
      ok: false,
      required: false,
      detail: expect.stringMatching(/not available \(no D-Bus session: DBUS_SESSION_BUS_ADDRESS is not set\)/) as unknown as string,
      fix: expect.stringMatching(/^Start a Secret Service .*ANTHROPIC_API_KEY/) as unknown as string,
    });
    expect(line(parsed, 'api-key')).toMatchObject({
      ok: false,
      required: true,
      detail: expect.stringContaining('the OS keychain is not available') as unknown as string,
      fix: expect.stringContaining('ANTHROPIC_API_KEY') as unknown as string,
    });
    expectNoSecretOrStack(result);

    const human = await run(process.execPath, [coBin(), 'check'], { cwd: created.dir, env: withoutDbus() });
    expect(human.status).toBe(1);
    expect(human.stdout).toMatch(/^! keychain +The OS keychain .* is not available/m);
    expect(human.stdout).toMatch(/^ {2}→ Start a Secret Service/m);
    expect(human.stdout).toMatch(/^✗ API key/m);
    expect(human.stderr.trim()).toBe('co: 1 required check(s) failed; see the ✗ lines above.');
    expectNoSecretOrStack(human);
  });

  it('passes with the key in the environment although the keychain is unavailable (an optional check)', async () => {
    // Workers over the API: the Claude Code CLI is not needed, so only the key and the keychain matter here.
    const created = await project({ config: { execution: { worker_backend: 'api' } } });
    const env = { ...withoutDbus(), ANTHROPIC_API_KEY: API_KEY };
    const result = await run(process.execPath, [coBin(), 'check', '--json'], { cwd: created.dir, env });
    const parsed = report(result);
    expect(line(parsed, 'api-key')).toMatchObject({ ok: true, detail: expect.stringContaining('From the environment (ANTHROPIC_API_KEY) (sk-ant-api03-***') as unknown as string });
    expect(line(parsed, 'keychain')).toMatchObject({ ok: false, required: false });
    expect(line(parsed, 'claude')).toMatchObject({ required: false, detail: expect.stringContaining('not needed: execution.worker_backend is "api"') as unknown as string });
    expect(parsed.ok).toBe(true);
    expect(result.status).toBe(0);
    expectNoSecretOrStack(result);

    const human = await run(process.execPath, [coBin(), 'check'], { cwd: created.dir, env });
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/^! keychain/m);
    expectNoSecretOrStack(human);
  });

  it('uses the claude path from the config, and names it when it is wrong', async () => {
    const bin = privateFolder('co-check-bin-');
    const fakeClaude = path.join(bin, 'my-claude');
    writeFileSync(fakeClaude, '#!/bin/sh\necho "9.9.9 (Claude Code)"\n', { mode: 0o755 });
    const created = await project({ config: { claude_cli: { path: fakeClaude } } });
    const found = line(report(await created.co(['check', '--json'])), 'claude');
    expect(found).toMatchObject({ ok: true, detail: `9.9.9 (Claude Code) at ${fakeClaude} (from claude_cli.path in the config)` });

    const missing = path.join(bin, 'nowhere', 'claude');
    writeFileSync(path.join(created.dir, 'orchestrator_config.json'), JSON.stringify({ claude_cli: { path: missing } }));
    const result = await created.co(['check', '--json']);
    expect(result.status).toBe(1);
    expect(line(report(result), 'claude')).toMatchObject({
      ok: false,
      required: true,
      detail: expect.stringContaining(`${missing} (from claude_cli.path in the config) does not exist or is not executable`) as unknown as string,
      fix: expect.stringContaining('Correct claude_cli.path in the config') as unknown as string,
    });
  });

  it('states what the project folder means: initialised, git repository or not (and the consequence)', async () => {
    const bare = await project({ git: false, init: false });
    const uninitialised = report(await bare.co(['check', '--json']));
    expect(line(uninitialised, 'project')).toMatchObject({ ok: false, fix: expect.stringContaining('Run `co init`') as unknown as string });

    await bare.co(['init']);
    const noRepository = report(await bare.co(['check', '--json']));
    expect(line(noRepository, 'project')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('not a git repository, so there are no worktrees, checkpoints or rollback') as unknown as string,
      fix: expect.stringContaining('git init') as unknown as string,
    });

    writeFileSync(path.join(bare.dir, 'orchestrator_config.json'), JSON.stringify({ git: { enabled: false } }));
    const gitOff = report(await bare.co(['check', '--json']));
    expect(line(gitOff, 'project')).toMatchObject({ ok: true, detail: expect.stringContaining('git is disabled in the config, so tasks run one at a time') as unknown as string, fix: null });
    expect(line(gitOff, 'git')).toMatchObject({ required: false });
  });

  it.skipIf(isRoot)('says when the project folder is not writable', async () => {
    const created = await project();
    chmodSync(created.dir, 0o555);
    cleanups.push(() => chmodSync(created.dir, 0o755));
    const parsed = report(await created.co(['check', '--json']));
    expect(line(parsed, 'project')).toMatchObject({ ok: false, detail: expect.stringContaining('is not writable') as unknown as string, fix: expect.stringContaining('chmod u+w') as unknown as string });
  });

  it('reports an invalid config file with the key at fault and exits 1', async () => {
    const created = await project({ config: { execution: { max_workers: 0 } } });
    const result = await created.co(['check', '--json']);
    expect(result.status).toBe(1);
    expect(line(report(result), 'config')).toMatchObject({ ok: false, detail: expect.stringContaining('execution.max_workers') as unknown as string, fix: expect.stringContaining('orchestrator_config.json') as unknown as string });
  });
});
