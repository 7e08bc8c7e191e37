import { execFile } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { OrchestratorConfig } from '../../src-shared/config/config-schema';
import { resolveConfig } from '../../src-shared/config/resolve-config';
import { ClaudeNotFoundError, findClaude } from '../agents/claude-cli/find-claude';
import { projectDatabasePath } from '../store/database';
import { API_KEY_ENV, resolveApiKey, type ResolvedApiKey } from '../workspace/api-key';
import { isGitRepository } from '../workspace/layout';
import { redactSecrets } from '../workspace/redact';
import { KEYCHAIN_ALTERNATIVE, SecretStore } from '../workspace/secret-store';
import { configFilePath, readProjectConfig } from './load-config';

const run = promisify(execFile);

type Env = Readonly<Record<string, string | undefined>>;

/** What a setup check is about; stable, unlike the names people read. */
export type SetupCheckId = 'node' | 'git' | 'claude' | 'project' | 'config' | 'api-key' | 'keychain';

/**
 * One setup check, shared by `co check` and the app's `setup.check`: what is fine, what is
 * missing and, when not ok, a one-line fix. Never contains a secret.
 */
export interface SetupCheckResult {
  readonly id: SetupCheckId;
  readonly name: string;
  readonly ok: boolean;
  /** A failed required check means nothing can run; a failed optional one is a warning. */
  readonly required: boolean;
  readonly detail: string;
  readonly fix: string | null;
}

/** Every check in the order people read them; `ok` when no required check failed. */
export interface SetupReport {
  readonly ok: boolean;
  readonly projectDir: string | null;
  readonly checks: ReadonlyArray<SetupCheckResult>;
}

/** What to check and with what. */
export interface SetupCheckOptions {
  /** The project folder; without it only the machine-wide checks run (no project, no config). */
  readonly projectDir?: string;
  /** Where ANTHROPIC_API_KEY and the config overrides are read (default process.env). */
  readonly env?: Env;
  /** The keychain to look in (default: keytar, service 'claude-orchestrator', as runs use). */
  readonly secretStore?: SecretStore;
  /** The CLI needs `co init` before anything runs; the app initialises a project when it opens it. */
  readonly requireInitialised?: boolean;
  /** How long the keychain may take to answer before it counts as unavailable. */
  readonly keychainTimeoutMs?: number;
}

/** Lowest Node version the app supports (package.json engines). */
export const MIN_NODE_VERSION: readonly [number, number] = [20, 19];

/** Runs every check; the API key's value never leaves `resolveApiKey` unmasked. */
export async function runSetupChecks(options: SetupCheckOptions = {}): Promise<SetupReport> {
  const env = options.env ?? process.env;
  const projectDir = options.projectDir;
  const store = options.secretStore ?? new SecretStore();
  const { check: configLine, config } = projectDir === undefined ? { check: null, config: machineConfig(env) } : checkConfig(projectDir, env);
  const gitNeeded = config?.git.enabled ?? true;
  const [git, claude, apiKey, keychain] = await Promise.all([
    checkGitInstalled(gitNeeded),
    checkClaudeCli(claudeOptions(config, env)),
    resolveApiKey({ env, secretStore: store, ...(projectDir === undefined ? {} : { projectDir }) }),
    probeKeychain(store, env, options.keychainTimeoutMs ?? 10_000),
  ]);
  const project =
    projectDir === undefined ? null : await checkProjectFolder({ projectDir, gitInstalled: git.ok, gitEnabled: gitNeeded, requireInitialised: options.requireInitialised ?? false });
  const credentials = { keychain, withProject: projectDir !== undefined, claudeLogin: claudeLoginOf(env), apiNeeded: apiKeyNeeded(config) };
  const checks = [checkNodeVersion(), git, claude, project, configLine, checkApiKey(apiKey, credentials), checkKeychain(keychain)]
    .filter((check): check is SetupCheckResult => check !== null)
    .map(redacted);
  return { ok: checks.every((check) => check.ok || !check.required), projectDir: projectDir ?? null, checks };
}

/** Is this Node new enough? */
export function checkNodeVersion(version: string = process.versions.node): SetupCheckResult {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > MIN_NODE_VERSION[0] || (major === MIN_NODE_VERSION[0] && minor >= MIN_NODE_VERSION[1]);
  return line('node', ok, true, `Node ${version}`, `Install Node ${MIN_NODE_VERSION.join('.')} or newer.`);
}

/** Is git installed (its version)? Optional when the config turns git off. */
export async function checkGitInstalled(needed = true): Promise<SetupCheckResult> {
  try {
    const version = (await run('git', ['--version'], { timeout: 10_000 })).stdout.trim();
    return line('git', true, needed, version, null);
  } catch {
    return line('git', false, needed, 'git is not installed (or not on the PATH).', 'Install git (checkpoints, rollback and worktrees need it), e.g. `sudo apt install git`.');
  }
}

/** Where the Claude Code CLI should come from and whether runs need it. */
export interface ClaudeCheckOptions {
  /** A path from claude_cli.path (or CLAUDE_CLI_PATH); only it is tried. */
  readonly configuredPath?: string;
  /** Where the configured path came from, for the message. */
  readonly configuredFrom?: string;
  /** False when the config runs workers over the API (execution.worker_backend "api"). */
  readonly needed?: boolean;
}

/** Is Claude Code found (the configured path when there is one) and does `claude --version` run? */
export async function checkClaudeCli(options: ClaudeCheckOptions = {}): Promise<SetupCheckResult> {
  const needed = options.needed ?? true;
  const notNeeded = needed ? '' : ' (not needed: execution.worker_backend is "api")';
  const from = options.configuredFrom ?? 'claude_cli.path';
  let path: string;
  try {
    path = (await findClaude(options.configuredPath === undefined ? {} : { configuredPath: options.configuredPath })).path;
  } catch (error) {
    if (!(error instanceof ClaudeNotFoundError)) return line('claude', false, needed, `Claude Code could not be looked for: ${shortReason(error)}${notNeeded}`, 'Install it with `npm install -g @anthropic-ai/claude-code`, or set claude_cli.path in orchestrator_config.json to its full path.');
    return options.configuredPath === undefined
      ? line('claude', false, needed, `Claude Code (\`claude\`) was not found in the app's node_modules, on PATH, or on your login shell's PATH${notNeeded}.`, 'Install it with `npm install -g @anthropic-ai/claude-code` (then check `claude --version` in a new terminal), or set claude_cli.path in orchestrator_config.json to its full path.')
      : line('claude', false, needed, `The configured Claude Code ${options.configuredPath} (from ${from}) does not exist or is not executable${notNeeded}.`, `Correct ${from} to the full path of the \`claude\` executable, or remove it to search the PATH.`);
  }
  try {
    const { stdout } = await run(path, ['--version'], { timeout: 20_000, env: { ...process.env, DISABLE_AUTOUPDATER: '1' } });
    const configured = options.configuredPath === undefined ? '' : ` (from ${from})`;
    return line('claude', true, needed, `${stdout.trim()} at ${path}${configured}${notNeeded}`, null);
  } catch (error) {
    return line('claude', false, needed, `Found ${path}, but \`claude --version\` failed: ${shortReason(error)}${notNeeded}`, `Run \`${path} --version\` in a terminal to see why; reinstall with \`npm install -g @anthropic-ai/claude-code\` if it is broken.`);
  }
}

/** What the project check needs to know. */
export interface ProjectCheckOptions {
  readonly projectDir: string;
  /** When git is missing the folder cannot be asked whether it is a repository. */
  readonly gitInstalled: boolean;
  /** git.enabled from the config: whether a folder outside git is a problem or a choice. */
  readonly gitEnabled: boolean;
  readonly requireInitialised: boolean;
}

/** Does the project folder exist, can we write to it, and is it a git repository (and what that means)? */
export async function checkProjectFolder(options: ProjectCheckOptions): Promise<SetupCheckResult> {
  const { projectDir } = options;
  const info = await stat(projectDir).catch(() => null);
  if (info === null || !info.isDirectory()) return line('project', false, true, `${projectDir} does not exist or is not a folder.`, 'Create the folder, or choose the folder your project is in.');
  if (!(await access(projectDir, constants.W_OK).then(() => true, () => false))) {
    return line('project', false, true, `${projectDir} is not writable, so the task database and worktrees cannot be created.`, `Make it writable (\`chmod u+w "${projectDir}"\`) or choose a folder you own.`);
  }
  if (options.requireInitialised && !existsSync(projectDatabasePath(projectDir))) {
    return line('project', false, true, `${projectDir} is not initialised (no .orchestrator/state.db).`, `Run \`co init\` in ${projectDir} (or pass --working-dir).`);
  }
  const state = `${projectDir}: writable${options.requireInitialised ? ', initialised' : ''}`;
  if (!options.gitInstalled) {
    return line('project', !options.gitEnabled, true, `${state}; git is not installed, so whether it is a git repository is unknown.`, 'Install git (see the git line), or set git.enabled to false in orchestrator_config.json.');
  }
  if (await isGitRepository(projectDir)) return line('project', true, true, `${state}, a git repository (each task gets its own worktree; checkpoints and rollback work).`, null);
  const enclosing = await enclosingRepository(projectDir);
  if (enclosing !== null && options.gitEnabled) {
    return line('project', false, true, `${state}, inside the git repository ${enclosing} rather than its top folder, so worktrees, checkpoints and rollback cannot be used.`, `Open the repository's top folder (${enclosing}) as the project, or set git.enabled to false.`);
  }
  return options.gitEnabled
    ? line('project', false, true, `${state}, not a git repository, so there are no worktrees, checkpoints or rollback, and tasks run in the folder itself, one at a time only when their context files may overlap (or name none).`, 'In the project folder run `co init --git` (git init and a first commit of the folder as it is), or set git.enabled to false.')
    : line('project', true, true, `${state}, not a git repository; git is disabled in the config, so tasks run one at a time only when their context files may overlap (or name none), in the folder itself, without checkpoints or rollback.`, null);
}

/** Is the project's config valid (orchestrator_config.json or ORCHESTRATOR_CONFIG, with environment overrides)? */
export function checkConfig(projectDir: string, env: Env = process.env): { readonly check: SetupCheckResult; readonly config: OrchestratorConfig | null } {
  try {
    const { file, config } = readProjectConfig(projectDir, env);
    return { check: line('config', true, true, file === null ? 'No orchestrator_config.json; the defaults apply.' : `${file} is valid.`, null), config };
  } catch (error) {
    const { file, explicit } = configFilePath(projectDir, env);
    const fix = explicit ? `Fix ${file} (named by ORCHESTRATOR_CONFIG), or unset ORCHESTRATOR_CONFIG.` : `Fix ${file}, or move it aside to use the defaults.`;
    return { check: line('config', false, true, shortReason(error, 400), fix), config: null };
  }
}

/** Whether the OS keychain answered, and if not the likeliest reason. */
export type KeychainStatus = { readonly available: true } | { readonly available: false; readonly reason: string | null };

/** What the API key check knows besides the key. */
export interface CredentialContext {
  readonly keychain: KeychainStatus;
  readonly withProject: boolean;
  /** Where Claude Code's own login comes from (CLAUDE_CODE_OAUTH_TOKEN, its stored login), or null when none is found. */
  readonly claudeLogin?: string | null;
  /** True when the config sends the manager or the workers over the API (a key is then required). */
  readonly apiNeeded?: boolean;
}

/**
 * Is there an Anthropic API key, from where, and does it look right? Shows the key masked only, and
 * says which credentials the manager and the workers will use: without a key, Claude Code's own
 * login does the work (a Claude subscription), unless the config sends calls over the API.
 */
export function checkApiKey(key: ResolvedApiKey, context: CredentialContext): SetupCheckResult {
  const places = context.withProject ? `the environment (${API_KEY_ENV}) or the project’s .env` : `the environment (${API_KEY_ENV})`;
  const login = context.claudeLogin ?? null;
  if (key.source === 'none' || key.key === null) {
    if (login !== null && context.apiNeeded !== true) {
      return line('api-key', true, false, `No Anthropic API key (not needed): the manager and the workers use your Claude Code login (${login}).`, null);
    }
    const signIn = 'or sign in to Claude Code (run `claude` and log in, or set CLAUDE_CODE_OAUTH_TOKEN from `claude setup-token`) to use your Claude subscription';
    const needs = context.apiNeeded === true ? ' The config sends the manager or the workers over the API (models.manager_backend / execution.worker_backend "api"), which needs a key.' : '';
    return context.keychain.available && key.keychainError === undefined
      ? line('api-key', false, true, `No Anthropic API key in ${places} or the OS keychain, and no Claude Code login found.${needs}`, `Set ${API_KEY_ENV} in the environment${context.withProject ? ' or the project’s .env (mode 600)' : ''}, or save the key to the keychain in the app (Settings → Keys); ${signIn}.`)
      : line('api-key', false, true, `No Anthropic API key in ${places}, and the OS keychain is not available to look in; no Claude Code login found.${needs}`, `Set ${API_KEY_ENV} in the environment${context.withProject ? ' or the project’s .env (mode 600)' : ''}; to use the keychain instead, start a Secret Service first (see the keychain line); ${signIn}.`);
  }
  const where = key.source === 'dotenv' ? 'the project’s .env' : key.source === 'environment' ? `the environment (${API_KEY_ENV})` : 'the OS keychain';
  const masked = key.masked ?? 'masked';
  if (key.format !== null && !key.format.valid) {
    return line('api-key', false, true, `The key from ${where} (${masked}) looks wrong: ${key.format.reason}`, 'Copy the key again from the Anthropic console and save it again.');
  }
  return line('api-key', true, true, `From ${where} (${masked}); the manager and the workers use it.`, null);
}

/**
 * Where Claude Code's own login would come from, without reading it: CLAUDE_CODE_OAUTH_TOKEN (or
 * ANTHROPIC_AUTH_TOKEN), else its stored login file (Linux, Windows), else on macOS its keychain entry
 * (which cannot be checked without asking the user, so it is assumed). Null when there is none.
 */
export function claudeLoginOf(env: Env, platform: NodeJS.Platform = process.platform): string | null {
  if (nonEmpty(env['CLAUDE_CODE_OAUTH_TOKEN']) !== undefined) return 'from CLAUDE_CODE_OAUTH_TOKEN';
  if (nonEmpty(env['ANTHROPIC_AUTH_TOKEN']) !== undefined) return 'from ANTHROPIC_AUTH_TOKEN';
  const home = nonEmpty(env['HOME']) ?? nonEmpty(env['USERPROFILE']);
  const configDir = nonEmpty(env['CLAUDE_CONFIG_DIR']) ?? (home === undefined ? undefined : join(home, '.claude'));
  if (configDir !== undefined && existsSync(join(configDir, '.credentials.json'))) return `stored by \`claude\` in ${configDir}`;
  if (platform === 'darwin') return 'stored by `claude` in the macOS keychain, if you have signed in';
  return null;
}

/** True when the config sends the manager or the workers over the API. */
function apiKeyNeeded(config: OrchestratorConfig | null): boolean {
  return config?.models.manager_backend === 'api' || config?.execution.worker_backend === 'api';
}

/** Can keys be kept in the OS keychain? Optional: a key in the environment or .env works without it. */
export function checkKeychain(status: KeychainStatus): SetupCheckResult {
  const name = process.platform === 'linux' ? 'The OS keychain (Secret Service)' : 'The OS keychain';
  if (status.available) return line('keychain', true, false, `${name} is available.`, null);
  const reason = status.reason === null ? '' : ` (${status.reason})`;
  return line('keychain', false, false, `${name} is not available${reason}, so keys cannot be kept there.`, `Start a Secret Service (e.g. gnome-keyring) in your session, or: ${KEYCHAIN_ALTERNATIVE}`);
}

/** Asks the keychain once, bounded in time; says why it did not answer when that is knowable. */
export async function probeKeychain(store: SecretStore, env: Env = process.env, timeoutMs = 10_000): Promise<KeychainStatus> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    timer.unref();
  });
  const answer = await Promise.race([store.isAvailable(), timedOut]).finally(() => clearTimeout(timer));
  if (answer === true) return { available: true };
  if (answer === 'timeout') return { available: false, reason: `it did not answer within ${timeoutMs / 1000} s` };
  const noBus = process.platform === 'linux' && (env['DBUS_SESSION_BUS_ADDRESS'] ?? '') === '';
  return { available: false, reason: noBus ? 'no D-Bus session: DBUS_SESSION_BUS_ADDRESS is not set' : null };
}

/** The top folder of the repository a folder is inside, or null when it is in none. */
async function enclosingRepository(dir: string): Promise<string | null> {
  try {
    const top = (await run('git', ['rev-parse', '--show-toplevel'], { cwd: dir, timeout: 10_000 })).stdout.trim();
    return top === '' ? null : top;
  } catch {
    return null;
  }
}

/** The config without a project: defaults plus environment overrides; null when those are invalid. */
function machineConfig(env: Env): OrchestratorConfig | null {
  try {
    return resolveConfig(undefined, env, 'environment');
  } catch {
    return null;
  }
}

function claudeOptions(config: OrchestratorConfig | null, env: Env): ClaudeCheckOptions {
  const needed = config?.execution.worker_backend !== 'api';
  // An invalid config still names the path it wants (the environment's, when set).
  const configuredPath = config?.claude_cli.path ?? nonEmpty(env['CLAUDE_CLI_PATH']);
  if (configuredPath === undefined) return { needed };
  const configuredFrom = nonEmpty(env['CLAUDE_CLI_PATH']) === configuredPath ? 'CLAUDE_CLI_PATH' : 'claude_cli.path in the config';
  return { configuredPath, configuredFrom, needed };
}

const NAMES: Readonly<Record<SetupCheckId, string>> = {
  node: 'Node.js',
  git: 'git',
  claude: 'claude CLI',
  project: 'project',
  config: 'config',
  'api-key': 'API key',
  keychain: 'keychain',
};

function line(id: SetupCheckId, ok: boolean, required: boolean, detail: string, fix: string | null): SetupCheckResult {
  return { id, name: NAMES[id], ok, required, detail, fix: ok ? null : fix };
}

function redacted(check: SetupCheckResult): SetupCheckResult {
  return { ...check, detail: redactSecrets(check.detail), fix: check.fix === null ? null : redactSecrets(check.fix) };
}

/** The first line of an error, redacted and shortened: a reason, not a stack trace. */
function shortReason(error: unknown, max = 200): string {
  const message = redactSecrets(error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
  return message.length <= max ? message : `${message.slice(0, max - 1)}…`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
