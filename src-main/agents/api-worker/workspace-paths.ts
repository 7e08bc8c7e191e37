import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';

/** A tool call the worker refused or could not carry out; its message goes back to the model as a tool error. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

/** True when `target` is `root` or lies below it (both absolute and normalised). */
export function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Resolves a path the model gave against the workspace and refuses it when it escapes —
 * through `..`, an absolute path, or a symbolic link (existing or dangling) anywhere on the
 * way. Returns the real absolute path (which may not exist yet) and its workspace-relative form.
 */
export async function resolveInWorkspace(root: string, requested: string): Promise<{ readonly absolute: string; readonly relative: string }> {
  const rootReal = await realpath(root);
  if (requested.includes('\0')) throw new ToolError('path contains a NUL byte');
  const target = resolve(rootReal, requested);
  const outside = (): ToolError => new ToolError(`path ${JSON.stringify(requested)} is outside the working directory; only paths inside it are allowed`);
  if (!isInside(rootReal, target)) throw outside();
  const missing: string[] = [];
  let probe = target;
  for (;;) {
    try {
      const real = await realpath(probe);
      const absolute = missing.length === 0 ? real : join(real, ...missing);
      if (!isInside(rootReal, absolute)) throw outside();
      return { absolute, relative: relative(rootReal, absolute) || '.' };
    } catch (error) {
      if (error instanceof ToolError) throw error;
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new ToolError(`cannot resolve ${JSON.stringify(requested)}: ${(error as Error).message}`);
      // A link whose target is missing: writing through it would land wherever it points.
      if (await existsAsLink(probe)) throw new ToolError(`path ${JSON.stringify(requested)} goes through a dangling symbolic link; refused`);
      missing.unshift(basename(probe));
      const parent = dirname(probe);
      if (parent === probe) throw outside();
      probe = parent;
    }
  }
}

async function existsAsLink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}
