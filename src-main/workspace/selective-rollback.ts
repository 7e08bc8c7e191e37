import { replaceEntries, resolveTaskChange, revertTaskChanges, type TaskChange, type UnrevertedFile } from './selective-revert';
import type { TaskSnapshotSource } from './task-source';
import { diffTreesRaw } from './tree-snapshot';

/** What SELECTIVE will undo, worked out before anything is written. */
export interface SelectiveScope {
  readonly taskIds: ReadonlyArray<string>;
  /** Task changes with git history, newest first: undone by a reverse three-way merge. */
  readonly changes: ReadonlyArray<TaskChange>;
  /** Files of tasks without git history: restored whole from the checkpoint. */
  readonly wholeFiles: ReadonlyArray<string>;
  /** Every path the rollback may write; the safety checkpoint records what is on disk there. */
  readonly touched: ReadonlyArray<string>;
  /** One sentence per task that is not a plain three-way undo. */
  readonly notes: ReadonlyArray<string>;
}

/** The tree SELECTIVE writes, and the files it leaves because undoing them conflicts with later edits. */
export interface SelectivePlan {
  readonly tree: string;
  readonly unreverted: ReadonlyArray<UnrevertedFile>;
}

/**
 * The named tasks' changes since `since`: each merged attempt's own commit when git still has
 * it; otherwise (the task ran without a worktree, or its commits are gone) the files its
 * result lists, which can only be restored whole. Refuses paths outside the project.
 */
export async function selectiveScope(projectDir: string, requestedTaskIds: ReadonlyArray<string>, since: Date, tasks: TaskSnapshotSource): Promise<SelectiveScope> {
  const taskIds = [...new Set(requestedTaskIds)];
  if (taskIds.length === 0) throw new Error('SELECTIVE rollback needs at least one task id.');
  const [ranges, fileLists] = await Promise.all([tasks.taskCommits(taskIds, since), tasks.filesChangedByTasks(taskIds, since)]);
  const newestFirst = [...ranges].sort((a, b) => b.finishedAt.getTime() - a.finishedAt.getTime());
  const resolved = await Promise.all(newestFirst.map((range) => resolveTaskChange(projectDir, range)));
  const changes = resolved.filter((change): change is TaskChange => change !== null);
  const notes: string[] = [];
  const wholeFiles: string[] = [];
  for (const taskId of taskIds) {
    const recorded = ranges.filter((range) => range.taskId === taskId).length;
    const usable = changes.filter((change) => change.taskId === taskId).length;
    if (usable > 0) {
      if (usable < recorded) notes.push(`Task ${taskId}: ${recorded - usable} of its ${recorded} merged attempts are no longer in git's history; only the others were undone.`);
      continue;
    }
    const files = (fileLists.find((list) => list.taskId === taskId)?.filesChanged ?? []).map(assertProjectRelative);
    const why = recorded > 0 ? 'its commits are no longer in the repository' : 'it has no commits of its own (it ran without a git worktree, or outside the orchestrator)';
    if (files.length === 0) {
      notes.push(`Task ${taskId}: ${why}, and it lists no changed files, so only its state goes back to pending.`);
      continue;
    }
    wholeFiles.push(...files);
    notes.push(
      `Task ${taskId}: ${why}, so its files were restored whole from the checkpoint (${files.join(', ')}); later edits to them by you or other tasks were undone too, and are in the safety checkpoint.`,
    );
  }
  const touched = [...new Set([...changes.flatMap((change) => change.touched), ...wholeFiles])];
  return { taskIds, changes, wholeFiles: [...new Set(wholeFiles)], touched, notes };
}

/**
 * Undoes the scope's changes on `currentTree` (the working tree now), in git objects only. A
 * file where any task's undo conflicts is left exactly as in `currentTree`, other tasks'
 * clean undos of it included, so it is never half undone.
 */
export async function planSelective(projectDir: string, currentTree: string, checkpointTree: string, scope: SelectiveScope): Promise<SelectivePlan> {
  const reverted = await revertTaskChanges(projectDir, currentTree, scope.changes);
  const conflicted = [...new Set(reverted.unreverted.map((file) => file.path))];
  const keep = await diffTreesRaw(projectDir, reverted.tree, currentTree, conflicted);
  const kept = await replaceEntries(projectDir, reverted.tree, keep.filter((entry) => conflicted.includes(entry.path)));
  const whole = await diffTreesRaw(projectDir, kept, checkpointTree, scope.wholeFiles);
  return { tree: await replaceEntries(projectDir, kept, whole), unreverted: reverted.unreverted };
}

/** Rejects absolute paths, `..` and the orchestrator's own folders: SELECTIVE never reaches outside the tree. */
function assertProjectRelative(file: string): string {
  const normalized = file.replace(/\\/g, '/').replace(/^\.\//, '');
  const parts = normalized.split('/');
  if (normalized === '' || normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized) || parts.includes('..')) {
    throw new Error(`"${file}" is not a path inside the project.`);
  }
  if (parts[0] === '.git' || parts[0] === '.orchestrator') throw new Error(`"${file}" is inside ${parts[0]}/ and cannot be rolled back.`);
  return normalized;
}
