import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { headCommit, runGit } from './git';

const gitDirs = new Map<string, Promise<{ readonly gitDir: string; readonly commonDir: string }>>();

function locateGitDirs(projectDir: string): Promise<{ readonly gitDir: string; readonly commonDir: string }> {
  let found = gitDirs.get(projectDir);
  if (found === undefined) {
    found = runGit(projectDir, ['rev-parse', '--git-dir', '--git-common-dir']).then(({ stdout }) => {
      const [gitDir = '.git', commonDir = gitDir] = stdout.split('\n');
      return { gitDir: path.resolve(projectDir, gitDir), commonDir: path.resolve(projectDir, commonDir) };
    });
    gitDirs.set(projectDir, found);
    found.catch(() => gitDirs.delete(projectDir));
  }
  return found;
}

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * HEAD's commit read from the files git keeps (HEAD, loose ref, packed-refs), which saves a
 * process on every checkpoint; anything unusual (reftable, nested symbolic refs, a
 * tag-like packed entry) falls back to `git rev-parse`.
 */
export async function readHeadCommit(projectDir: string): Promise<string | null> {
  try {
    const { gitDir, commonDir } = await locateGitDirs(projectDir);
    const head = (await readFile(path.join(gitDir, 'HEAD'), 'utf8')).trim();
    if (OBJECT_ID.test(head)) return head;
    const ref = /^ref: (refs\/heads\/[^\s]+)$/.exec(head)?.[1];
    if (ref === undefined || (await exists(path.join(commonDir, 'reftable')))) return headCommit(projectDir);
    const loose = await readFile(path.join(commonDir, ref), 'utf8').catch(() => null);
    if (loose !== null) return OBJECT_ID.test(loose.trim()) ? loose.trim() : headCommit(projectDir);
    const packed = await readFile(path.join(commonDir, 'packed-refs'), 'utf8').catch(() => '');
    const line = packed.split('\n').find((candidate) => candidate.endsWith(` ${ref}`));
    const id = line?.split(' ')[0];
    if (id !== undefined && OBJECT_ID.test(id)) return id;
    // No loose or packed ref: an unborn branch. Let git confirm (rare: only before the first commit).
    return headCommit(projectDir);
  } catch {
    return headCommit(projectDir);
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
