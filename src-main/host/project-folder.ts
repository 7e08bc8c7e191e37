import { existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { RpcError } from '../../src-shared/rpc/errors';

/** A project folder checked to exist, canonicalised. */
export interface ProjectFolder {
  readonly path: string;
  readonly name: string;
  readonly isGitRepository: boolean;
}

/** Checks a user-given project path and says exactly what is wrong with it. */
export async function resolveProjectFolder(input: string): Promise<ProjectFolder> {
  const trimmed = input.trim();
  if (!isAbsolute(trimmed)) {
    throw new RpcError('invalid_input', `"${trimmed}" is not an absolute path. Give the full path of the project folder, e.g. /home/you/my-app.`, [
      { path: 'path', message: 'must be an absolute path' },
    ]);
  }
  let info;
  try {
    info = await stat(trimmed);
  } catch {
    throw new RpcError('not_found', `No folder at ${trimmed}. Check the path, or create the folder first.`, [
      { path: 'path', message: 'does not exist' },
    ]);
  }
  if (!info.isDirectory()) {
    throw new RpcError('failed_precondition', `${trimmed} is a file, not a folder. Choose the project's folder.`, [
      { path: 'path', message: 'is not a folder' },
    ]);
  }
  const path = await realpath(trimmed);
  return { path, name: basename(path) || path, isGitRepository: existsSync(join(path, '.git')) };
}
