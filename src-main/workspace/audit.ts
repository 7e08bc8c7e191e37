import { stat } from 'node:fs/promises';
import { API_KEY_ENV, resolveApiKey, type ApiKeySource } from './api-key';
import { runGit } from './git';
import { isGitRepository, workspacePaths } from './layout';
import { redactSecrets } from './redact';
import { scanForSecrets, type SecretFinding } from './secret-scan';
import type { SecretStore } from './secret-store';

/** How much a finding matters. */
export type AuditSeverity = 'high' | 'medium' | 'low' | 'info';

/** One thing the audit wants the user to know, with what to do about it. */
export interface AuditFinding {
  readonly severity: AuditSeverity;
  /** Stable code for tools, e.g. 'permissions.env-file'. */
  readonly code: string;
  readonly message: string;
  readonly fix?: string;
  readonly file?: string;
  readonly line?: number;
}

/** A file-permission check. */
export interface PermissionCheck {
  readonly path: string;
  readonly exists: boolean;
  /** Octal, e.g. '600'; null when the file does not exist or on Windows. */
  readonly actual: string | null;
  readonly expected: '600' | '700';
  readonly ok: boolean;
}

/** One environment variable the app reads. */
export interface EnvironmentCheck {
  readonly name: string;
  readonly set: boolean;
  /** Redacted value for non-secrets; never the secret itself. */
  readonly value?: string;
  readonly ok: boolean;
  readonly note?: string;
}

/** The machine-readable result of `co security-audit`. */
export interface SecurityAuditResult {
  readonly version: 1;
  readonly projectDir: string;
  readonly generatedAt: string;
  /** No high or medium finding. */
  readonly ok: boolean;
  readonly apiKey: {
    readonly source: ApiKeySource;
    readonly masked: string | null;
    readonly formatValid: boolean | null;
    readonly formatProblem?: string;
    readonly keychainError?: string;
  };
  readonly permissions: { readonly envFile: PermissionCheck; readonly orchestratorDir: PermissionCheck };
  readonly secrets: { readonly findings: ReadonlyArray<SecretFinding>; readonly filesScanned: number; readonly filesSkipped: number };
  readonly environment: ReadonlyArray<EnvironmentCheck>;
  readonly findings: ReadonlyArray<AuditFinding>;
}

/** Runs every check on a project; never changes anything. */
export async function runSecurityAudit(options: {
  readonly projectDir: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly secretStore?: SecretStore;
  readonly now?: Date;
}): Promise<SecurityAuditResult> {
  const env = options.env ?? process.env;
  const paths = workspacePaths(options.projectDir);
  const findings: AuditFinding[] = [];

  const secretStore = options.secretStore === undefined ? {} : { secretStore: options.secretStore };
  const key = await resolveApiKey({ projectDir: paths.projectDir, env, ...secretStore });
  if (key.source === 'none') {
    findings.push(finding('medium', 'api-key.missing', 'No Anthropic API key found.', {
      fix: 'Store it in the keychain from Settings, or set ANTHROPIC_API_KEY.',
    }));
  } else if (key.format !== null && !key.format.valid) {
    findings.push(finding('medium', 'api-key.format', `The API key from ${key.source} looks wrong: ${key.format.reason}`));
  }
  if (key.keychainError !== undefined) findings.push(finding('info', 'keychain.unavailable', key.keychainError));

  const envFile = await checkPermissions(paths.envFile, '600');
  const orchestratorDir = await checkPermissions(paths.orchestratorDir, '700');
  if (!envFile.ok) {
    findings.push(finding('high', 'permissions.env-file', `.env is readable by others (mode ${envFile.actual}).`, {
      fix: `chmod 600 ${paths.envFile}`,
      file: '.env',
    }));
  }
  if (!orchestratorDir.ok) {
    findings.push(finding('medium', 'permissions.orchestrator-dir', `.orchestrator/ is accessible by others (mode ${orchestratorDir.actual}).`, {
      fix: `chmod 700 ${paths.orchestratorDir}`,
      file: '.orchestrator',
    }));
  }
  if (envFile.exists) findings.push(...(await checkEnvFileNotCommitted(paths.projectDir)));

  const scan = await scanForSecrets(paths.projectDir, { skipFiles: ['.env'] });
  for (const found of scan.findings) {
    const message = `${found.description} hard-coded in ${found.file}:${found.line} (${found.masked}).`;
    findings.push(finding('high', `secret.${found.ruleId}`, message, {
      fix: 'Remove it, rotate it, and load it from the keychain or the environment.',
      file: found.file,
      line: found.line,
    }));
  }

  const environment = checkEnvironment(env);
  for (const check of environment) {
    if (!check.ok) findings.push(finding('medium', `env.${check.name}`, check.note ?? `${check.name} is unsafe.`));
  }

  return {
    version: 1,
    projectDir: paths.projectDir,
    generatedAt: (options.now ?? new Date()).toISOString(),
    ok: !findings.some((finding) => finding.severity === 'high' || finding.severity === 'medium'),
    apiKey: {
      source: key.source,
      masked: key.masked,
      formatValid: key.format === null ? null : key.format.valid,
      ...(key.format !== null && !key.format.valid ? { formatProblem: key.format.reason } : {}),
      ...(key.keychainError === undefined ? {} : { keychainError: key.keychainError }),
    },
    permissions: { envFile, orchestratorDir },
    secrets: scan,
    environment,
    findings,
  };
}

function finding(
  severity: AuditSeverity,
  code: string,
  message: string,
  extra: { readonly fix?: string; readonly file?: string; readonly line?: number } = {},
): AuditFinding {
  return { severity, code, message, ...extra };
}

/** Mode check: nothing for group or others. A missing file is fine. */
async function checkPermissions(file: string, expected: '600' | '700'): Promise<PermissionCheck> {
  const info = await stat(file).catch(() => null);
  if (info === null) return { path: file, exists: false, actual: null, expected, ok: true };
  if (process.platform === 'win32') return { path: file, exists: true, actual: null, expected, ok: true };
  const mode = info.mode & 0o777;
  return { path: file, exists: true, actual: mode.toString(8).padStart(3, '0'), expected, ok: (mode & 0o077) === 0 };
}

/** A committed or unignored .env leaks the key to everyone who clones the repository. */
async function checkEnvFileNotCommitted(projectDir: string): Promise<AuditFinding[]> {
  if (!(await isGitRepository(projectDir))) return [];
  const tracked = await runGit(projectDir, ['ls-files', '--error-unmatch', '--', '.env'], { allowExitCodes: [1] });
  if (tracked.exitCode === 0) {
    const fix = 'git rm --cached .env, add it to .gitignore, and rotate the keys in it.';
    return [finding('high', 'env-file.tracked', '.env is committed to git.', { fix, file: '.env' })];
  }
  const ignored = await runGit(projectDir, ['check-ignore', '-q', '--', '.env'], { allowExitCodes: [1] });
  if (ignored.exitCode !== 0) {
    const message = '.env is not in .gitignore and could be committed by accident.';
    return [finding('medium', 'env-file.not-ignored', message, { fix: 'Add .env to .gitignore.', file: '.env' })];
  }
  return [];
}

/** Environment variables that change where keys go or how safely. */
export function checkEnvironment(env: Readonly<Record<string, string | undefined>>): EnvironmentCheck[] {
  const checks: EnvironmentCheck[] = [];
  checks.push({ name: API_KEY_ENV, set: Boolean(env[API_KEY_ENV]), ok: true });
  const baseUrl = env['ANTHROPIC_BASE_URL'];
  if (baseUrl === undefined || baseUrl === '') {
    checks.push({ name: 'ANTHROPIC_BASE_URL', set: false, ok: true });
  } else {
    const safe = isSafeBaseUrl(baseUrl);
    checks.push({
      name: 'ANTHROPIC_BASE_URL',
      set: true,
      value: redactSecrets(baseUrl),
      ok: safe,
      ...(safe ? {} : { note: 'ANTHROPIC_BASE_URL sends the API key over plain HTTP to a remote host.' }),
    });
  }
  const tls = env['NODE_TLS_REJECT_UNAUTHORIZED'];
  checks.push({
    name: 'NODE_TLS_REJECT_UNAUTHORIZED',
    set: tls !== undefined,
    ...(tls === undefined ? {} : { value: tls }),
    ok: tls !== '0',
    ...(tls === '0' ? { note: 'NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate checks; keys can be intercepted.' } : {}),
  });
  const webhook = env['SLACK_WEBHOOK_URL'];
  checks.push({ name: 'SLACK_WEBHOOK_URL', set: Boolean(webhook), ...(webhook ? { value: redactSecrets(webhook) } : {}), ok: true });
  return checks;
}

function isSafeBaseUrl(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}
