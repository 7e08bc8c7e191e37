import { z } from 'zod';

const positiveInt = z.number().int().positive();
const seconds = z.number().positive();

/** Models used by the manager (planning, review) and the workers. */
export const ModelsConfigSchema = z.object({
  manager: z.string().min(1).default('claude-opus-4-6'),
  worker: z.string().min(1).default('claude-sonnet-4-6'),
  /** The manager reviews each attempt's diff before it is merged (on by default, as seed 002 says). */
  enable_opus_review: z.boolean().default(true),
  /** The manager's final review of each run's integrated change against the goal and every criterion; unset: on when enable_opus_review is. */
  final_review: z.boolean().optional(),
  /**
   * How the manager (planning, review, summaries) reaches the model: the Messages API with an API key,
   * or the user's Claude Code CLI and its login (a Claude subscription needs no API key). auto: the API
   * when a key is configured, else Claude Code.
   */
  manager_backend: z.enum(['auto', 'api', 'claude-cli']).default('auto'),
  /** Output budget of one manager call (tokens): a plan of many tasks needs room; an answer cut off here is refused, saying so. */
  manager_max_tokens: z.number().int().min(1_000).max(128_000).default(32_000),
});

/** Scheduling and retry settings; times are in seconds as in the seeds' file. */
export const ExecutionConfigSchema = z
  .object({
    max_workers: positiveInt.max(64).default(4),
    task_timeout: seconds.default(1800),
    max_retries: z.number().int().min(0).max(20).default(3),
    retry_base_delay: seconds.default(2),
    retry_max_delay: seconds.default(120),
    max_turns: positiveInt.optional(),
    lease_duration: seconds.default(60),
    use_git_worktrees: z.boolean().default(true),
    /** Which worker runs tasks: the Claude Code CLI, or the built-in agent loop over the API. */
    worker_backend: z.enum(['claude-cli', 'api']).default('claude-cli'),
  })
  .refine((execution) => execution.retry_base_delay <= execution.retry_max_delay, {
    message: 'retry_base_delay must not exceed retry_max_delay',
    path: ['retry_base_delay'],
  });

/** Logging and usage monitoring. */
export const MonitoringConfigSchema = z.object({
  log_level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  usage_warning_threshold: z.number().min(0).max(1).default(0.8),
  checkpoint_before_run: z.boolean().default(true),
});

/** How the Claude Code CLI worker is started. */
export const ClaudeCliConfigSchema = z.object({
  path: z.string().min(1).optional(),
  permission_mode: z.enum(['acceptEdits', 'default', 'plan', 'bypassPermissions']).default('acceptEdits'),
  dangerously_skip_permissions: z.boolean().default(false),
  extra_args: z.array(z.string()).default([]),
  /** Tools Claude Code may use without asking (e.g. "Bash(npm test:*)"); unset: derived from checks.setup and checks.verify. */
  allowed_tools: z.array(z.string().trim().min(1, 'an allowed tool must not be empty')).optional(),
});

/** OS and Slack notifications. */
export const NotificationsConfigSchema = z.object({
  desktop: z.boolean().default(true),
  slack_webhook_url: z.url().optional(),
  on_task_complete: z.boolean().default(false),
  on_task_failed: z.boolean().default(true),
  on_all_complete: z.boolean().default(true),
});

/** Git integration of worker results. */
export const GitConfigSchema = z.object({
  enabled: z.boolean().default(true),
  auto_commit: z.boolean().default(true),
  /** Prefix of each task's commit message (the seeds' git.commit_message_prefix). */
  commit_message_prefix: z.string().max(100).default('[orchestrator]'),
  branch_prefix: z.string().min(1).default('orchestrator/'),
  integration_branch: z.string().min(1).optional(),
});

/** A shell command of checks.setup / checks.verify. */
const checkCommand = z.string().trim().min(1, 'a check command must not be empty').max(4_000);

/** A path relative to the project root that stays inside it (no absolute path, no ".." segment). */
const pathInProject = z
  .string()
  .trim()
  .min(1, 'a path must not be empty')
  .refine((value) => !/^([/\\]|[A-Za-z]:)/.test(value) && !value.split(/[/\\]/).includes('..'), {
    message: 'must be a path inside the project, relative to its root (no leading "/", no "..")',
  });

/** The project's own checks: set up each workspace, copy untracked files in, verify work before it is merged. */
export const ChecksConfigSchema = z.object({
  /** Commands run in each new workspace before the agent starts (e.g. "npm ci"). */
  setup: z.array(checkCommand).default([]),
  /** Files whose change means setup must run again; empty: the lockfiles found (package-lock.json, uv.lock, …). */
  setup_inputs: z.array(pathInProject).default([]),
  /** Untracked files (e.g. ".env") copied from the project into each workspace, and never committed. */
  copy: z.array(pathInProject).default([]),
  /** Commands that must pass before work is merged: tests, lint, type-check. */
  verify: z.array(checkCommand).default([]),
  /** Time limit of each command, in seconds. */
  timeout: seconds.max(86_400).default(900),
  /** When checks.verify runs on the integration branch: after each merge, once per batch (bisected on failure), or never. */
  verify_on_merge: z.enum(['each', 'batch', 'off']).default('each'),
});

/** The checks section with its defaults filled in. */
export type ChecksConfig = z.output<typeof ChecksConfigSchema>;

/**
 * Checkpoint retention, applied after each new checkpoint: one is deleted only when it is neither
 * among the newest `keep_last` nor younger than `keep_days` (0: age keeps none), and never when it
 * is the undo of the last rollback.
 */
export const CheckpointsConfigSchema = z.object({
  keep_last: z.number().int().min(1).max(100_000).default(50),
  keep_days: z.number().min(0).max(36_500).default(30),
});

/** Spending limits, in US dollars (figures as the API or Claude Code report them). */
export const BudgetConfigSchema = z.object({
  /** Each attempt stops when it has cost this much (Claude Code's --max-budget-usd); the task then fails, saying so. */
  max_usd_per_task: z.number().positive().optional(),
  /** The run claims no new task once it has cost this much; unset: no limit. `co run --budget` sets it for one run. */
  max_usd_per_run: z.number().positive().optional(),
  /** When the run budget is reached: let running attempts finish (and be reviewed and merged), or stop them (their tasks go back to ready). */
  when_run_budget_reached: z.enum(['finish_running', 'stop_running']).default('finish_running'),
});

/** What runs learn from their feedback: lessons offered to later workers (and to the manager when it plans). */
export const FeedbackConfigSchema = z.object({
  /** Most lessons in one worker's prompt; 0 turns lessons off for workers and the manager. */
  max_lessons_in_prompt: z.number().int().min(0).max(20).default(5),
});

/** The whole orchestrator_config.json; every section and key is optional and defaulted. */
export const OrchestratorConfigSchema = z.object({
  models: ModelsConfigSchema.default(() => ModelsConfigSchema.parse({})),
  execution: ExecutionConfigSchema.default(() => ExecutionConfigSchema.parse({})),
  monitoring: MonitoringConfigSchema.default(() => MonitoringConfigSchema.parse({})),
  claude_cli: ClaudeCliConfigSchema.default(() => ClaudeCliConfigSchema.parse({})),
  notifications: NotificationsConfigSchema.default(() => NotificationsConfigSchema.parse({})),
  git: GitConfigSchema.default(() => GitConfigSchema.parse({})),
  checks: ChecksConfigSchema.default(() => ChecksConfigSchema.parse({})),
  checkpoints: CheckpointsConfigSchema.default(() => CheckpointsConfigSchema.parse({})),
  feedback: FeedbackConfigSchema.default(() => FeedbackConfigSchema.parse({})),
  budget: BudgetConfigSchema.default(() => BudgetConfigSchema.parse({})),
});

/** A validated configuration with every default filled in. */
export type OrchestratorConfig = z.output<typeof OrchestratorConfigSchema>;

/** What a config file may contain. */
export type OrchestratorConfigInput = z.input<typeof OrchestratorConfigSchema>;

/** The configuration used when there is no file. */
export const DEFAULT_CONFIG: OrchestratorConfig = OrchestratorConfigSchema.parse({});
