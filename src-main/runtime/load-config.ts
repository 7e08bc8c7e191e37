import { existsSync, readFileSync } from 'node:fs';
import type { OrchestratorConfig } from '../../src-shared/config/config-schema';
import { ConfigValidationError, resolveConfig } from '../../src-shared/config/resolve-config';
import { ConfigFileError, configFilePath, type Env } from './config-file';

export { CONFIG_FILE_NAME, ConfigFileError, configFilePath } from './config-file';

/**
 * Reads and validates the project's config file with environment overrides; no file means
 * defaults. Throws ConfigFileError for a missing explicit file or broken JSON, and
 * ConfigValidationError (naming file, key and expectation) for invalid values.
 */
export function readProjectConfig(projectDir: string, env: Env = process.env): { readonly file: string | null; readonly config: OrchestratorConfig } {
  const { file, explicit } = configFilePath(projectDir, env);
  if (!existsSync(file)) {
    if (explicit) throw new ConfigFileError(`the config file ${file} (from ORCHESTRATOR_CONFIG) does not exist; fix the path or unset ORCHESTRATOR_CONFIG.`);
    return { file: null, config: resolveConfig(undefined, env, file) };
  }
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ConfigFileError(`${file} is not valid JSON (${detail}); fix it, or move it aside and run \`co init\` for a fresh one.`);
  }
  return { file, config: resolveConfig(content, env, file) };
}

/** The project's validated config for a runtime; every problem becomes one ConfigFileError. */
export async function loadProjectConfig(projectDir: string, env: Env = process.env): Promise<OrchestratorConfig> {
  try {
    return readProjectConfig(projectDir, env).config;
  } catch (error) {
    if (error instanceof ConfigValidationError) throw new ConfigFileError(error.message);
    throw error;
  }
}
