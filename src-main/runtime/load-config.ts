import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { OrchestratorConfig } from '../../src-shared/config/config-schema';
import { ConfigValidationError, resolveConfig } from '../../src-shared/config/resolve-config';

/** The name of the project's config file (as in the seeds). */
export const CONFIG_FILE_NAME = 'orchestrator_config.json';

/** A config file that is missing its JSON, unreadable or invalid; the message names file, key and expectation. */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
}

/**
 * Loads `<project>/orchestrator_config.json` (or ORCHESTRATOR_CONFIG), applies environment
 * overrides and validates it. No file means defaults.
 */
export async function loadProjectConfig(projectDir: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<OrchestratorConfig> {
  const override = env['ORCHESTRATOR_CONFIG'];
  const file = override !== undefined && override !== '' ? (isAbsolute(override) ? override : join(projectDir, override)) : join(projectDir, CONFIG_FILE_NAME);
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' || (override !== undefined && override !== '')) {
      throw new ConfigFileError(`${file}: cannot read the config file (${code ?? String(error)}). Check the path and its permissions.`);
    }
  }
  let content: unknown;
  if (text !== undefined) {
    try {
      content = JSON.parse(text);
    } catch (error) {
      throw new ConfigFileError(`${file}: not valid JSON (${(error as Error).message}). Fix the file or delete it to use defaults (\`co init\` writes a fresh one).`);
    }
  }
  try {
    return resolveConfig(content, env, file);
  } catch (error) {
    if (error instanceof ConfigValidationError) throw new ConfigFileError(error.message);
    throw error;
  }
}
