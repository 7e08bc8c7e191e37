import type { Command } from 'commander';
import { DEFAULT_CONFIG, type OrchestratorConfig } from '../../src-shared/config/config-schema';
import { ConfigFileError, readProjectConfig } from '../runtime/load-config';
import type { Orchestrator } from '../engine/orchestrator';
import { CliError } from './cli-error';
import { requireInitialisedProject, resolveWorkingDir } from './store-context';

export { requireInitialisedProject, resolveWorkingDir, withStore } from './store-context';

export { CONFIG_FILE_NAME, configFilePath } from '../runtime/load-config';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** Where a command works and with which configuration. */
export interface ProjectContext {
  readonly workingDir: string;
  /** The config file read, or null when there is none (defaults apply). */
  readonly configFile: string | null;
  readonly config: OrchestratorConfig;
  /** Prints a diagnostic line to stderr when ORCHESTRATOR_LOG_LEVEL / monitoring.log_level is debug. */
  readonly debug: (line: string) => void;
}

/** Reads and validates the project's configuration (file + environment); throws one clear error when it is wrong. */
export function loadConfig(workingDir: string, env: NodeJS.ProcessEnv = process.env): { readonly file: string | null; readonly config: OrchestratorConfig } {
  const level = env['ORCHESTRATOR_LOG_LEVEL'];
  if (level !== undefined && level !== '' && !(LOG_LEVELS as ReadonlyArray<string>).includes(level)) {
    throw new CliError(`environment ORCHESTRATOR_LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${level}".`);
  }
  try {
    return readProjectConfig(workingDir, env);
  } catch (error) {
    if (error instanceof ConfigFileError) throw new CliError(error.message);
    throw error;
  }
}

/** Working directory and configuration of a command; validates both before anything is changed. */
export function projectContext(command: Command, env: NodeJS.ProcessEnv = process.env): ProjectContext {
  const workingDir = resolveWorkingDir(command, env);
  const { file, config } = loadConfig(workingDir, env);
  const debugEnabled = config.monitoring.log_level === 'debug';
  const debug = (line: string): void => {
    if (debugEnabled) console.error(`co [debug] ${line}`);
  };
  debug(`working directory ${workingDir}; config ${file ?? 'defaults (no file)'}`);
  return { workingDir, configFile: file, config, debug };
}

/** Opens the project's orchestrator, runs `work`, and closes it again. */
export async function withOrchestrator<T>(context: ProjectContext, work: (orchestrator: Orchestrator) => Promise<T> | T): Promise<T> {
  requireInitialisedProject(context.workingDir);
  // Loaded here, not at the top: commands that only read (withStore) need not load the engine.
  const { Orchestrator } = await import('../engine/orchestrator');
  const orchestrator = new Orchestrator({ workingDirectory: context.workingDir, config: context.config });
  try {
    return await work(orchestrator);
  } finally {
    await orchestrator.close();
  }
}

/** The configuration defaults written by `co init`. */
export function defaultConfigDocument(): OrchestratorConfig {
  return DEFAULT_CONFIG;
}
