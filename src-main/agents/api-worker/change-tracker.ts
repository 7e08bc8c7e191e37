import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

const SKIPPED = new Set(['.git', 'node_modules']);
const MAX_FILES = 20_000;

/** Size and modification time of every file below a folder (not following links); undefined when there are too many. */
export async function snapshotFiles(root: string): Promise<ReadonlyMap<string, string> | undefined> {
  const files = new Map<string, string>();
  const walk = async (dir: string): Promise<boolean> => {
    const children = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const child of children) {
      const path = join(dir, child.name);
      if (child.isDirectory()) {
        if (!SKIPPED.has(child.name) && !(await walk(path))) return false;
      } else if (child.isFile()) {
        const info = await stat(path).catch(() => undefined);
        if (info !== undefined) files.set(relative(root, path), `${info.size}:${info.mtimeMs}`);
        if (files.size > MAX_FILES) return false;
      }
    }
    return true;
  };
  return (await walk(root)) ? files : undefined;
}

/** Remembers which files an attempt created and which existing ones it changed. */
export class ChangeTracker {
  private readonly changes = new Map<string, 'created' | 'modified'>();

  /** Records a change by a file tool; the first change of a file decides created vs modified. */
  record(file: string, existedBefore: boolean): void {
    if (!this.changes.has(file)) this.changes.set(file, existedBefore ? 'modified' : 'created');
  }

  /** Records what a command did, from snapshots taken before and after it. */
  recordSnapshots(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): void {
    for (const [file, signature] of after) {
      const previous = before.get(file);
      if (previous === undefined) this.record(file, false);
      else if (previous !== signature) this.record(file, true);
    }
  }

  /** Files created during the attempt. */
  get created(): ReadonlyArray<string> {
    return this.list('created');
  }

  /** Files that existed and were changed during the attempt. */
  get modified(): ReadonlyArray<string> {
    return this.list('modified');
  }

  private list(kind: 'created' | 'modified'): ReadonlyArray<string> {
    return [...this.changes].filter(([, value]) => value === kind).map(([file]) => file);
  }
}
