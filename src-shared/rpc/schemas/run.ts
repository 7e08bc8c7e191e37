import { z } from 'zod';
import { ATTEMPT_STAGES, ATTEMPT_STATUSES } from '../../domain/attempt';
import { ERROR_CLASSES } from '../../domain/error-class';
import { INTEGRATION_STATUSES } from '../../domain/integration';
import { RUN_STATUSES } from '../../domain/run';
import { FINISH_STEPS } from '../../domain/run-finishing';
import { TASK_STATUSES } from '../../domain/task-status';

/** Wire schema of token usage. */
export const usageSchema = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheCreationInputTokens: z.number(),
  cacheReadInputTokens: z.number(),
});

/** Wire schema of a run (mirrors domain/run.ts). */
export const runSchema = z.object({
  id: z.string(),
  goal: z.string().nullable(),
  status: z.enum(RUN_STATUSES),
  owner: z.string(),
  maxWorkers: z.number(),
  taskIds: z.array(z.string()).readonly().nullable(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  summary: z.string().nullable(),
});

/** Wire schema of an attempt (mirrors domain/attempt.ts). */
export const attemptSchema = z.object({
  id: z.string(),
  taskId: z.string(),
  runId: z.string().nullable(),
  number: z.number(),
  status: z.enum(ATTEMPT_STATUSES),
  backend: z.string(),
  workerOwner: z.string(),
  sessionId: z.string().nullable(),
  workingDirectory: z.string().nullable(),
  worktree: z.string().nullable(),
  branch: z.string().nullable(),
  commitBefore: z.string().nullable(),
  commitAfter: z.string().nullable(),
  exitCode: z.number().nullable(),
  output: z.string().nullable(),
  errorClass: z.enum(ERROR_CLASSES).nullable(),
  errorMessage: z.string().nullable(),
  usage: usageSchema,
  costUsd: z.number(),
  review: z.string().nullable(),
  stage: z.enum(ATTEMPT_STAGES).nullable(),
  workCommit: z.string().nullable(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
});

/** An attempt running now, with its task's title, so a view opened mid-run can show its worker lane. */
export const activeAttemptSchema = attemptSchema.extend({ taskTitle: z.string() });

/** Wire schema of one stored log event of an attempt. */
export const logEventSchema = z.object({
  attemptId: z.string(),
  seq: z.number(),
  at: z.number(),
  kind: z.string(),
  text: z.string(),
});

/** Task counts per status. */
export const statusCountsSchema = z.record(z.enum(TASK_STATUSES), z.number());

/** Wire schema of a run's integration: where its approved work is and whether it reached the user's branch. */
export const integrationSchema = z.object({
  runId: z.string(),
  branch: z.string(),
  baseCommit: z.string(),
  startedOnBranch: z.string().nullable().optional(),
  startedAtCommit: z.string().nullable().optional(),
  tip: z.string(),
  status: z.enum(INTEGRATION_STATUSES),
  note: z.string().nullable(),
  integratedCommit: z.string().nullable(),
  owner: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

/** Wire schema of where a run's finish stage is (domain/run-finishing.ts). */
export const runFinishingSchema = z.object({ runId: z.string(), step: z.enum(FINISH_STEPS), branch: z.string().nullable() });

/** What the scheduler of a project is doing now. */
export const runStatusSchema = z.object({
  running: z.boolean(),
  run: runSchema.nullable(),
  counts: statusCountsSchema,
  total: z.number(),
  activeWorkers: z.number(),
  pausedUntil: z.number().nullable(),
  usage: usageSchema,
  costUsd: z.number(),
  /** The attempts of this host's run in progress, oldest first; empty when idle. */
  activeAttempts: z.array(activeAttemptSchema),
  /** Finished work not on the user's branch yet: kept on a run branch (the reason in `note`), or a run still merging. */
  unintegrated: z.array(integrationSchema),
  /** What the last run's finish did (merged into the branch, or kept and why), as lines for people. */
  lastIntegration: z.array(z.string()),
  /** The finish stage in progress in this host (merging, final review, summary), or null. */
  finishing: runFinishingSchema.nullable(),
});

/** What `runs.integrate` did. */
export const integrateResultSchema = z.object({
  integrated: z.array(z.string()),
  lines: z.array(z.string()),
  stillKept: z.array(integrationSchema),
});
