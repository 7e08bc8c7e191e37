import { stat } from 'node:fs/promises';
import { resolveCommit, runGit, splitNul } from './git';
import { workingTreeObject } from './tree-snapshot';

/** One file of an attempt's diff. */
export interface DiffFile {
  readonly path: string;
  /** Set for renames and copies. */
  readonly oldPath?: string;
  readonly status: 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type-changed';
  /** null for binary files. */
  readonly additions: number | null;
  readonly deletions: number | null;
}

/** An attempt's changes against the commit it started from, for the UI's diff view. */
export interface AttemptDiff {
  readonly baseCommit: string;
  /** The tree compared: the worktree's current content, or the branch tip when it is gone. */
  readonly targetTree: string;
  readonly files: ReadonlyArray<DiffFile>;
  /** Unified diff text; cut at `maxPatchBytes`. */
  readonly patch: string;
  readonly truncated: boolean;
}

/**
 * The diff of an attempt: base commit → its worktree (uncommitted and untracked work
 * included) while the worktree exists, else → the branch tip.
 */
export async function diffAttempt(
  projectDir: string,
  attempt: { readonly baseCommit: string; readonly branch: string; readonly worktreePath?: string; readonly targetCommit?: string },
  options: { readonly maxPatchBytes?: number } = {},
): Promise<AttemptDiff> {
  const worktreeExists =
    attempt.worktreePath !== undefined &&
    (await stat(attempt.worktreePath).then(
      (info) => info.isDirectory(),
      () => false,
    ));
  let targetTree: string;
  if (worktreeExists && attempt.worktreePath !== undefined) {
    targetTree = await workingTreeObject(attempt.worktreePath);
  } else {
    // The branch goes once its work is merged; the attempt's own commit, when recorded, stays.
    const tip = (await resolveCommit(projectDir, `refs/heads/${attempt.branch}`)) ?? (attempt.targetCommit === undefined ? null : await resolveCommit(projectDir, attempt.targetCommit));
    if (tip === null) throw new Error(`Attempt branch "${attempt.branch}" no longer exists.`);
    targetTree = (await runGit(projectDir, ['rev-parse', `${tip}^{tree}`])).stdout.trim();
  }
  const range = [attempt.baseCommit, targetTree];
  const numstat = splitNul((await runGit(projectDir, ['diff', '--no-ext-diff', '-M', '--numstat', '-z', ...range])).stdout);
  const nameStatus = splitNul((await runGit(projectDir, ['diff', '--no-ext-diff', '-M', '--name-status', '-z', ...range])).stdout);
  const counts = parseNumstat(numstat);
  const files: DiffFile[] = [];
  for (let i = 0; i < nameStatus.length; ) {
    const code = nameStatus[i] ?? '';
    const twoPaths = code.startsWith('R') || code.startsWith('C');
    const oldPath = twoPaths ? nameStatus[i + 1] : undefined;
    const file = (twoPaths ? nameStatus[i + 2] : nameStatus[i + 1]) ?? '';
    i += twoPaths ? 3 : 2;
    const count = counts.get(file) ?? { additions: null, deletions: null };
    files.push({ path: file, ...(oldPath === undefined ? {} : { oldPath }), status: statusOf(code), ...count });
  }
  const maxBytes = options.maxPatchBytes ?? 2_000_000;
  const fullPatch = (await runGit(projectDir, ['diff', '--no-ext-diff', '--no-color', '-M', '--binary', ...range])).stdout;
  const truncated = Buffer.byteLength(fullPatch) > maxBytes;
  const patch = truncated ? Buffer.from(fullPatch).subarray(0, maxBytes).toString('utf8') : fullPatch;
  return { baseCommit: attempt.baseCommit, targetTree, files, patch, truncated };
}

function parseNumstat(fields: ReadonlyArray<string>): Map<string, { additions: number | null; deletions: number | null }> {
  const counts = new Map<string, { additions: number | null; deletions: number | null }>();
  for (let i = 0; i < fields.length; ) {
    const [added = '-', deleted = '-', inlinePath = ''] = (fields[i] ?? '').split('\t');
    let file = inlinePath;
    i += 1;
    if (inlinePath === '') {
      file = fields[i + 1] ?? '';
      i += 2;
    }
    counts.set(file, { additions: added === '-' ? null : Number(added), deletions: deleted === '-' ? null : Number(deleted) });
  }
  return counts;
}

function statusOf(code: string): DiffFile['status'] {
  switch (code[0]) {
    case 'A':
      return 'added';
    case 'D':
      return 'deleted';
    case 'R':
      return 'renamed';
    case 'C':
      return 'copied';
    case 'T':
      return 'type-changed';
    default:
      return 'modified';
  }
}
