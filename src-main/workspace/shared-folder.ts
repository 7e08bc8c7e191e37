import path from 'node:path';
import type { Task } from '../../src-shared/domain/task';

/**
 * Without git, workers share the project folder: two tasks may run at the same time only
 * when their context files cannot touch the same path. A folder (trailing "/" or a prefix
 * of the other path) overlaps everything inside it; tasks naming no files overlap everything.
 * Paths are compared after resolving "." and "..", ignoring case (macOS and Windows folders
 * usually do), and a wildcard stands for the folder it is in ("src/*.ts" is "src/").
 */
export function contextFilesOverlap(a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean {
  return normalizedOverlap(a.map(normalize), b.map(normalize));
}

/** The scheduler's conflict rule in a shared folder: a ready task waits while a running task's context files may overlap its own. */
export function contextFilesConflict(candidate: Pick<Task, 'contextFiles'>, running: ReadonlyArray<Pick<Task, 'contextFiles'>>): boolean {
  const mine = candidate.contextFiles.map(normalize);
  return running.some((task) => normalizedOverlap(mine, normalizedFilesOf(task)));
}

function normalizedOverlap(left: ReadonlyArray<string>, right: ReadonlyArray<string>): boolean {
  if (left.length === 0 || right.length === 0) return true;
  return left.some((x) => right.some((y) => x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`) || x === '' || y === ''));
}

/** The scheduler asks about the same running tasks for every ready one: normalise their (readonly) lists once. */
const normalizedLists = new WeakMap<ReadonlyArray<string>, ReadonlyArray<string>>();

function normalizedFilesOf(task: Pick<Task, 'contextFiles'>): ReadonlyArray<string> {
  let files = normalizedLists.get(task.contextFiles);
  if (files === undefined) {
    files = task.contextFiles.map(normalize);
    normalizedLists.set(task.contextFiles, files);
  }
  return files;
}

/** A path relative to the project folder, "" for the folder itself. */
function normalize(file: string): string {
  const slashed = file.trim().replace(/\\/g, '/');
  const wildcard = slashed.search(/[*?]/);
  const literal = wildcard === -1 ? slashed : slashed.slice(0, slashed.lastIndexOf('/', wildcard) + 1);
  const normal = path.posix.normalize(literal).replace(/\/+$/, '').toLowerCase();
  return normal === '.' ? '' : normal;
}
