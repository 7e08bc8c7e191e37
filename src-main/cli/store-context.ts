import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { projectDatabasePath } from '../store/database';
import { Store } from '../store/store';
import { CliError } from './cli-error';
import { validatedLogLevel } from './config-stamp';

/**
 * What commands that only read the project's tasks need, without zod or the engine: `co list`
 * on a large project should cost little more than starting Node (docs/BENCHMARKS.md).
 */

/** Where a read-only command works, and its debug line printer. */
export interface StoreContext {
  readonly workingDir: string;
  /** Prints a diagnostic line to stderr when ORCHESTRATOR_LOG_LEVEL / monitoring.log_level is debug. */
  readonly debug: (line: string) => void;
}

/**
 * The working directory of a command that only reads the store, after checking the project's
 * configuration as every command does (an invalid file stops it with the same message), through
 * the record of the last successful check when nothing it read has changed (config-stamp.ts).
 */
export async function storeContext(command: Command, env: NodeJS.ProcessEnv = process.env): Promise<StoreContext> {
  const workingDir = resolveWorkingDir(command, env);
  const debugEnabled = (await validatedLogLevel(workingDir, env)) === 'debug';
  const debug = (line: string): void => {
    if (debugEnabled) console.error(`co [debug] ${line}`);
  };
  debug(`working directory ${workingDir}`);
  return { workingDir, debug };
}

/** The working directory: --working-dir/-d, else ORCHESTRATOR_WORKING_DIR, else the current folder; it must exist. */
export function resolveWorkingDir(command: Command, env: NodeJS.ProcessEnv = process.env): string {
  const option = command.optsWithGlobals<{ workingDir?: string }>().workingDir;
  const chosen = option ?? (env['ORCHESTRATOR_WORKING_DIR'] || undefined) ?? process.cwd();
  const dir = path.resolve(chosen);
  let isDirectory = false;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory) {
    const from = option !== undefined ? '--working-dir' : 'ORCHESTRATOR_WORKING_DIR';
    throw new CliError(`the working directory ${dir} (from ${from}) does not exist or is not a folder; create it or pass another --working-dir.`);
  }
  return dir;
}

/** Throws unless the working directory holds an initialised project (its database exists). */
export function requireInitialisedProject(workingDir: string): void {
  if (!existsSync(projectDatabasePath(workingDir))) {
    throw new CliError(`${workingDir} is not a Claude Orchestrator project (no .orchestrator/state.db); run \`co init\` there first, or pass --working-dir.`);
  }
}

/**
 * Opens the project's store alone, runs `work`, and closes it: for commands that only read tasks
 * (the same database and queries as the orchestrator's, without loading the engine and scheduler).
 */
export async function withStore<T>(context: { readonly workingDir: string }, work: (store: Store) => T): Promise<T> {
  requireInitialisedProject(context.workingDir);
  const store = Store.open(projectDatabasePath(context.workingDir));
  try {
    return work(store);
  } finally {
    store.close();
  }
}
