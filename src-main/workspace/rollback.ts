import { assertNever } from '../../src-shared/domain/assert-never';
import { createCheckpoint, loadCheckpoint, type Checkpoint } from './checkpoints';
import { runGit } from './git';
import { headMovementSince, type HeadMovement } from './rollback-head';
import type { TaskSnapshotSource } from './task-source';
import { restoreWorkingTree } from './tree-snapshot';

/** Rollback strategies, as the issue defines them. */
export type RollbackStrategy = 'FULL' | 'PARTIAL' | 'SELECTIVE';

/** What to roll back to, and how. */
export type RollbackRequest =
  /** Working tree, index and task table exactly as at the checkpoint. */
  | { readonly strategy: 'FULL'; readonly checkpointId: string }
  /** Working tree as at the checkpoint; tasks done after it go back to pending, other tasks keep their state. */
  | { readonly strategy: 'PARTIAL'; readonly checkpointId: string }
  /** Only the files the named tasks changed since the checkpoint, and those tasks back to pending. */
  | { readonly strategy: 'SELECTIVE'; readonly checkpointId: string; readonly taskIds: ReadonlyArray<string> };

/** What a rollback did; `safetyCheckpointId` undoes it (FULL rollback to it). */
export interface RollbackResult {
  readonly strategy: RollbackStrategy;
  readonly checkpointId: string;
  readonly safetyCheckpointId: string;
  readonly restoredFiles: ReadonlyArray<string>;
  readonly deletedFiles: ReadonlyArray<string>;
  /** Whether the whole task table was replaced by the checkpoint's snapshot (FULL). */
  readonly tasksRestored: boolean;
  readonly tasksResetToPending: ReadonlyArray<string>;
  /** FULL only: the user's staged changes were put back as they were (only when HEAD is unchanged). */
  readonly indexRestored: boolean;
  /** HEAD moved since the checkpoint (e.g. auto-commits); rollback never moves branches, so those commits stay. */
  readonly headMovedSinceCheckpoint: boolean;
  /** How HEAD moved: the branch, and the commits made since the checkpoint that stay on it. */
  readonly headMovement: HeadMovement;
}

/**
 * Rolls the project back to a checkpoint. A 'rollback' checkpoint of the current state is
 * always made first, so every rollback can itself be undone.
 */
export async function rollback(projectDir: string, request: RollbackRequest, tasks: TaskSnapshotSource): Promise<RollbackResult> {
  const [loaded, currentTasks] = await Promise.all([loadCheckpoint(projectDir, request.checkpointId), tasks.snapshotTasks()]);
  if (loaded === null) throw new Error(`Checkpoint "${request.checkpointId}" does not exist.`);
  const target = loaded.checkpoint;
  // Everything that can be refused is checked before anything is written.
  const selective = request.strategy === 'SELECTIVE' ? await selectiveScope(request.taskIds, target.createdAt, tasks) : null;
  const safety = await createCheckpoint(projectDir, {
    description: `Before ${request.strategy} rollback to ${target.id}`,
    kind: 'rollback',
    rollbackOf: target.id,
    taskSnapshot: currentTasks,
  });
  // The safety checkpoint recorded HEAD as it is now; rollback itself never moves it.
  const headMovement = await headMovementSince(projectDir, target.head, safety.head);
  const headMovedSinceCheckpoint = headMovement.moved;
  const common = { strategy: request.strategy, checkpointId: target.id, safetyCheckpointId: safety.id, headMovedSinceCheckpoint, headMovement };
  try {
    switch (request.strategy) {
      case 'FULL': {
        const outcome = await restoreWorkingTree(projectDir, safety.tree, target.tree);
        await tasks.restoreTasks(loaded.taskSnapshot);
        const indexRestored = !headMovedSinceCheckpoint && (await restoreIndex(projectDir, safety, target));
        return { ...common, ...outcome, tasksRestored: true, tasksResetToPending: [], indexRestored };
      }
      case 'PARTIAL': {
        const outcome = await restoreWorkingTree(projectDir, safety.tree, target.tree);
        const completed = await tasks.tasksCompletedSince(target.createdAt);
        const taskIds = unique(completed.map((task) => task.taskId));
        await tasks.resetTasksToPending(taskIds);
        return { ...common, ...outcome, tasksRestored: false, tasksResetToPending: taskIds, indexRestored: false };
      }
      case 'SELECTIVE': {
        const scope = selective ?? { taskIds: [], files: [] };
        const outcome = await restoreWorkingTree(projectDir, safety.tree, target.tree, scope.files);
        await tasks.resetTasksToPending(scope.taskIds);
        return { ...common, ...outcome, tasksRestored: false, tasksResetToPending: scope.taskIds, indexRestored: false };
      }
      default:
        return assertNever(request);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Rollback to ${target.id} stopped part-way: ${reason}. Roll back to checkpoint ${safety.id} to return to the state before.`, {
      cause: error,
    });
  }
}

/** The named tasks and the files they changed since the checkpoint, validated. */
async function selectiveScope(
  requestedTaskIds: ReadonlyArray<string>,
  since: Date,
  tasks: TaskSnapshotSource,
): Promise<{ readonly taskIds: string[]; readonly files: string[] }> {
  const taskIds = unique(requestedTaskIds);
  if (taskIds.length === 0) throw new Error('SELECTIVE rollback needs at least one task id.');
  const changed = await tasks.filesChangedByTasks(taskIds, since);
  return { taskIds, files: unique(changed.flatMap((task) => task.filesChanged.map(assertProjectRelative))) };
}

/** Puts the user's index back as it was at the checkpoint, when it differs now. */
async function restoreIndex(projectDir: string, current: Checkpoint, target: Checkpoint): Promise<boolean> {
  if (target.indexTree === null) return false;
  if (current.indexTree === target.indexTree) return true;
  await runGit(projectDir, ['read-tree', target.indexTree]);
  // Fresh stat data, so `git status` does not report every file as possibly changed.
  await runGit(projectDir, ['update-index', '-q', '--refresh'], { allowExitCodes: [1] });
  return true;
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

function unique<T>(items: ReadonlyArray<T>): T[] {
  return [...new Set(items)];
}
