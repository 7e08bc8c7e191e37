import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ENV_OVERRIDES } from '../../src-shared/config/env-overrides';
import { configFilePath } from '../runtime/config-file';

/**
 * The record of the last successful check of a project's configuration, so that a command which
 * only reads tasks need not load zod (half of `co list`'s start-up) to check it again. Validation
 * is a pure function of the build's config schema, the file's bytes and the environment
 * overrides; the record keeps a hash of all three and the one setting such a command uses (the
 * log level). Any change to them, or a build without a schema id (tsx, tests), validates again
 * in full; an invalid configuration is never recorded, so it stops every command as before.
 */

/** Set at build time (scripts/build-main.mjs): a hash of the config schema's sources and zod's version. */
declare const __CO_CONFIG_SCHEMA_ID__: string | undefined;

/** The record, in the project's .orchestrator folder (ignored by git, removed with the project's state). */
const STAMP_FILE = path.join('.orchestrator', 'config-validated.json');

interface ConfigStamp {
  readonly key: string;
  readonly logLevel: string;
}

/**
 * The configuration's log level, checking the configuration first: from the record when its
 * key matches, else by full validation (which throws the CliError every command gives for an
 * invalid configuration) and a new record.
 */
export async function validatedLogLevel(workingDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const key = stampKey(workingDir, env);
  if (key !== undefined) {
    const stamp = readStamp(workingDir);
    if (stamp?.key === key) return stamp.logLevel;
  }
  const { loadConfig } = await import('./project-context');
  const logLevel = loadConfig(workingDir, env).config.monitoring.log_level;
  if (key !== undefined) writeStamp(workingDir, { key, logLevel });
  return logLevel;
}

/** Hash of everything validation reads; undefined when it cannot be known (no schema id, an unreadable file). */
function stampKey(workingDir: string, env: NodeJS.ProcessEnv): string | undefined {
  const schemaId = typeof __CO_CONFIG_SCHEMA_ID__ === 'string' ? __CO_CONFIG_SCHEMA_ID__ : undefined;
  if (schemaId === undefined) return undefined;
  const { file, explicit } = configFilePath(workingDir, env);
  const hash = createHash('sha256').update(JSON.stringify([schemaId, file, explicit, ENV_OVERRIDES.map(({ name }) => env[name] ?? null)]));
  if (existsSync(file)) {
    try {
      hash.update('\0file\0').update(readFileSync(file));
    } catch {
      return undefined;
    }
  } else {
    hash.update('\0no file\0');
  }
  return hash.digest('hex');
}

function readStamp(workingDir: string): ConfigStamp | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path.join(workingDir, STAMP_FILE), 'utf8')) as Partial<ConfigStamp> | null;
    return typeof parsed?.key === 'string' && typeof parsed.logLevel === 'string' ? { key: parsed.key, logLevel: parsed.logLevel } : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the record atomically; a project without its .orchestrator folder, or a read-only one, just goes without. */
function writeStamp(workingDir: string, stamp: ConfigStamp): void {
  const file = path.join(workingDir, STAMP_FILE);
  if (!existsSync(path.dirname(file))) return;
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, JSON.stringify(stamp));
    renameSync(temporary, file);
  } catch {
    // Only speed is lost: the next command validates in full again.
  }
}
