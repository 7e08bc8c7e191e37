import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { decodePrdBytes } from '../../src-shared/domain/prd-text';
import { CliError } from './cli-error';

/**
 * Reads a PRD file (relative to the project folder, or absolute) as text; refused before any model
 * call, with nothing stored, when it is missing, binary, not UTF-8, empty or too long.
 */
export async function readPrdFile(workingDir: string, file: string): Promise<string> {
  const path = resolve(workingDir, file);
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(error.code === 'ENOENT' ? `no file ${path}; give the path of your PRD.` : `cannot read ${path} (${error.code ?? String(error)}).`);
  });
  const decoded = decodePrdBytes(bytes, path);
  if ('problem' in decoded) throw new CliError(decoded.problem);
  return decoded.text;
}
