import { z } from 'zod';
import { DEFAULT_CONFIG, type OrchestratorConfig } from '../../src-shared/config/config-schema';
import { formatIssues } from '../../src-shared/config/resolve-config';
import type { StoredDiscovery } from '../../src-shared/domain/discovery';
import type { NewTaskInput, Task } from '../../src-shared/domain/task';
import { ConfigurationError } from './errors';
import type { AttemptLifecycle } from './lifecycle';
import type { SchedulerSettings } from './scheduler';
import type { WorkerBackend } from './worker-backend';

/** Options of `new Orchestrator(...)`, named as in the seeds' Python API (times in seconds). */
export interface OrchestratorOptions {
  readonly workingDirectory: string;
  readonly maxWorkers?: number;
  readonly model?: string;
  /** Per-task timeout in seconds. */
  readonly taskTimeout?: number;
  readonly onTaskComplete?: (task: Task) => void;
  readonly onDiscovery?: (discovery: StoredDiscovery) => void;
  /** Print task changes and worker logs to the console. */
  readonly verbose?: boolean;
  /** Validated orchestrator_config.json; the options above override it. */
  readonly config?: OrchestratorConfig;
  /** The worker backend; required to run tasks (claimTask/completeTask work without one). */
  readonly backend?: WorkerBackend;
  /** Hooks around each attempt (worktrees, review); default: work in workingDirectory, approve. */
  readonly lifecycle?: AttemptLifecycle;
  /** The manager's planner, for runWithLeaderPlanning. */
  readonly planner?: (goal: string, masterPlan: string | null) => Promise<ReadonlyArray<NewTaskInput>>;
  /** Database file; default <workingDirectory>/.orchestrator/state.db. */
  readonly databasePath?: string;
  /** Advanced: lease length and idle poll interval in ms. */
  readonly leaseMs?: number;
  readonly pollMs?: number;
  readonly abortGraceMs?: number;
  /** Advanced: the wall clock the scheduler reads for leases (default Date.now); tests move it to stand in for a machine that slept. */
  readonly clock?: () => number;
}

const OptionsSchema = z.object({
  workingDirectory: z.string().min(1, 'workingDirectory is required'),
  maxWorkers: z.number().int().min(1).max(64).optional(),
  model: z.string().min(1).optional(),
  taskTimeout: z.number().positive().optional(),
  verbose: z.boolean().optional(),
  leaseMs: z.number().int().min(50).optional(),
  pollMs: z.number().int().min(5).optional(),
  abortGraceMs: z.number().int().min(0).optional(),
});

/** Validates the options and derives the scheduler settings; throws ConfigurationError naming the option. */
export function resolveSchedulerSettings(options: OrchestratorOptions): SchedulerSettings {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) throw new ConfigurationError(`invalid Orchestrator options: ${formatIssues(parsed.error).join('; ').replaceAll('key ', 'option ')}`);
  const config = options.config ?? DEFAULT_CONFIG;
  const execution = config.execution;
  return {
    maxWorkers: options.maxWorkers ?? execution.max_workers,
    model: options.model ?? config.models.worker,
    ...(execution.max_turns ? { maxTurns: execution.max_turns } : {}),
    taskTimeoutMs: Math.round((options.taskTimeout ?? execution.task_timeout) * 1000),
    abortGraceMs: options.abortGraceMs ?? 5_000,
    retry: {
      maxRetries: execution.max_retries,
      baseDelayMs: Math.round(execution.retry_base_delay * 1000),
      maxDelayMs: Math.round(execution.retry_max_delay * 1000),
    },
    lessonsInPrompt: config.feedback.max_lessons_in_prompt,
    leaseMs: options.leaseMs ?? Math.round(execution.lease_duration * 1000),
    pollMs: options.pollMs ?? 500,
    progressIntervalMs: 250,
    ...(config.budget.max_usd_per_run === undefined ? {} : { runBudget: { maxUsd: config.budget.max_usd_per_run, whenReached: config.budget.when_run_budget_reached } }),
  };
}
