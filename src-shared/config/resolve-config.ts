import type { z } from 'zod';
import { OrchestratorConfigSchema, type OrchestratorConfig } from './config-schema';

/** A config that failed validation; each issue names the source, the key and what was expected. */
export class ConfigValidationError extends Error {
  constructor(
    readonly source: string,
    readonly issues: ReadonlyArray<string>,
  ) {
    super(`${source}: ${issues.join('; ')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Environment variables that override the file, and the key each sets. */
export const ENV_OVERRIDES: ReadonlyArray<{ readonly name: string; readonly path: readonly [string, string]; readonly kind: 'string' | 'number' }> = [
  { name: 'ORCHESTRATOR_MAX_WORKERS', path: ['execution', 'max_workers'], kind: 'number' },
  { name: 'ORCHESTRATOR_TASK_TIMEOUT', path: ['execution', 'task_timeout'], kind: 'number' },
  { name: 'ORCHESTRATOR_MAX_RETRIES', path: ['execution', 'max_retries'], kind: 'number' },
  { name: 'ORCHESTRATOR_LOG_LEVEL', path: ['monitoring', 'log_level'], kind: 'string' },
  { name: 'ORCHESTRATOR_MANAGER_MODEL', path: ['models', 'manager'], kind: 'string' },
  { name: 'ORCHESTRATOR_WORKER_MODEL', path: ['models', 'worker'], kind: 'string' },
  { name: 'CLAUDE_CLI_PATH', path: ['claude_cli', 'path'], kind: 'string' },
  { name: 'SLACK_WEBHOOK_URL', path: ['notifications', 'slack_webhook_url'], kind: 'string' },
  { name: 'ORCHESTRATOR_CHECKS_TIMEOUT', path: ['checks', 'timeout'], kind: 'number' },
  { name: 'ORCHESTRATOR_VERIFY_ON_MERGE', path: ['checks', 'verify_on_merge'], kind: 'string' },
];

/**
 * Validates a parsed config file (or undefined when there is none), then applies environment
 * overrides. Pure: the caller reads the file and passes `process.env`.
 */
export function resolveConfig(
  fileContent: unknown,
  env: Readonly<Record<string, string | undefined>> = {},
  source = 'orchestrator_config.json',
): OrchestratorConfig {
  if (fileContent !== undefined && (typeof fileContent !== 'object' || fileContent === null || Array.isArray(fileContent))) {
    throw new ConfigValidationError(source, ['expected a JSON object at the top level']);
  }
  const merged = JSON.parse(JSON.stringify(fileContent ?? {})) as Record<string, unknown>;
  for (const override of ENV_OVERRIDES) {
    const raw = env[override.name];
    if (raw === undefined || raw === '') continue;
    const [section, key] = override.path;
    const value = override.kind === 'number' ? Number(raw) : raw;
    if (override.kind === 'number' && !Number.isFinite(value)) {
      throw new ConfigValidationError(`environment ${override.name}`, [`expected a number, got ${JSON.stringify(raw)}`]);
    }
    const current = merged[section];
    const sectionObject = typeof current === 'object' && current !== null && !Array.isArray(current) ? current : {};
    merged[section] = { ...sectionObject, [key]: value };
  }
  const parsed = OrchestratorConfigSchema.safeParse(merged);
  if (!parsed.success) throw new ConfigValidationError(source, formatIssues(parsed.error));
  return parsed.data;
}

/** "key a.b: message" for each issue. */
export function formatIssues(error: z.ZodError): ReadonlyArray<string> {
  return error.issues.map((issue) => {
    const key = issue.path.map(String).join('.');
    return key ? `key ${key}: ${issue.message}` : issue.message;
  });
}
