import type { z } from 'zod';
import type { Attempt } from '../../../src-shared/domain/attempt';
import type { Task } from '../../../src-shared/domain/task';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Handlers } from '../../../src-shared/rpc/server';
import type { attemptDiffSchema, checkpointSchema, rollbackPreviewSchema } from '../../../src-shared/rpc/schemas/workspace';
import { StoreTaskSnapshotSource } from '../../project/task-snapshot-source';
import type { ProjectRuntime } from '../../runtime/project-runtime';
import {
  createCheckpoint,
  deleteCheckpoint,
  diffAttempt,
  isGitRepository,
  listCheckpoints,
  loadCheckpoint,
  redactSecrets,
  rollback,
  runGit,
  showCheckpoint,
  type Checkpoint,
  type RollbackRequest,
  type RollbackResult,
} from '../../workspace';
import { headMovementSince, type HeadMovement } from '../../workspace/rollback-head';
import { mapEngineErrors } from '../engine-errors';
import type { ProjectSessions } from '../project-sessions';

type CheckpointHandlers = Pick<
  Handlers,
  'checkpoints.list' | 'checkpoints.create' | 'checkpoints.delete' | 'checkpoints.preview' | 'checkpoints.rollback' | 'attempts.diff' | 'tasks.review'
>;
type RollbackPreview = z.output<typeof rollbackPreviewSchema>;
type FileChange = RollbackPreview['files'][number];
type TaskChange = RollbackPreview['tasks'][number];
type RollbackInput = { readonly project: string; readonly id: string; readonly strategy: RollbackRequest['strategy']; readonly taskIds?: ReadonlyArray<string> | undefined };

const CHECKPOINT_ID = /^[0-9]{8}T[0-9]{9}Z-[0-9a-f]{8}$/;
const LEASED: ReadonlyArray<string> = ['claimed', 'in_progress', 'review'];
const REVIEWABLE: ReadonlyArray<string> = ['done', 'failed', 'review'];
const MAX_PATCH_BYTES = 2_000_000;

/** Handlers of checkpoints, rollback (with its preview), an attempt's diff and the user's own review verdict. */
export function checkpointHandlers(sessions: ProjectSessions): CheckpointHandlers {
  const withRuntime = async <T>(project: string, body: (runtime: ProjectRuntime) => T | Promise<T>): Promise<T> => {
    const runtime = await sessions.get(project);
    return mapEngineErrors(() => body(runtime));
  };
  const withRepository = <T>(project: string, body: (runtime: ProjectRuntime) => T | Promise<T>): Promise<T> =>
    withRuntime(project, async (runtime) => {
      await requireGitRepository(runtime.projectDir);
      return body(runtime);
    });

  return {
    'checkpoints.list': ({ project }) => withRepository(project, async ({ projectDir }) => (await listCheckpoints(projectDir)).map(toWire)),
    'checkpoints.create': ({ project, description }) =>
      withRepository(project, async ({ projectDir, orchestrator }) => {
        const taskSnapshot = new StoreTaskSnapshotSource(orchestrator.store).snapshotTasks();
        return toWire(await createCheckpoint(projectDir, { description, kind: 'manual', taskSnapshot }));
      }),
    'checkpoints.delete': ({ project, id }) =>
      withRepository(project, async ({ projectDir }) => ({ deleted: CHECKPOINT_ID.test(id) && (await deleteCheckpoint(projectDir, id)) })),
    'checkpoints.preview': (input) => withRepository(input.project, (runtime) => previewRollback(runtime, input)),
    'checkpoints.rollback': (input) =>
      withRepository(input.project, async (runtime) => {
        const { orchestrator, projectDir } = runtime;
        const snapshot = await requireCheckpointSnapshot(projectDir, input.id);
        const request = rollbackRequest(runtime, input);
        requireIdle(runtime);
        let result: RollbackResult;
        // The tasks whose work is undone (for their feedback): a selective rollback's, or those a partial one sends back to pending.
        let undone: ReadonlyArray<string> = request.strategy === 'SELECTIVE' ? request.taskIds : [];
        try {
          result = await rollback(projectDir, request, new StoreTaskSnapshotSource(orchestrator.store));
          if (request.strategy !== 'SELECTIVE') undone = result.tasksResetToPending;
        } finally {
          // The task table was rewritten without task events; even a rollback that stopped part-way may have changed it.
          orchestrator.announceTasksReset('rollback', undone);
        }
        return {
          restoredFiles: [...result.restoredFiles],
          deletedFiles: [...result.deletedFiles],
          tasksRestored: result.tasksRestored ? snapshotTasks(snapshot).length : 0,
          tasksResetToPending: [...result.tasksResetToPending],
          safetyCheckpointId: result.safetyCheckpointId,
          ...headMovementWire(result.headMovement),
        };
      }),
    'attempts.diff': ({ project, attemptId }) =>
      withRuntime(project, async ({ projectDir, orchestrator }) => {
        const attempt = orchestrator.store.attempts.get(attemptId);
        if (attempt === undefined) throw new RpcError('not_found', `No attempt ${attemptId} in this project.`);
        return redactDiff(await attemptDiff(projectDir, attempt));
      }),
    'tasks.review': ({ project, id, verdict, feedback }) =>
      withRuntime(project, ({ orchestrator }) => {
        const task = orchestrator.getTask(id);
        if (!REVIEWABLE.includes(task.status)) {
          throw new RpcError('conflict', `Task ${id} is ${task.status}; only a task that is done, failed or in review can be reviewed by hand.`);
        }
        const note = (feedback ?? '').trim();
        orchestrator.feedback.recordUserVerdict(id, verdict, note);
        switch (verdict) {
          case 'approve':
            return task.status === 'done' ? task : orchestrator.setTaskStatus(id, 'done');
          case 'reject':
            return orchestrator.setTaskStatus(id, 'failed', note === '' ? 'Rejected by hand.' : `Rejected by hand: ${note}`);
          case 'request_changes': {
            const pending = orchestrator.setTaskStatus(id, 'pending', 'Changes requested by hand.');
            // The task service has no setter for the feedback; write it in the same tick, before any worker can claim the task.
            orchestrator.store.write(() => orchestrator.store.tasks.restore(id, { ...pending, reviewFeedback: note }, Date.now()));
            return orchestrator.getTask(id);
          }
        }
      }),
  };
}

/** What a rollback with this strategy would change: files on disk and task states, computed without writing anything. */
async function previewRollback(runtime: ProjectRuntime, input: RollbackInput): Promise<RollbackPreview> {
  const { projectDir, orchestrator } = runtime;
  await requireCheckpointSnapshot(projectDir, input.id);
  const request = rollbackRequest(runtime, input);
  const details = await showCheckpoint(projectDir, input.id);
  const head = headMovementWire(await headMovementSince(projectDir, details.head));
  const allFiles = details.changesSinceCheckpoint.map(toFileChange);
  const source = new StoreTaskSnapshotSource(orchestrator.store);
  const current = orchestrator.listTasks();
  switch (request.strategy) {
    case 'FULL':
      return { files: allFiles, tasks: fullTaskChanges(current, snapshotTasks(details.taskSnapshot)), ...head };
    case 'PARTIAL': {
      const completed = source.tasksCompletedSince(details.createdAt).map((changes) => changes.taskId);
      return { files: allFiles, tasks: resetTaskChanges(current, completed), ...head };
    }
    case 'SELECTIVE': {
      const changed = source.filesChangedByTasks(request.taskIds, details.createdAt).flatMap((task) => task.filesChanged);
      const scope = [...new Set(changed.map((file) => file.replace(/\\/g, '/').replace(/^\.\//, '')))];
      const files = allFiles.filter((file) => scope.some((path) => file.path === path || file.path.startsWith(`${path}/`)));
      return { files, tasks: resetTaskChanges(current, request.taskIds), ...head };
    }
  }
}

/** The wire form of how HEAD moved since the checkpoint (the flag on its own, the details beside it). */
function headMovementWire(movement: HeadMovement): Pick<RollbackPreview, 'headMovedSinceCheckpoint' | 'headMovement'> {
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

/** The rollback request for the input, with SELECTIVE's tasks checked to exist (a TaskNotFoundError becomes not_found). */
function rollbackRequest({ orchestrator }: ProjectRuntime, input: RollbackInput): RollbackRequest {
  switch (input.strategy) {
    case 'FULL':
    case 'PARTIAL':
      if (input.taskIds !== undefined && input.taskIds.length > 0) throw new RpcError('invalid_input', `Tasks only apply to a SELECTIVE rollback, not ${input.strategy}.`);
      return { strategy: input.strategy, checkpointId: input.id };
    case 'SELECTIVE': {
      const taskIds = [...new Set(input.taskIds ?? [])];
      if (taskIds.length === 0) throw new RpcError('invalid_input', 'SELECTIVE rollback needs the tasks to undo.');
      for (const taskId of taskIds) orchestrator.getTask(taskId);
      return { strategy: 'SELECTIVE', checkpointId: input.id, taskIds };
    }
  }
}

type SnapshotTask = { readonly id: string; readonly title: string; readonly status: string; readonly dependencies?: ReadonlyArray<string> };

/** The tasks of a checkpoint's snapshot, read loosely (the snapshot source validates it fully on restore). */
function snapshotTasks(snapshot: unknown): ReadonlyArray<SnapshotTask> {
  const tasks = (snapshot as { readonly tasks?: unknown } | null)?.tasks;
  if (!Array.isArray(tasks)) return [];
  return tasks.filter((task): task is SnapshotTask => typeof task === 'object' && task !== null && typeof (task as SnapshotTask).id === 'string');
}

/** diffTrees runs from the current tree to the checkpoint's: 'added' exists only at the checkpoint. */
function toFileChange(change: { readonly path: string; readonly status: string }): FileChange {
  const kind = change.status === 'added' ? 'create' : change.status === 'deleted' ? 'delete' : 'restore';
  return { path: change.path, change: kind };
}

/** The checkpoint's task snapshot, or not_found naming the id. */
async function requireCheckpointSnapshot(projectDir: string, id: string): Promise<unknown> {
  const loaded = CHECKPOINT_ID.test(id) ? await loadCheckpoint(projectDir, id) : null;
  if (loaded === null) throw new RpcError('not_found', `Checkpoint "${id}" does not exist; pick one from the list.`);
  return loaded.taskSnapshot;
}

async function requireGitRepository(projectDir: string): Promise<void> {
  if (!(await isGitRepository(projectDir))) {
    throw new RpcError(
      'failed_precondition',
      `${projectDir} is not the top folder of a git repository; checkpoints need one (git init && git add -A && git commit -m "Initial commit").`,
    );
  }
}

/** Rollback rewrites files and tasks under the workers' feet: refused while a run or a leased task is in progress. */
function requireIdle({ orchestrator }: ProjectRuntime): void {
  if (orchestrator.getStatus().running) throw new RpcError('conflict', 'A run is in progress; stop it before rolling back.');
  const leased = orchestrator.listTasks().filter((task) => LEASED.includes(task.status));
  if (leased.length > 0) throw new RpcError('conflict', `Tasks ${leased.map((task) => task.id).join(', ')} are running; stop them before rolling back.`);
}

type AttemptDiffWire = z.output<typeof attemptDiffSchema>;

/** The attempt's diff: its worktree while it exists, else its branch tip, else commitBefore..commitAfter. */
async function attemptDiff(projectDir: string, attempt: Attempt): Promise<AttemptDiffWire> {
  if (attempt.commitBefore === null || attempt.branch === null) {
    throw new RpcError('failed_precondition', `Attempt ${attempt.id} did not run in a git worktree, so there is no diff to show.`);
  }
  const base = { baseCommit: attempt.commitBefore, branch: attempt.branch, ...(attempt.worktree === null ? {} : { worktreePath: attempt.worktree }) };
  try {
    const diff = await diffAttempt(projectDir, base, { maxPatchBytes: MAX_PATCH_BYTES });
    return { baseCommit: diff.baseCommit, files: [...diff.files], patch: diff.patch, truncated: diff.truncated };
  } catch (error) {
    if (!/no longer exists/.test(String(error))) throw error;
    const gone = `The diff of attempt ${attempt.id} is no longer available: its branch ${attempt.branch} was deleted`;
    if (attempt.commitAfter === null) throw new RpcError('failed_precondition', `${gone}.`);
    const target = await attemptCommit(projectDir, attempt.commitAfter);
    if (target === null) throw new RpcError('failed_precondition', `${gone} and its commit is gone too.`);
    return diffCommits(projectDir, attempt.commitBefore, target);
  }
}

/** The attempt's own commit: the second parent when commitAfter is the merge into the integration branch. */
async function attemptCommit(projectDir: string, commitAfter: string): Promise<string | null> {
  for (const candidate of [`${commitAfter}^2`, commitAfter]) {
    const resolved = await runGit(projectDir, ['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`], { allowExitCodes: [1, 128] });
    if (resolved.exitCode === 0) return resolved.stdout.trim();
  }
  return null;
}

/** The diff between two commits, when the attempt's branch is gone but its commit remains. */
async function diffCommits(projectDir: string, before: string, after: string): Promise<AttemptDiffWire> {
  const range = [before, after];
  const nameStatus = (await runGit(projectDir, ['diff', '--no-ext-diff', '--no-renames', '--name-status', '-z', ...range])).stdout.split('\0');
  const files: AttemptDiffWire['files'] = [];
  for (let i = 0; i + 1 < nameStatus.length; i += 2) {
    const code = nameStatus[i] ?? '';
    files.push({ path: nameStatus[i + 1] ?? '', status: code === 'A' ? 'added' : code === 'D' ? 'deleted' : 'modified', additions: null, deletions: null });
  }
  const patch = (await runGit(projectDir, ['diff', '--no-ext-diff', '--no-color', '--no-renames', ...range])).stdout;
  const truncated = Buffer.byteLength(patch) > MAX_PATCH_BYTES;
  return { baseCommit: before, files, patch: truncated ? Buffer.from(patch).subarray(0, MAX_PATCH_BYTES).toString('utf8') : patch, truncated };
}

function redactDiff(diff: AttemptDiffWire): AttemptDiffWire {
  return { ...diff, patch: redactSecrets(diff.patch) };
}

function toWire(checkpoint: Checkpoint): z.output<typeof checkpointSchema> {
  return { id: checkpoint.id, description: checkpoint.description, kind: checkpoint.kind, createdAt: checkpoint.createdAt.toISOString(), head: checkpoint.head };
}
