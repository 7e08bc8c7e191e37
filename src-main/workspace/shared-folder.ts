/**
 * Without git, workers share the project folder: two tasks may run at the same time only
 * when their context files cannot touch the same path. A folder (trailing "/" or a prefix
 * of the other path) overlaps everything inside it; tasks naming no files overlap everything.
 */
export function contextFilesOverlap(a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean {
  if (a.length === 0 || b.length === 0) return true;
  const left = a.map(normalize);
  const right = b.map(normalize);
  return left.some((x) => right.some((y) => x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`) || x === '' || y === ''));
}

function normalize(file: string): string {
  return file
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .replace(/\/+$/, '')
    .replace(/\/{2,}/g, '/');
}
