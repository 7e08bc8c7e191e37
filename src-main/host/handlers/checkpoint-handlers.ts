import type { z } from 'zod';
import type { Attempt } from '../../../src-shared/domain/attempt';
import { formatLineComments } from '../../../src-shared/domain/attempt-comment';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Handlers } from '../../../src-shared/rpc/server';
import type { attemptDiffSchema, checkpointSchema } from '../../../src-shared/rpc/schemas/workspace';
import { StoreTaskSnapshotSource } from '../../project/task-snapshot-source';
import type { ProjectRuntime } from '../../runtime/project-runtime';
import type { Store } from '../../store/store';
import {
  createCheckpoint,
  deleteCheckpoint,
  diffAttempt,
  isGitRepository,
  listCheckpoints,
  loadCheckpoint,
  redactSecretsInChunks,
  retentionFromConfig,
  retentionOf,
  rollback,
  runGit,
  type RetainedCheckpoint,
  type RollbackRequest,
  type RollbackResult,
} from '../../workspace';
import { mapEngineErrors } from '../engine-errors';
import type { ProjectSessions } from '../project-sessions';
import { headMovementWire, previewRollback, snapshotTasks } from './rollback-preview';

type CheckpointHandlers = Pick<
  Handlers,
  'checkpoints.list' | 'checkpoints.create' | 'checkpoints.delete' | 'checkpoints.preview' | 'checkpoints.rollback' | 'attempts.diff' | 'tasks.review'
>;
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
    'checkpoints.list': ({ project }) =>
      withRepository(project, async ({ projectDir, config }) => retentionOf(await listCheckpoints(projectDir), retentionFromConfig(config.checkpoints), new Date()).map(toWire)),
    'checkpoints.create': ({ project, description }) =>
      withRepository(project, async ({ projectDir, orchestrator, config }) => {
        const taskSnapshot = new StoreTaskSnapshotSource(orchestrator.store).snapshotTasks();
        const retention = retentionFromConfig(config.checkpoints);
        const checkpoint = await createCheckpoint(projectDir, { description, kind: 'manual', taskSnapshot, retention });
        return toWire({ checkpoint, keptBecause: ['newest'] });
      }),
    'checkpoints.delete': ({ project, id }) =>
      withRepository(project, async ({ projectDir }) => ({ deleted: CHECKPOINT_ID.test(id) && (await deleteCheckpoint(projectDir, id)) })),
    'checkpoints.preview': (input) =>
      withRepository(input.project, async (runtime) => {
        await requireCheckpointSnapshot(runtime.projectDir, input.id);
        return previewRollback(runtime, rollbackRequest(runtime, input));
      }),
    'checkpoints.rollback': (input) =>
      withRepository(input.project, async (runtime) => {
        const { orchestrator, projectDir, config } = runtime;
        const snapshot = await requireCheckpointSnapshot(projectDir, input.id);
        const request = rollbackRequest(runtime, input);
        requireIdle(runtime);
        let result: RollbackResult;
        // The tasks whose work is undone (for their feedback): a selective rollback's, or those a partial one sends back to pending.
        let undone: ReadonlyArray<string> = request.strategy === 'SELECTIVE' ? request.taskIds : [];
        try {
          result = await rollback(projectDir, request, new StoreTaskSnapshotSource(orchestrator.store), { retention: retentionFromConfig(config.checkpoints) });
          if (request.strategy !== 'SELECTIVE') undone = result.tasksResetToPending;
        } finally {
          // The task table was rewritten without task events; even a rollback that stopped part-way may have changed it.
          orchestrator.announceTasksReset('rollback', undone);
        }
        return {
          restoredFiles: [...result.restoredFiles],
          deletedFiles: [...result.deletedFiles],
          keptIgnoredFiles: [...result.keptIgnoredFiles],
          unrevertedFiles: result.unrevertedFiles.map((file) => ({ ...file, hunks: [...file.hunks] })),
          notes: [...result.notes],
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
        // What to change is checked first, as input: the same refusal whatever the task's state.
        const note = verdict === 'request_changes' ? requestedChanges(orchestrator.store, id, (feedback ?? '').trim()) : (feedback ?? '').trim();
        if (!REVIEWABLE.includes(task.status)) {
          throw new RpcError('conflict', `Task ${id} is ${task.status}; only a task that is done, failed or in review can be reviewed by hand.`);
        }
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

/**
 * What "Request changes" sends to the next attempt: the user's feedback, then their line comments on
 * the task's latest attempt (file, lines, code, comment). Refused when there is neither.
 */
function requestedChanges(store: Store, taskId: string, feedback: string): string {
  const latest = store.attempts.listForTask(taskId).at(-1);
  const comments = latest === undefined ? [] : store.attemptComments.listForAttempt(latest.id);
  const parts = [feedback, comments.length === 0 ? '' : formatLineComments(comments)].filter((part) => part !== '');
  if (parts.length === 0) {
    const message = 'Say what to change: write feedback, or comment on lines of the diff.';
    throw new RpcError('invalid_input', message, [{ path: 'feedback', message }]);
  }
  return parts.join('\n\n');
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
  // A finished attempt's checkout may serve another attempt now (pooled worktrees): only a running one is read from disk.
  const base = {
    baseCommit: attempt.commitBefore,
    branch: attempt.branch,
    ...(attempt.worktree === null || attempt.status !== 'running' ? {} : { worktreePath: attempt.worktree }),
    ...(attempt.workCommit === null ? {} : { targetCommit: attempt.workCommit }),
  };
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

/** Redacts a diff of up to MAX_PATCH_BYTES in pieces, so other calls are answered meanwhile. */
async function redactDiff(diff: AttemptDiffWire): Promise<AttemptDiffWire> {
  return { ...diff, patch: await redactSecretsInChunks(diff.patch) };
}

function toWire({ checkpoint, keptBecause }: RetainedCheckpoint): z.output<typeof checkpointSchema> {
  const { id, description, kind, createdAt, head } = checkpoint;
  return { id, description, kind, createdAt: createdAt.toISOString(), head, rollbackOf: checkpoint.rollbackOf ?? null, keptBecause: [...keptBecause] };
}
