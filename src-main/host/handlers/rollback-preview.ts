import type { z } from 'zod';
import type { Task } from '../../../src-shared/domain/task';
import type { rollbackPreviewSchema } from '../../../src-shared/rpc/schemas/workspace';
import { StoreTaskSnapshotSource } from '../../project/task-snapshot-source';
import type { ProjectRuntime } from '../../runtime/project-runtime';
import { planSelective, selectiveScope, showCheckpoint, type RollbackRequest } from '../../workspace';
import { headMovementSince, type HeadMovement } from '../../workspace/rollback-head';
import { diffTrees, workingTreeObject } from '../../workspace/tree-snapshot';

type RollbackPreview = z.output<typeof rollbackPreviewSchema>;
type FileChange = RollbackPreview['files'][number];
type TaskChange = RollbackPreview['tasks'][number];

const LEASED: ReadonlyArray<string> = ['claimed', 'in_progress', 'review'];
const noSelective = { unrevertedFiles: [], notes: [] };

/** What a rollback with this strategy would change: files on disk and task states, computed without writing anything. */
export async function previewRollback({ projectDir, orchestrator }: ProjectRuntime, request: RollbackRequest): Promise<RollbackPreview> {
  const details = await showCheckpoint(projectDir, request.checkpointId);
  const head = headMovementWire(await headMovementSince(projectDir, details.head));
  const allFiles = details.changesSinceCheckpoint.map(toFileChange);
  const source = new StoreTaskSnapshotSource(orchestrator.store);
  const current = orchestrator.listTasks();
  switch (request.strategy) {
    case 'FULL':
      return { files: allFiles, tasks: fullTaskChanges(current, snapshotTasks(details.taskSnapshot)), ...head, ...noSelective };
    case 'PARTIAL': {
      const completed = source.tasksCompletedSince(details.createdAt).map((changes) => changes.taskId);
      return { files: allFiles, tasks: resetTaskChanges(current, completed), ...head, ...noSelective };
    }
    case 'SELECTIVE': {
      // The same plan the rollback makes, on the working tree as it is now.
      const scope = await selectiveScope(projectDir, request.taskIds, details.createdAt, source);
      const tree = await workingTreeObject(projectDir, () => Promise.resolve(scope.touched));
      const plan = await planSelective(projectDir, tree, details.tree, scope);
      const files = (await diffTrees(projectDir, tree, plan.tree)).map(toFileChange);
      return { files, tasks: resetTaskChanges(current, scope.taskIds), ...head, unrevertedFiles: plan.unreverted.map((file) => ({ ...file, hunks: [...file.hunks] })), notes: [...scope.notes] };
    }
  }
}

/** The wire form of how HEAD moved since the checkpoint (the flag on its own, the details beside it). */
export function headMovementWire(movement: HeadMovement): Pick<RollbackPreview, 'headMovedSinceCheckpoint' | 'headMovement'> {
  const { moved, branch, commitsSinceCheckpoint, commitsNoLongerOnHead } = movement;
  return { headMovedSinceCheckpoint: moved, headMovement: { branch, commitsSinceCheckpoint, commitsNoLongerOnHead } };
}

type StatusNode = { status: string; readonly dependencies: ReadonlyArray<string> };

/** Task changes of resetting some tasks to pending, as the snapshot source does it (downstream unblocked, readiness recomputed). */
function resetTaskChanges(current: ReadonlyArray<Task>, resetIds: ReadonlyArray<string>): TaskChange[] {
  const nodes = new Map<string, StatusNode>(current.map((task) => [task.id, { status: task.status, dependencies: task.dependencies }]));
  for (const id of resetIds) {
    const node = nodes.get(id);
    if (node === undefined) continue;
    node.status = 'pending';
    for (const downstream of downstreamOf(nodes, id)) {
      const dependent = nodes.get(downstream);
      if (dependent?.status === 'blocked') dependent.status = 'pending';
    }
  }
  settleReadiness(nodes, true);
  return current.flatMap((task) => {
    const to = nodes.get(task.id)?.status ?? task.status;
    return to === task.status ? [] : [{ id: task.id, title: task.title, from: task.status, to }];
  });
}

/** Task changes of a FULL rollback: the table goes back to the snapshot; running or ready tasks come back pending, then ready ones are promoted. */
function fullTaskChanges(current: ReadonlyArray<Task>, snapshot: ReadonlyArray<SnapshotTask>): TaskChange[] {
  const nodes = new Map<string, StatusNode>(
    snapshot.map((task) => [task.id, { status: LEASED.includes(task.status) || task.status === 'ready' ? 'pending' : task.status, dependencies: task.dependencies ?? [] }]),
  );
  settleReadiness(nodes, false);
  const changes: TaskChange[] = [];
  for (const task of current) {
    const to = nodes.get(task.id)?.status ?? 'deleted';
    if (to !== task.status) changes.push({ id: task.id, title: task.title, from: task.status, to });
  }
  const existing = new Set(current.map((task) => task.id));
  for (const task of snapshot) {
    if (!existing.has(task.id)) changes.push({ id: task.id, title: task.title, from: 'deleted', to: nodes.get(task.id)?.status ?? 'pending' });
  }
  return changes;
}

/** The store's demoteNotReady (optionally) then promoteAllReady, on an in-memory copy; a missing dependency counts as done, as in its SQL. */
function settleReadiness(nodes: Map<string, StatusNode>, demote: boolean): void {
  const allDone = (node: StatusNode): boolean => node.dependencies.every((id) => (nodes.get(id)?.status ?? 'done') === 'done');
  if (demote) {
    const notReady = [...nodes.values()].filter((node) => node.status === 'ready' && !allDone(node));
    for (const node of notReady) node.status = 'pending';
  }
  const promoted = [...nodes.values()].filter((node) => node.status === 'pending' && allDone(node));
  for (const node of promoted) node.status = 'ready';
}

/** Every task downstream of `id`, transitively. */
function downstreamOf(nodes: ReadonlyMap<string, StatusNode>, id: string): Set<string> {
  const found = new Set<string>();
  const queue = [id];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const [taskId, node] of nodes) {
      if (node.dependencies.includes(next) && !found.has(taskId)) {
        found.add(taskId);
        queue.push(taskId);
      }
    }
  }
  return found;
}

/** A task of a checkpoint's snapshot, as far as the preview reads it. */
export type SnapshotTask = { readonly id: string; readonly title: string; readonly status: string; readonly dependencies?: ReadonlyArray<string> };

/** The tasks of a checkpoint's snapshot, read loosely (the snapshot source validates it fully on restore). */
export function snapshotTasks(snapshot: unknown): ReadonlyArray<SnapshotTask> {
  const tasks = (snapshot as { readonly tasks?: unknown } | null)?.tasks;
  if (!Array.isArray(tasks)) return [];
  return tasks.filter((task): task is SnapshotTask => typeof task === 'object' && task !== null && typeof (task as SnapshotTask).id === 'string');
}

/** diffTrees runs from the current tree to the checkpoint's: 'added' exists only at the checkpoint. */
function toFileChange(change: { readonly path: string; readonly status: string }): FileChange {
  const kind = change.status === 'added' ? 'create' : change.status === 'deleted' ? 'delete' : 'restore';
  return { path: change.path, change: kind };
}
