import { isAbsolute, join, resolve } from 'node:path';

/** The name of the project's config file (as in the seeds). */
export const CONFIG_FILE_NAME = 'orchestrator_config.json';

/** A config file that is missing its JSON, unreadable or invalid; the message names file, key and expectation. */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
}

/** Environment variables, as process.env or a test's own. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The config file a project uses: ORCHESTRATOR_CONFIG (relative to the project) or orchestrator_config.json there. */
export function configFilePath(projectDir: string, env: Env = process.env): { readonly file: string; readonly explicit: boolean } {
  const fromEnv = env['ORCHESTRATOR_CONFIG'];
  if (fromEnv !== undefined && fromEnv !== '') return { file: isAbsolute(fromEnv) ? fromEnv : resolve(projectDir, fromEnv), explicit: true };
  return { file: join(projectDir, CONFIG_FILE_NAME), explicit: false };
}
