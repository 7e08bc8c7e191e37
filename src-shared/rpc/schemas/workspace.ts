import { z } from 'zod';
import { usageSchema } from './run';

/**
 * A checkpoint as the UI lists it. `rollbackOf`: for a rollback's safety checkpoint, the checkpoint
 * rolled back to (a FULL rollback to it is the undo). `keptBecause`: why retention keeps it (newest
 * `keep_last`, younger than `keep_days`, the undo of the last rollback); empty = pruned after the next checkpoint.
 */
export const checkpointSchema = z.object({
  id: z.string(),
  description: z.string(),
  kind: z.enum(['manual', 'run', 'rollback']),
  createdAt: z.string(),
  head: z.string().nullable(),
  rollbackOf: z.string().nullable(),
  keptBecause: z.array(z.enum(['newest', 'recent', 'undo'])),
});

/** FULL: tree and tasks as at the checkpoint; PARTIAL: tree, and later-done tasks back to pending; SELECTIVE: only the named tasks' files and states. */
export const rollbackStrategySchema = z.enum(['FULL', 'PARTIAL', 'SELECTIVE']);

/**
 * How the user's branch moved since the checkpoint. Rollback restores files and tasks but never
 * moves a branch: commits made after the checkpoint stay on it, and the restored files show
 * their changes undone, as uncommitted changes.
 */
export const headMovementSchema = z.object({
  /** The branch checked out now; null when HEAD is detached. */
  branch: z.string().nullable(),
  /** Commits on the branch now that were made after the checkpoint. */
  commitsSinceCheckpoint: z.number().int().nonnegative(),
  /** Commits HEAD had at the checkpoint and no longer has (a reset, rebase or branch switch since). */
  commitsNoLongerOnHead: z.number().int().nonnegative(),
});

/** SELECTIVE: a file left exactly as it is, because undoing the task's change there conflicts with later edits. */
export const unrevertedFileSchema = z.object({
  taskId: z.string(),
  path: z.string(),
  reason: z.string(),
  /** The task's hunks (`@@ -a,b +c,d @@`) that overlap later edits; empty when the whole file conflicts. */
  hunks: z.array(z.string()),
  /** A git command that shows the task's change of this file, to undo it by hand. */
  showCommand: z.string(),
});

/** What a rollback would change, shown before the user confirms. */
export const rollbackPreviewSchema = z.object({
  files: z.array(z.object({ path: z.string(), change: z.enum(['restore', 'delete', 'create']) })),
  tasks: z.array(z.object({ id: z.string(), title: z.string(), from: z.string(), to: z.string() })),
  headMovedSinceCheckpoint: z.boolean(),
  headMovement: headMovementSchema,
  /** SELECTIVE: files it would leave as they are. */
  unrevertedFiles: z.array(unrevertedFileSchema),
  /** SELECTIVE: tasks that cannot simply be undone from their commits, and what happens instead. */
  notes: z.array(z.string()),
});

/** What a rollback did; `safetyCheckpointId` undoes it (a FULL rollback to it brings back files and tasks, removed tasks included). */
export const rollbackResultSchema = z.object({
  restoredFiles: z.array(z.string()),
  deletedFiles: z.array(z.string()),
  /** FULL and PARTIAL: files the checkpoint lacks, left in place because .gitignore ignores them. */
  keptIgnoredFiles: z.array(z.string()),
  unrevertedFiles: z.array(unrevertedFileSchema),
  notes: z.array(z.string()),
  tasksRestored: z.number(),
  tasksResetToPending: z.array(z.string()),
  safetyCheckpointId: z.string(),
  headMovedSinceCheckpoint: z.boolean(),
  headMovement: headMovementSchema,
});

/** An attempt's changes for the diff view. */
export const attemptDiffSchema = z.object({
  baseCommit: z.string(),
  files: z.array(
    z.object({
      path: z.string(),
      oldPath: z.string().optional(),
      status: z.enum(['added', 'modified', 'deleted', 'renamed', 'copied', 'type-changed']),
      additions: z.number().nullable(),
      deletions: z.number().nullable(),
    }),
  ),
  patch: z.string(),
  truncated: z.boolean(),
});

/** `estimated`: some of the cost is Claude Code's estimate (a subscription), not a bill; `unpriced`: some usage has no price row. */
const usageLine = z.object({ usage: usageSchema, costUsd: z.number(), estimated: z.boolean(), unpriced: z.boolean() });

/** Tokens and cost per task, run and model, and in total. */
export const usageSummarySchema = z.object({
  total: usageLine,
  byTask: z.array(usageLine.extend({ taskId: z.string(), title: z.string() })),
  byRun: z.array(usageLine.extend({ runId: z.string(), startedAt: z.number(), status: z.string() })),
  byModel: z.array(usageLine.extend({ model: z.string() })),
});

/** Where the keys come from (never the keys themselves). */
export const secretsStatusSchema = z.object({
  keychainAvailable: z.boolean(),
  keychainMessage: z.string().nullable(),
  apiKey: z.object({ source: z.enum(['environment', 'dotenv', 'keychain', 'none']), masked: z.string().nullable() }),
  slackWebhook: z.object({ source: z.enum(['environment', 'dotenv', 'keychain', 'config', 'none']), masked: z.string().nullable() }),
});

/** One line of the first-run check: what is fine, what is missing and how to fix it. */
export const setupCheckSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  detail: z.string(),
  fix: z.string().nullable(),
});
