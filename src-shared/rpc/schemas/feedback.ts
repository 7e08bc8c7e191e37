import { z } from 'zod';
import { FEEDBACK_KINDS } from '../../domain/feedback';
import { PRIORITIES } from '../../domain/priority';
import { RUN_STATUSES } from '../../domain/run';
import { FINAL_REVIEW_VERDICTS } from '../../domain/run-summary';

/** Wire schema of a follow-up task proposed by the final review (mirrors domain/run-summary.ts). */
export const followUpTaskSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  details: z.string(),
  testStrategy: z.string(),
  acceptanceCriteria: z.array(z.string()).readonly(),
  priority: z.enum(PRIORITIES),
  dependencies: z.array(z.string()).readonly(),
  contextFiles: z.array(z.string()).readonly(),
  hints: z.array(z.string()).readonly(),
  expectsNoChanges: z.boolean(),
});

/** Wire schema of the final review of a run. */
export const finalReviewSchema = z.object({
  status: z.enum(['reviewed', 'skipped', 'failed']),
  verdict: z.enum(FINAL_REVIEW_VERDICTS).nullable(),
  note: z.string(),
  criteria: z.array(z.object({ taskId: z.string(), index: z.number(), criterion: z.string(), met: z.boolean(), note: z.string().nullable() })).readonly(),
  gaps: z.array(z.string()).readonly(),
  costUsd: z.number(),
  followUps: z
    .object({
      status: z.enum(['proposed', 'accepted', 'discarded']),
      tasks: z.array(followUpTaskSchema).readonly(),
      notes: z.array(z.string()).readonly(),
      acceptedIds: z.array(z.string()).readonly(),
    })
    .nullable(),
});

const summaryTaskSchema = z.object({ id: z.string(), title: z.string(), status: z.string(), attempts: z.number(), reason: z.string().nullable() });

/** Wire schema of a run's summary (mirrors domain/run-summary.ts). */
export const runSummarySchema = z.object({
  runId: z.string(),
  goal: z.string().nullable(),
  status: z.enum(RUN_STATUSES),
  stopped: z.string().nullable().optional(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  durationMs: z.number(),
  costUsd: z.number(),
  costEstimated: z.boolean().optional(),
  costUnpriced: z.boolean().optional(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  completed: z.array(summaryTaskSchema).readonly(),
  failed: z.array(summaryTaskSchema).readonly(),
  waiting: z.number(),
  awaitingReview: z.array(summaryTaskSchema).readonly().optional(),
  discoveries: z.array(z.object({ taskId: z.string().nullable(), summary: z.string() })).readonly(),
  integration: z.array(z.string()).readonly(),
  finalReview: finalReviewSchema.nullable(),
  text: z.string(),
});

/** Wire schema of a lesson (mirrors domain/feedback.ts). */
export const lessonSchema = z.object({
  id: z.number(),
  key: z.string(),
  text: z.string(),
  source: z.string(),
  files: z.array(z.string()).readonly(),
  occurrences: z.number(),
  edited: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

const rateSchema = z.object({ tasks: z.number(), succeeded: z.number(), rate: z.number() });
const costPerSuccessSchema = z.object({ doneTasks: z.number(), costUsd: z.number(), perTask: z.number().nullable() });

/** What the feedback of a project says (seed 003's FeedbackAnalyzer): recurring causes, success rates, costs, hot spots. */
export const insightsSchema = z.object({
  /** Recurring failure causes, most frequent first. */
  causes: z.array(
    z.object({
      kind: z.enum(FEEDBACK_KINDS),
      cause: z.string(),
      count: z.number(),
      tasks: z.array(z.string()),
      runs: z.number(),
      /** The most frequent detail (e.g. the check's failing line) and how often it was seen. */
      topDetail: z.string(),
      topDetailCount: z.number(),
      lastAt: z.number(),
    }),
  ),
  /** Files and folders (their first path segment) most involved in failures. */
  files: z.array(z.object({ file: z.string(), failures: z.number() })),
  areas: z.array(z.object({ area: z.string(), failures: z.number() })),
  firstAttempt: z.object({
    byModel: z.array(rateSchema.extend({ model: z.string() })),
    /** Task size by its number of acceptance criteria: small 0–2, medium 3–5, large 6+. */
    bySize: z.array(rateSchema.extend({ size: z.enum(['small', 'medium', 'large']) })),
  }),
  costPerSuccess: z.object({ overall: costPerSuccessSchema, byModel: z.array(costPerSuccessSchema.extend({ model: z.string() })) }),
  mostAttempts: z.array(z.object({ taskId: z.string(), title: z.string(), status: z.string(), attempts: z.number(), costUsd: z.number() })),
  conflictFiles: z.array(z.object({ file: z.string(), conflicts: z.number() })),
  feedbackCount: z.number(),
});
