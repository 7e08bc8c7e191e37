import { assertNever } from '../../src-shared/domain/assert-never';
import type { CheckpointRetention } from './checkpoint-retention';
import { createCheckpoint, loadCheckpoint, type Checkpoint } from './checkpoints';
import { runGit } from './git';
import { headMovementSince, type HeadMovement } from './rollback-head';
import { planSelective, selectiveScope } from './selective-rollback';
import type { UnrevertedFile } from './selective-revert';
import type { TaskSnapshotSource } from './task-source';
import { restoreWorkingTree } from './tree-restore';
import { diffTrees } from './tree-snapshot';

/** Rollback strategies, as the issue defines them. */
export type RollbackStrategy = 'FULL' | 'PARTIAL' | 'SELECTIVE';

/** What to roll back to, and how. */
export type RollbackRequest =
  /** Working tree, index and task table exactly as at the checkpoint. */
  | { readonly strategy: 'FULL'; readonly checkpointId: string }
  /** Working tree as at the checkpoint; tasks done after it go back to pending, other tasks keep their state. */
  | { readonly strategy: 'PARTIAL'; readonly checkpointId: string }
  /** The named tasks' own changes since the checkpoint undone (later edits kept), and those tasks back to pending. */
  | { readonly strategy: 'SELECTIVE'; readonly checkpointId: string; readonly taskIds: ReadonlyArray<string> };

/** What a rollback did; `safetyCheckpointId` undoes it (FULL rollback to it). */
export interface RollbackResult {
  readonly strategy: RollbackStrategy;
  readonly checkpointId: string;
  readonly safetyCheckpointId: string;
  readonly restoredFiles: ReadonlyArray<string>;
  readonly deletedFiles: ReadonlyArray<string>;
  /** FULL and PARTIAL: paths the checkpoint lacks, left in place because .gitignore (as restored) ignores them. */
  readonly keptIgnoredFiles: ReadonlyArray<string>;
  /** SELECTIVE: files left exactly as they were, because undoing the task's change there conflicts with later edits. */
  readonly unrevertedFiles: ReadonlyArray<UnrevertedFile>;
  /** SELECTIVE: one sentence per task that could not simply be undone from its commits (e.g. no git history). */
  readonly notes: ReadonlyArray<string>;
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

/** Options of `rollback`. */
export interface RollbackOptions {
  /** Prune old checkpoints by this policy once the safety checkpoint exists. */
  readonly retention?: CheckpointRetention;
}

/**
 * Rolls the project back to a checkpoint. A 'rollback' checkpoint of the current state is
 * always made first, so every rollback can itself be undone: it records everything the
 * rollback is about to overwrite or delete (ignored files included), and the restore refuses
 * to touch anything it did not record.
 */
export async function rollback(projectDir: string, request: RollbackRequest, tasks: TaskSnapshotSource, options: RollbackOptions = {}): Promise<RollbackResult> {
  const loaded = await loadCheckpoint(projectDir, request.checkpointId);
  if (loaded === null) throw new Error(`Checkpoint "${request.checkpointId}" does not exist.`);
  const target = loaded.checkpoint;
  // Everything that can be refused is checked before anything is written.
  const selective = request.strategy === 'SELECTIVE' ? await selectiveScope(projectDir, request.taskIds, target.createdAt, tasks) : null;
  // A FULL rollback removes tasks made since the checkpoint: their attempts go into the safety snapshot, so the undo brings them back.
  const currentTasks = await tasks.snapshotTasks(request.strategy === 'FULL' ? { replacedBy: loaded.taskSnapshot } : {});
  const safety = await createCheckpoint(projectDir, {
    description: `Before ${request.strategy} rollback to ${target.id}`,
    kind: 'rollback',
    rollbackOf: target.id,
    taskSnapshot: currentTasks,
    captureAlso: selective === null ? (tree) => pathsOnlyIn(projectDir, tree, target.tree) : () => Promise.resolve(selective.touched),
    ...(options.retention === undefined ? {} : { retention: options.retention }),
  });
  // The safety checkpoint recorded HEAD as it is now; rollback itself never moves it.
  const headMovement = await headMovementSince(projectDir, target.head, safety.head);
  const headMovedSinceCheckpoint = headMovement.moved;
  const common = {
    strategy: request.strategy,
    checkpointId: target.id,
    safetyCheckpointId: safety.id,
    headMovedSinceCheckpoint,
    headMovement,
    unrevertedFiles: [],
    notes: [],
    indexRestored: false,
    tasksRestored: false,
    tasksResetToPending: [],
  };
  try {
    switch (request.strategy) {
      case 'FULL': {
        const outcome = await restoreWorkingTree(projectDir, safety.tree, target.tree, { keepIgnored: true });
        await tasks.restoreTasks(loaded.taskSnapshot);
        const indexRestored = !headMovedSinceCheckpoint && (await restoreIndex(projectDir, safety, target));
        return { ...common, ...outcome, tasksRestored: true, indexRestored };
      }
      case 'PARTIAL': {
        const outcome = await restoreWorkingTree(projectDir, safety.tree, target.tree, { keepIgnored: true });
        const completed = await tasks.tasksCompletedSince(target.createdAt);
        const taskIds = unique(completed.map((task) => task.taskId));
        await tasks.resetTasksToPending(taskIds);
        return { ...common, ...outcome, tasksResetToPending: taskIds };
      }
      case 'SELECTIVE': {
        const scope = selective ?? (await selectiveScope(projectDir, request.taskIds, target.createdAt, tasks));
        const plan = await planSelective(projectDir, safety.tree, target.tree, scope);
        const outcome = await restoreWorkingTree(projectDir, safety.tree, plan.tree, { keepIgnored: false });
        await tasks.resetTasksToPending(scope.taskIds);
        return { ...common, ...outcome, tasksResetToPending: [...scope.taskIds], unrevertedFiles: plan.unreverted, notes: scope.notes };
      }
      default:
        return assertNever(request);
    }
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\.?$/, '.');
    throw new Error(`Rollback to ${target.id} stopped: ${reason} To return to the state before, roll back to checkpoint ${safety.id} (\`co rollback --undo\`).`, {
      cause: error,
    });
  }
}

/** Paths the target tree has and `tree` lacks: a rollback creates them, so whatever is on disk there must be recorded first. */
async function pathsOnlyIn(projectDir: string, tree: string, targetTree: string): Promise<string[]> {
  return (await diffTrees(projectDir, tree, targetTree)).filter((change) => change.status === 'added').map((change) => change.path);
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

function unique<T>(items: ReadonlyArray<T>): T[] {
  return [...new Set(items)];
}
