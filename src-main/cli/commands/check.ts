import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import type { OrchestratorConfig } from '../../../src-shared/config/config-schema';
import { findClaude } from '../../agents/claude-cli/find-claude';
import { projectDatabasePath } from '../../store/database';
import { CliError } from '../cli-error';
import { cliAction, oneLine } from '../cli-errors';
import { printJson } from '../output';
import { loadConfig, resolveWorkingDir } from '../project-context';

const run = promisify(execFile);

/** One line of `co check`. */
export interface CheckLine {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** How to fix it, when not ok. */
  readonly fix?: string;
}

/** Lowest Node version the app supports (package.json engines). */
const MIN_NODE: readonly [number, number] = [20, 19];

/** `co check`: is everything in place to run? One ✓/✗ line per item with how to fix it; exit 1 on any ✗. */
export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('check Node, the claude CLI, the API key, the working directory, git and the config; exit 1 if anything is missing')
    .option('--json', 'print the checks as JSON')
    .action(
      cliAction(async (options: { readonly json?: boolean }, command: Command) => {
        const workingDir = resolveWorkingDir(command);
        const lines: CheckLine[] = [checkNode()];
        let config: OrchestratorConfig | undefined;
        let configLine: CheckLine;
        try {
          const loaded = loadConfig(workingDir);
          config = loaded.config;
          configLine = { name: 'config', ok: true, detail: loaded.file ? `${loaded.file} is valid` : 'no orchestrator_config.json; using the defaults' };
        } catch (error) {
          configLine = { name: 'config', ok: false, detail: oneLine(error instanceof Error ? error.message : String(error)), fix: 'fix the file (or move it aside and run `co init`)' };
        }
        const [claude, apiKey, git] = await Promise.all([checkClaude(config), checkApiKey(workingDir), checkGit(workingDir, config)]);
        lines.push(claude, apiKey, checkWorkingDir(workingDir), git, configLine);
        const ok = lines.every((line) => line.ok);
        if (options.json) printJson({ ok, workingDir, checks: lines });
        else for (const line of lines) console.log(formatLine(line));
        if (!ok) {
          if (options.json) process.exitCode = 1;
          else throw new CliError(`${lines.filter((line) => !line.ok).length} check(s) failed; see the ✗ lines above.`);
        }
      }),
    );
}

function formatLine(line: CheckLine): string {
  const head = `${line.ok ? '✓' : '✗'} ${line.name.padEnd(12)} ${line.detail}`;
  return line.ok || line.fix === undefined ? head : `${head}\n  → ${line.fix}`;
}

function checkNode(): CheckLine {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return { name: 'node', ok, detail: `Node ${process.versions.node}`, ...(ok ? {} : { fix: `install Node ${MIN_NODE.join('.')} or newer` }) };
}

async function checkClaude(config: OrchestratorConfig | undefined): Promise<CheckLine> {
  try {
    const configuredPath = config?.claude_cli.path;
    const found = await findClaude(configuredPath === undefined ? {} : { configuredPath });
    const { stdout } = await run(found.path, ['--version'], { timeout: 20_000, env: { ...process.env, DISABLE_AUTOUPDATER: '1' } });
    return { name: 'claude CLI', ok: true, detail: `${stdout.trim()} at ${found.path}` };
  } catch (error) {
    const message = oneLine(error instanceof Error ? error.message : String(error));
    return { name: 'claude CLI', ok: false, detail: 'Claude Code (`claude`) not found or not runnable', fix: message };
  }
}

async function checkApiKey(workingDir: string): Promise<CheckLine> {
  // Loaded on demand: api-key pulls in the Anthropic SDK.
  const { resolveApiKey } = await import('../../workspace/api-key');
  const key = await resolveApiKey({ projectDir: workingDir });
  if (key.source === 'none') {
    return {
      name: 'API key',
      ok: false,
      detail: 'no ANTHROPIC_API_KEY in the environment or .env',
      fix: 'export ANTHROPIC_API_KEY=… (or put it in .env, mode 600; the desktop app can keep it in the OS keychain)',
    };
  }
  const where = key.source === 'dotenv' ? '.env' : key.source;
  if (key.format !== null && !key.format.valid) {
    return { name: 'API key', ok: false, detail: `from ${where} (${key.masked ?? 'masked'}) looks wrong: ${key.format.reason}`, fix: 'copy the key again from the Anthropic console' };
  }
  return { name: 'API key', ok: true, detail: `from ${where} (${key.masked ?? 'masked'})` };
}

function checkWorkingDir(workingDir: string): CheckLine {
  const initialised = existsSync(projectDatabasePath(workingDir));
  return initialised
    ? { name: 'project', ok: true, detail: `${workingDir} (initialised)` }
    : { name: 'project', ok: false, detail: `${workingDir} is not initialised`, fix: 'run `co init` here (or pass --working-dir)' };
}

async function checkGit(workingDir: string, config: OrchestratorConfig | undefined): Promise<CheckLine> {
  let version: string;
  try {
    version = (await run('git', ['--version'], { timeout: 10_000 })).stdout.trim();
  } catch {
    return { name: 'git', ok: false, detail: 'git is not installed', fix: 'install git (checkpoints, rollback and worktrees need it)' };
  }
  const { isGitRepository } = await import('../../workspace/layout');
  if (await isGitRepository(workingDir)) return { name: 'git', ok: true, detail: `${version}; the working directory is a repository` };
  const needed = config?.git.enabled ?? true;
  return {
    name: 'git',
    ok: !needed,
    detail: `${version}; the working directory is not a git repository${needed ? '' : ' (git disabled in the config)'}`,
    ...(needed ? { fix: 'git init && git add -A && git commit -m "Initial commit" (or set git.enabled to false)' } : {}),
  };
}
