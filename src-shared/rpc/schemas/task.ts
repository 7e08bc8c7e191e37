import { z } from 'zod';
import { PRIORITIES } from '../../domain/priority';
import { TASK_STATUSES } from '../../domain/task-status';

/** Wire schema of a task (mirrors domain/task.ts `Task`; the host's output validation catches drift). */
export const taskSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  details: z.string(),
  testStrategy: z.string(),
  acceptanceCriteria: z.array(z.string()).readonly(),
  priority: z.enum(PRIORITIES),
  status: z.enum(TASK_STATUSES),
  statusReason: z.string().nullable(),
  dependencies: z.array(z.string()).readonly(),
  contextFiles: z.array(z.string()).readonly(),
  hints: z.array(z.string()).readonly(),
  sourceRef: z.string().nullable(),
  tags: z.array(z.string()).readonly(),
  expectsNoChanges: z.boolean(),
  result: z
    .object({
      output: z.string(),
      filesModified: z.array(z.string()).readonly(),
      filesCreated: z.array(z.string()).readonly(),
      error: z.string().nullable(),
      discoveryIds: z.array(z.number()).readonly(),
      subtasksCreated: z.array(z.string()).readonly(),
    })
    .nullable(),
  reviewFeedback: z.string().nullable(),
  resumeAttemptId: z.string().nullable(),
  attempts: z.number(),
  failures: z.number(),
  criticalRank: z.number(),
  leaseOwner: z.string().nullable(),
  leaseExpiresAt: z.number().nullable(),
  notBefore: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  claimedAt: z.number().nullable(),
  startedAt: z.number().nullable(),
  completedAt: z.number().nullable(),
});

/** Wire schema of a discovery: a finding a worker reported for later tasks. */
export const discoverySchema = z.object({
  id: z.number(),
  taskId: z.string().nullable(),
  attemptId: z.string().nullable(),
  runId: z.string().nullable(),
  summary: z.string(),
  details: z.string().nullable(),
  tags: z.array(z.string()).readonly(),
  files: z.array(z.string()).readonly(),
  createdAt: z.number(),
});
