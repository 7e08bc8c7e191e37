import type { z } from 'zod';
import { OrchestratorConfigSchema, type OrchestratorConfig } from './config-schema';
import { ConfigValidationError } from './config-validation-error';
import { ENV_OVERRIDES } from './env-overrides';

export { ConfigValidationError } from './config-validation-error';

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
