import { gitText, runGit, splitNul } from './git';
import { diffTreesRaw, withTemporaryIndex, type RawTreeChange } from './tree-snapshot';
import type { TaskCommitRange } from './task-source';

/** One task's own change, as git history has it: `before` (where its attempt started) → `own` (its commit). */
export interface TaskChange {
  readonly taskId: string;
  readonly attemptId: string;
  readonly before: string;
  readonly own: string;
  /** Paths the change touched (both sides, no rename detection). */
  readonly touched: ReadonlyArray<string>;
}

/** A file SELECTIVE left as it was, because undoing the task's change there conflicts with later edits. */
export interface UnrevertedFile {
  readonly taskId: string;
  readonly path: string;
  /** In plain words, why it could not be undone. */
  readonly reason: string;
  /** The task's hunks (`@@ -a,b +c,d @@`) that overlap later edits; empty when the whole file conflicts. */
  readonly hunks: ReadonlyArray<string>;
  /** Shows the task's change of this file, to undo it by hand. */
  readonly showCommand: string;
}

/**
 * The task's own change behind a merged attempt, or null when git no longer has it (or it
 * does not start at `before`). `after` is what the merge into the integration branch gave:
 * a "Merge task …" commit whose second parent is the attempt's own commit, or the attempt's
 * commit itself when the merge was a fast-forward.
 */
export async function resolveTaskChange(projectDir: string, range: TaskCommitRange): Promise<TaskChange | null> {
  const shown = await runGit(projectDir, ['show', '-s', '--format=%P%x00%s', '--end-of-options', `${range.after}^{commit}`], { allowExitCodes: [128] });
  if (shown.exitCode !== 0) return null;
  const [parentList = '', subject = ''] = shown.stdout.trim().split('\0');
  const parents = parentList.split(' ').filter((parent) => parent !== '');
  const own = parents.length >= 2 && subject.startsWith('Merge task ') && parents[1] !== undefined ? parents[1] : range.after;
  const startsAtBefore = await runGit(projectDir, ['merge-base', '--is-ancestor', range.before, own], { allowExitCodes: [1, 128] });
  if (startsAtBefore.exitCode !== 0) return null;
  const touched = splitNul((await runGit(projectDir, ['diff-tree', '-r', '-z', '--no-renames', '--name-only', range.before, own])).stdout);
  return { taskId: range.taskId, attemptId: range.attemptId, before: range.before, own, touched };
}

/**
 * Undoes task changes (newest first) on `tree` by a reverse three-way merge each: base = the
 * task's own commit, ours = the tree so far, theirs = the commit it started from. Later edits
 * by the user or other tasks survive; a file whose undo conflicts with them is left exactly as
 * it is in `tree` and reported, with the task's hunks that overlap them. Only git objects are
 * written; nothing on disk changes.
 */
export async function revertTaskChanges(
  projectDir: string,
  tree: string,
  changes: ReadonlyArray<TaskChange>,
): Promise<{ readonly tree: string; readonly unreverted: ReadonlyArray<UnrevertedFile> }> {
  let current = tree;
  const unreverted: UnrevertedFile[] = [];
  for (const change of changes) {
    if (change.touched.length === 0) continue;
    // merge-tree (git 2.38) has no --merge-base option before 2.40: two commits whose only parent is
    // the task's own commit make it the merge base.
    const [ours, theirs] = await Promise.all([
      gitText(projectDir, ['commit-tree', '--no-gpg-sign', current, '-p', change.own, '-m', 'orchestrator: tree before SELECTIVE rollback'], { needsIdentity: true }),
      gitText(projectDir, ['commit-tree', '--no-gpg-sign', `${change.before}^{tree}`, '-p', change.own, '-m', `orchestrator: task ${change.taskId} undone`], {
        needsIdentity: true,
      }),
    ]);
    const merged = await runGit(projectDir, ['merge-tree', '--write-tree', '-z', ours, theirs], { allowExitCodes: [1] });
    const { tree: mergedTree, conflicts, inOurs } = parseMergeTree(merged.stdout);
    const conflicted = new Set(conflicts.flatMap((conflict) => conflict.paths));
    const applied = (await diffTreesRaw(projectDir, current, mergedTree, change.touched)).filter((entry) => !conflicted.has(entry.path));
    for (const conflict of conflicts) {
      for (const file of conflict.paths.filter((candidate) => change.touched.includes(candidate))) {
        unreverted.push({
          taskId: change.taskId,
          path: file,
          reason: reasonOf(conflict.type, inOurs.has(file)),
          hunks: conflict.type === 'CONFLICT (contents)' ? await overlappingHunks(projectDir, change, current, file) : [],
          showCommand: `git diff ${change.before.slice(0, 12)} ${change.own.slice(0, 12)} -- '${file.replace(/'/g, "'\\''")}'`,
        });
      }
    }
    current = await replaceEntries(projectDir, current, applied);
  }
  return { tree: current, unreverted: dedupe(unreverted) };
}

/** `tree` with these entries set to their `to` side (removed when it has none), as a new tree object. */
export async function replaceEntries(projectDir: string, tree: string, entries: ReadonlyArray<RawTreeChange>): Promise<string> {
  if (entries.length === 0) return tree;
  return withTemporaryIndex(async (_indexFile, env) => {
    await runGit(projectDir, ['read-tree', tree], { env });
    // Removals first, so a file can take the place of a folder it replaces (and --replace covers the reverse).
    const removals = entries.filter((entry) => entry.toObject === null).map((entry) => `0 ${'0'.repeat(40)}\t${entry.path}`);
    const additions = entries.filter((entry) => entry.toObject !== null).map((entry) => `${entry.toMode} ${entry.toObject ?? ''}\t${entry.path}`);
    await runGit(projectDir, ['update-index', '--add', '--replace', '-z', '--index-info'], { env, input: `${[...removals, ...additions].join('\0')}\0` });
    return gitText(projectDir, ['write-tree'], { env });
  });
}

interface MergeConflict {
  readonly type: string;
  readonly paths: ReadonlyArray<string>;
}

/** Conflicts, and which paths the tree so far (stage 2, "ours") has a version of. */
interface ParsedMerge {
  readonly tree: string;
  readonly conflicts: ReadonlyArray<MergeConflict>;
  readonly inOurs: ReadonlySet<string>;
}

/**
 * `git merge-tree --write-tree -z` output: the tree, the conflicted entries ("<mode> <object>
 * <stage>\t<path>"), an empty field, then messages as "<count>, <paths…>, <type>, <text>".
 */
function parseMergeTree(output: string): ParsedMerge {
  const fields = output.split('\0');
  const tree = fields[0] ?? '';
  const staged = new Set<string>();
  const inOurs = new Set<string>();
  let at = 1;
  for (; at < fields.length && fields[at] !== ''; at += 1) {
    const entry = fields[at] ?? '';
    const file = entry.slice(entry.indexOf('\t') + 1);
    staged.add(file);
    if (entry.slice(0, entry.indexOf('\t')).endsWith(' 2')) inOurs.add(file);
  }
  const conflicts: MergeConflict[] = [];
  for (at += 1; at < fields.length; ) {
    const count = Number(fields[at]);
    if (!Number.isInteger(count) || count <= 0) break;
    const paths = fields.slice(at + 1, at + 1 + count);
    const type = fields[at + 1 + count] ?? '';
    at += count + 3;
    if (type.startsWith('CONFLICT')) conflicts.push({ type, paths });
  }
  // A conflicted entry without a message of its own still counts.
  const named = new Set(conflicts.flatMap((conflict) => conflict.paths));
  const unnamed = [...staged].filter((file) => !named.has(file));
  if (unnamed.length > 0) conflicts.push({ type: 'CONFLICT', paths: unnamed });
  return { tree, conflicts, inOurs };
}

function reasonOf(type: string, existsNow: boolean): string {
  switch (type) {
    case 'CONFLICT (contents)':
      return 'edited since the task, in or next to the lines the task changed';
    case 'CONFLICT (binary)':
      return 'a binary file changed since the task';
    case 'CONFLICT (modify/delete)':
      return existsNow ? 'the task created it, and it was changed since' : 'it was deleted since the task changed it';
    case 'CONFLICT (add/add)':
      return 'the task deleted it, and a different file was made at the same path since';
    default:
      return `changed since the task in a way that conflicts with undoing it (git: ${type})`;
  }
}

/** The task's hunks of `file` whose lines (as the task left them) overlap or touch edits made since (git's own conflict rule, estimated). */
async function overlappingHunks(projectDir: string, change: TaskChange, currentTree: string, file: string): Promise<string[]> {
  const diff = (from: string, to: string) =>
    runGit(projectDir, ['diff', '-U0', '--no-color', '--no-ext-diff', '--no-renames', from, to, '--', file], { env: { GIT_LITERAL_PATHSPECS: '1' } });
  const [task, since] = await Promise.all([diff(change.before, change.own), diff(`${change.own}^{tree}`, currentTree)]);
  const laterEdits = hunksOf(since.stdout).map((hunk) => hunk.from);
  const taskHunks = hunksOf(task.stdout);
  const overlapping = taskHunks.filter((hunk) => laterEdits.some((edit) => hunk.to.start <= edit.end && edit.start <= hunk.to.end));
  // git decided there is a conflict; when this estimate finds no overlap, every hunk of the task is a suspect.
  return (overlapping.length > 0 ? overlapping : taskHunks).map((hunk) => hunk.header);
}

interface LineRange {
  readonly start: number;
  readonly end: number;
}

/** Hunk headers of a `-U0` diff, with the line ranges of both sides ([start, end), a point for no lines). */
function hunksOf(diff: string): Array<{ readonly header: string; readonly from: LineRange; readonly to: LineRange }> {
  const range = (start: string, count: string | undefined): LineRange => {
    const first = Number(start);
    const lines = count === undefined ? 1 : Number(count);
    return lines === 0 ? { start: first + 1, end: first + 1 } : { start: first, end: first + lines };
  };
  return [...diff.matchAll(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm)].map((match) => ({
    header: match[0],
    from: range(match[1] ?? '0', match[2]),
    to: range(match[3] ?? '0', match[4]),
  }));
}

function dedupe(files: ReadonlyArray<UnrevertedFile>): UnrevertedFile[] {
  const seen = new Set<string>();
  return files.filter((file) => {
    const key = `${file.taskId}\0${file.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
