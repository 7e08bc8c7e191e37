import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { resolveConfig } from '../../../src-shared/config/resolve-config';

/** The check lists a config file holds. */
export interface CheckLists {
  readonly setup: ReadonlyArray<string>;
  readonly verify: ReadonlyArray<string>;
  readonly copy: ReadonlyArray<string>;
}

const LIST_KEYS = ['setup', 'verify', 'copy'] as const;

/**
 * Adds commands and files to checks.setup, checks.verify and checks.copy of a config file (those
 * already listed are kept, in their order; new ones follow). The rest of the file is left as it is;
 * the result is validated before it is written (atomically). Returns what was added.
 */
export async function addChecksToConfigFile(file: string, additions: CheckLists): Promise<CheckLists> {
  let text: string | null = null;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const content: unknown = text === null ? {} : JSON.parse(text);
  if (typeof content !== 'object' || content === null || Array.isArray(content)) throw new Error(`${file}: expected a JSON object at the top level.`);
  const document = content as Record<string, unknown>;
  const current = document['checks'];
  const checks: Record<string, unknown> = typeof current === 'object' && current !== null && !Array.isArray(current) ? { ...(current as Record<string, unknown>) } : {};
  const added = { setup: [] as string[], verify: [] as string[], copy: [] as string[] };
  for (const key of LIST_KEYS) {
    const existing = Array.isArray(checks[key]) ? (checks[key] as unknown[]) : [];
    const fresh = additions[key].filter((value, index, all) => !existing.includes(value) && all.indexOf(value) === index);
    added[key].push(...fresh);
    if (existing.length > 0 || fresh.length > 0) checks[key] = [...existing, ...fresh];
  }
  const next = { ...document, checks };
  resolveConfig(next, {}, file);
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(next, null, 2)}\n`, { encoding: 'utf8', flag: 'wx' });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return added;
}
