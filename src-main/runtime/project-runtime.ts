import { allowedToolsFor } from '../../src-shared/config/allowed-tools';
import type { OrchestratorConfig } from '../../src-shared/config/config-schema';
import type { Run } from '../../src-shared/domain/run';
import type { RunFinishing } from '../../src-shared/domain/run-finishing';
import type { RunSummary } from '../../src-shared/domain/run-summary';
import type { NewTaskInput } from '../../src-shared/domain/task';
import { createClaudeCliBackend } from '../agents/claude-cli';
import type { Manager } from '../agents/manager';
import { ApiWorkerBackend } from '../agents/api-worker';
import { RateLimitGate } from '../agents/rate-limit';
import { ConfigurationError, OrchestrationError } from '../engine/errors';
import { randomUUID } from 'node:crypto';
import type { AttemptLifecycle } from '../engine/lifecycle';
import { Orchestrator } from '../engine/orchestrator';
import type { RunRequest } from '../engine/scheduler';
import type { WorkerBackend } from '../engine/worker-backend';
import { StoreTaskSnapshotSource } from '../project/task-snapshot-source';
import { basename } from 'node:path';
import { SILENT_NOTIFIER, type DesktopNotifier } from '../notify/desktop-notifier';
import { attachRunNotifier } from '../notify/run-notifier';
import { resolveApiKey, resolveSecret, type ResolvedApiKey } from '../workspace/api-key';
import { SecretStore } from '../workspace/secret-store';
import { retentionFromConfig } from '../workspace/checkpoint-retention';
import { createCheckpoint } from '../workspace/checkpoints';
import { ensureWorkspace, isGitRepository } from '../workspace/layout';
import { registerSecretForRedaction } from '../workspace/redact';
import { contextFilesConflict } from '../workspace/shared-folder';
import { killOrphanedAttemptProcesses } from '../engine/orphan-processes';
import { isOwnerAlive } from '../engine/owner';
import type { Integration } from '../../src-shared/domain/integration';
import { NOTHING_RECOVERED, recoverProject, type RecoveryOptions, type RecoveryReport } from '../pipeline/recover';
import { watchExternalChanges } from './external-changes';
import { composeRunSummary, runResultOf, type RunResult } from '../feedback/run-summary';
import { lessonsForPlanning } from '../feedback/lessons';
import { finishRun } from '../pipeline/finish-run';
import { decideFollowUps } from '../pipeline/follow-ups';
import { integrateKeptWork, type IntegrationReport } from '../pipeline/run-finish';
import { runGit } from '../workspace/git';
import { openRunIntegration } from '../pipeline/run-start';
import { MergeWorktree } from '../workspace/merge-worktree';
import { composeGitPipeline } from './compose-pipeline';
import { loadProjectConfig } from './load-config';
import { midRunRecovery, recoverWhileIdle } from './mid-run-recovery';
import { createProjectManager, NO_API_KEY_MESSAGE } from './manager-factory';
import { planToNewTasks } from './plan-import';

/** What a caller (the host, the CLI, a test) may decide about a project's runtime. */
export interface ProjectRuntimeOptions {
  readonly projectDir: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Replaces the configured worker backend (tests, benchmarks). */
  readonly backend?: WorkerBackend;
  /** Replaces the lifecycle chosen from the config (tests). */
  readonly lifecycle?: AttemptLifecycle;
  /** Overrides execution.max_workers. */
  readonly maxWorkers?: number;
  /** Overrides budget.max_usd_per_run (`co run --budget`). */
  readonly maxRunUsd?: number;
  /** Shows OS notifications (the Electron shell's); default none. */
  readonly desktopNotifier?: DesktopNotifier;
  /** Where keys saved from the app live; null skips the keychain (default: the OS keychain). */
  readonly secretStore?: SecretStore | null;
  /** Told about problems that must not stop a run (a Slack post that failed). */
  readonly log?: (line: string) => void;
  /** Between runs, looks this often for processes sharing the project that died, and recovers what they left (the app, whose projects stay open); default only on open and at each run. */
  readonly recoverWhileIdleMs?: number;
}

/** An opened project: config, API key, orchestrator, manager, and runs with checkpoint and integration. */
export interface ProjectRuntime {
  readonly projectDir: string;
  readonly config: OrchestratorConfig;
  readonly orchestrator: Orchestrator;
  readonly apiKey: ResolvedApiKey;
  /** Whether attempts run in git worktrees and merge back (false: they share the project folder, and tasks whose context files may overlap never run at the same time). */
  readonly usesWorktrees: boolean;
  /** The manager; throws a ConfigurationError saying how to add an API key when there is none. */
  manager(): Manager;
  /** Checkpoints (when configured), then starts a run in the background; resolves with the run record. */
  start(request?: RunRequest): Promise<Run>;
  /** Starts a run and waits for it and its finish (merge, final review, summary); resolves with the result in the seeds' shape (also a Run). */
  run(request?: RunRequest): Promise<RunResult>;
  /** The manager plans the goal (or the PRD in masterPlan) into tasks, which are then run as `run` does. */
  runWithLeaderPlanning(goal: string, masterPlan?: string): Promise<RunResult>;
  /** Adds the tasks and runs them as `run` does. */
  runWithPredefinedTasks(tasks: ReadonlyArray<string | NewTaskInput>): Promise<RunResult>;
  /** A run's summary (the newest finished run's without an id): stored by its finish stage, else composed from the store. */
  summary(runId?: string): RunSummary | undefined;
  /** The user accepts (the tasks are added) or discards the follow-up tasks a run's final review proposed. */
  decideFollowUps(runId: string, decision: 'accept' | 'discard'): RunSummary;
  /** Lessons of earlier runs the manager is told when it plans (bounded; none when feedback.max_lessons_in_prompt is 0). */
  planningLessons(): ReadonlyArray<string>;
  /** What the last finished run's integration into the user's branch did, as lines for people. */
  lastIntegrationReport(): ReadonlyArray<string>;
  /** The step a run's finish stage is at (merge, final review, summary), null when none is finishing. */
  finishing(): RunFinishing | null;
  /** What the last start said about where the run begins (e.g. on work kept from an earlier run). */
  lastStartNotes(): ReadonlyArray<string>;
  /** What recovery did when the project was opened (interrupted runs' work brought in, or kept). */
  readonly recovery: RecoveryReport;
  /** Runs whose finished work is not on the user's branch yet (kept, or still being merged). */
  unintegrated(): ReadonlyArray<Integration>;
  /** Brings kept work into the user's current branch (`co integrate`, the app's Integrate button). */
  integrateKept(): Promise<ReadonlyArray<IntegrationReport>>;
  close(): Promise<void>;
}

/**
 * Composes everything a project needs to run: config (file + env), the API key from env, .env
 * or keychain (registered for redaction), the worker backend, git worktree isolation with manager
 * review, checkpoints before runs, and the final merge into the user's branch.
 */
export async function openProjectRuntime(options: ProjectRuntimeOptions): Promise<ProjectRuntime> {
  const env = options.env ?? process.env;
  const projectDir = options.projectDir;
  const loaded = await loadProjectConfig(projectDir, env);
  const config = options.maxRunUsd === undefined ? loaded : { ...loaded, budget: { ...loaded.budget, max_usd_per_run: options.maxRunUsd } };
  await ensureWorkspace(projectDir);
  const secretStore = options.secretStore === undefined ? new SecretStore() : options.secretStore;
  const secretOptions = { projectDir, env, ...(secretStore === null ? {} : { secretStore }) };
  const apiKey = await resolveApiKey(secretOptions);
  const slackWebhook = config.notifications.slack_webhook_url ?? (await resolveSecret('slack-webhook-url', secretOptions)).value ?? undefined;
  if (slackWebhook !== undefined) registerSecretForRedaction(slackWebhook);
  if (apiKey.key !== null) registerSecretForRedaction(apiKey.key);
  const isRepo = await isGitRepository(projectDir);
  const usesWorktrees = options.lifecycle === undefined && isRepo && config.git.enabled && config.execution.use_git_worktrees;

  // One gate for the manager and the API workers: they share the project's API key and so its rate limits.
  const rateLimitGate = new RateLimitGate();
  let managerInstance: Manager | undefined;
  let currentRunId: string | null = null;
  // The run whose finish stage (final review) is in progress: its manager calls count toward it.
  let finishingRunId: string | null = null;
  const manager = (): Manager => {
    managerInstance ??= createProjectManager({
      config,
      apiKey,
      env,
      projectDir,
      store: () => orchestrator.store,
      usageScope: () => ({ runId: currentRunId ?? finishingRunId, taskId: null }),
      onRateLimit: (resetAt, reason) => orchestrator.pausePool(resetAt, reason),
      rateLimitGate,
    });
    return managerInstance;
  };
  const mergeWorktree = MergeWorktree.forProcess(projectDir);
  const lifecycle =
    options.lifecycle ?? (usesWorktrees ? composeGitPipeline({ projectDir, config, manager, store: () => orchestrator.store, mergeWorktree }) : undefined);

  const orchestrator: Orchestrator = new Orchestrator({
    workingDirectory: projectDir,
    config,
    backend: options.backend ?? configuredBackend(config, env, apiKey, rateLimitGate, usesWorktrees),
    ...(lifecycle === undefined ? {} : { lifecycle }),
    ...(options.maxWorkers === undefined ? {} : { maxWorkers: options.maxWorkers }),
    // Without a lifecycle every worker writes into the project folder itself: tasks whose context files
    // may overlap (or that name none) wait for each other rather than trample each other.
    ...(lifecycle === undefined ? { conflicts: contextFilesConflict } : {}),
    // Feedback rows name the files each attempt changed (its work commit against its base).
    ...(isRepo ? { changedFiles: (attempt) => changedFiles(projectDir, attempt.commitBefore, attempt.workCommit) } : {}),
    // Another process sharing the project may die while a run goes on here: what it left is recovered as on open.
    ...(usesWorktrees ? { recoverDeadOwners: () => recoverMidRun() } : {}),
    planner: async (goal, masterPlan) => {
      const plan = await manager().parsePrd(masterPlan ?? goal, { lessons: planningLessons() });
      return planToNewTasks(plan.tasks, orchestrator.store.tasks.maxNumericId());
    },
  });
  const opened = orchestrator;
  const planningLessons = (): ReadonlyArray<string> => lessonsForPlanning(opened.store, config.feedback.max_lessons_in_prompt === 0 ? 0 : undefined);
  // Open the database now so a bad or future-version file is reported on open, not mid-run.
  void opened.store;

  const detachNotifier = attachRunNotifier(opened.events, {
    desktop: options.desktopNotifier ?? SILENT_NOTIFIER,
    desktopEnabled: config.notifications.desktop && options.desktopNotifier !== undefined,
    ...(slackWebhook === undefined ? {} : { slackWebhookUrl: slackWebhook }),
    onTaskComplete: config.notifications.on_task_complete,
    onTaskFailed: config.notifications.on_task_failed,
    onAllComplete: config.notifications.on_all_complete,
    projectName: basename(projectDir),
    projectPath: projectDir,
    taskTitle: (id) => opened.store.tasks.get(id)?.title,
    onError: (message) => options.log?.(message),
    // The finish stage announces each run's summary (run.summarized); the notification carries it.
    withSummary: true,
  });

  // Tasks added or changed by other processes (`co add`, `co mcp`, a `co run`) reach this one's clients and scheduler.
  const stopWatchingExternalChanges = watchExternalChanges(opened.store, () => opened.announceTasksReset('external'));

  // A one-off lower --workers must not throw away the slots the configured workers will use again.
  const poolSlotsToKeep = Math.max(config.execution.max_workers, options.maxWorkers ?? 0);
  const recoveryOptions = (): RecoveryOptions => ({
    projectDir,
    store: opened.store,
    isOwnerAlive,
    maxRetries: config.execution.max_retries,
    maxWorkers: poolSlotsToKeep,
    killOrphans: () => void killOrphanedAttemptProcesses(opened.store, isOwnerAlive),
  });
  const recoverMidRun = midRunRecovery({ options: recoveryOptions, events: opened.events, runId: () => currentRunId, ...(options.log === undefined ? {} : { log: options.log }) });
  // Before anything runs: finish what dead processes left (their merged work, their runs' branches, their agents).
  const recovery: RecoveryReport = usesWorktrees ? await recoverProject(recoveryOptions()) : NOTHING_RECOVERED;
  const idleRecovery =
    usesWorktrees && options.recoverWhileIdleMs !== undefined
      ? recoverWhileIdle(recoverMidRun, { intervalMs: options.recoverWhileIdleMs, isRunning: () => opened.getStatus().running, ...(options.log === undefined ? {} : { log: options.log }) })
      : null;

  // Every finished run (started here or over RPC) goes through the finish stage: its approved work is merged into
  // the user's branch, the manager reviews it against the goal and criteria, and its summary is stored.
  let integrationReport: ReadonlyArray<string> = [];
  let startNotes: ReadonlyArray<string> = [];
  let integration: Promise<void> = Promise.resolve();
  let finishing: RunFinishing | null = null;
  opened.events.on('run.finishing', (step) => {
    finishing = step.step === 'done' ? null : step;
  });
  // Where the finishing run's work went is known (and shown) before its final review ends.
  opened.events.on('integration.changed', ({ runId, lines }) => {
    if (runId === finishingRunId) integrationReport = lines;
  });
  opened.events.on('run.finished', ({ run }) => {
    currentRunId = null;
    finishingRunId = run.id;
    // Finishing from now on (the stage announces its first step once it knows the branch).
    finishing = { runId: run.id, step: usesWorktrees ? 'merge' : 'summary', branch: null };
    const finishDeps = {
      projectDir,
      store: opened.store,
      events: opened.events,
      feedback: opened.feedback,
      usesWorktrees,
      enabled: config.models.final_review ?? config.models.enable_opus_review,
      manager,
      lessons: planningLessons(),
    };
    integration = finishRun(finishDeps, run).then(
      (outcome) => {
        if (outcome.integration !== null) integrationReport = outcome.integration.lines;
      },
      (error: unknown) => options.log?.(`finishing run ${run.id} failed: ${error instanceof Error ? error.message : String(error)}`),
    ).finally(() => {
      finishingRunId = null;
    });
  });
  const resultOf = async (run: Run): Promise<RunResult> => {
    await integration;
    await opened.feedback.settled();
    const stored = opened.store.runs.get(run.id) ?? run;
    return runResultOf(opened.store, stored, opened.store.runSummaries.get(run.id) ?? composeRunSummary(opened.store, stored, { integration: integrationReport, finalReview: null }));
  };

  const start = async (request: RunRequest = {}): Promise<Run> => {
    if (isRepo && config.monitoring.checkpoint_before_run && !opened.getStatus().running) {
      const snapshot = new StoreTaskSnapshotSource(opened.store).snapshotTasks();
      await createCheckpoint(projectDir, { description: 'Before run', kind: 'run', taskSnapshot: snapshot, retention: retentionFromConfig(config.checkpoints) });
    }
    if (opened.getStatus().running) throw new OrchestrationError('a run is already in progress; stop it or wait for it');
    const runId = request.runId ?? randomUUID();
    startNotes = [];
    if (usesWorktrees) {
      // The finish of a previous run may still be merging; the new run must see its outcome.
      await integration;
      const prepareRun = async (): Promise<void> => {
        await recoverProject(recoveryOptions());
        startNotes = (await openRunIntegration(projectDir, opened.store, runId, opened.owner)).notes;
      };
      await (idleRecovery === null ? prepareRun() : idleRecovery.exclusive(prepareRun));
    }
    try {
      opened.start({ ...request, runId });
    } catch (error) {
      if (usesWorktrees) opened.store.write(() => opened.store.integrations.settle(runId, { status: 'empty', note: 'the run did not start' }, Date.now()));
      throw error;
    }
    currentRunId = runId;
    const run = opened.store.runs.get(runId);
    if (run === undefined) throw new Error(`Run ${runId} was started but not recorded.`);
    return run;
  };

  return {
    projectDir,
    config,
    orchestrator: opened,
    apiKey,
    usesWorktrees,
    manager,
    start,
    run: async (request = {}) => {
      await start(request);
      return resultOf(await opened.waitForCompletion());
    },
    runWithLeaderPlanning: async (goal, masterPlan) => {
      opened.initialize(goal, masterPlan);
      const plan = await manager().parsePrd(masterPlan ?? goal, { lessons: planningLessons() });
      const ids = opened.addTasksBatch(planToNewTasks(plan.tasks, opened.store.tasks.maxNumericId()));
      await start({ taskIds: ids, goal });
      return resultOf(await opened.waitForCompletion());
    },
    runWithPredefinedTasks: async (tasks) => {
      const ids = opened.addTasksBatch(tasks);
      await start({ taskIds: ids });
      return resultOf(await opened.waitForCompletion());
    },
    summary: (runId) => opened.getRunSummary(runId),
    planningLessons,
    decideFollowUps: (runId, decision) => {
      const summary = decideFollowUps(opened.store, (tasks) => opened.addTasksBatch(tasks), runId, decision);
      opened.events.emit('run.summarized', { runId, summary });
      return summary;
    },
    lastIntegrationReport: () => integrationReport,
    finishing: () => finishing,
    lastStartNotes: () => startNotes,
    recovery,
    unintegrated: () => opened.store.integrations.listUnintegrated(),
    integrateKept: async () => {
      await integration;
      const reports = await integrateKeptWork(projectDir, opened.store, isOwnerAlive);
      for (const report of reports) opened.events.emit('integration.changed', { runId: report.runId, status: report.status, lines: report.lines });
      return reports;
    },
    close: async () => {
      stopWatchingExternalChanges();
      await idleRecovery?.stop();
      // The run stops first and its finish stage (the merge into the user's branch) ends while the database is still
      // open: closing it under the finish lost the merge (the integration stayed open until the next recovery).
      await opened.stop().catch(() => undefined);
      await integration;
      await opened.close();
      await mergeWorktree.remove().catch(() => undefined);
      await detachNotifier();
    },
  };
}

/** The worker backend the config names: the Claude Code CLI (default) or the API agent loop. */
function configuredBackend(
  config: OrchestratorConfig,
  env: Readonly<Record<string, string | undefined>>,
  apiKey: ResolvedApiKey,
  rateLimitGate: RateLimitGate,
  usesWorktrees: boolean,
): WorkerBackend {
  if (config.execution.worker_backend === 'api') {
    if (apiKey.key === null) throw new ConfigurationError(`execution.worker_backend is "api", which needs an API key. ${NO_API_KEY_MESSAGE}`);
    const baseURL = env['ANTHROPIC_BASE_URL'];
    return new ApiWorkerBackend({
      apiKey: apiKey.key,
      ...(baseURL === undefined || baseURL === '' ? {} : { baseURL }),
      usageWarningThreshold: config.monitoring.usage_warning_threshold,
      rateLimitGate,
      ...(config.execution.max_turns === undefined ? {} : { maxTurns: config.execution.max_turns }),
      ...(config.budget.max_usd_per_task === undefined ? {} : { maxBudgetUsd: config.budget.max_usd_per_task }),
    });
  }
  const cli = config.claude_cli;
  return createClaudeCliBackend({
    ...(cli.path === undefined ? {} : { claudePath: cli.path }),
    permissionMode: cli.permission_mode,
    dangerouslySkipPermissions: cli.dangerously_skip_permissions,
    extraArgs: cli.extra_args,
    // claude_cli.allowed_tools, or rules derived from checks.setup/verify, so the agent may run the checks the queue runs.
    allowedTools: allowedToolsFor(config),
    ...(config.budget.max_usd_per_task === undefined ? {} : { maxBudgetUsd: config.budget.max_usd_per_task }),
    // Without an API key Claude Code runs on the user's login: its cost figures are estimates, not a bill.
    costKind: apiKey.key === null ? 'estimated' : 'billed',
    env: {
      ...(usesWorktrees ? PIPELINE_OWNS_GIT : {}),
      ...claudeEnvironment(env),
      ...(apiKey.key === null ? {} : { ANTHROPIC_API_KEY: apiKey.key }),
    },
  });
}

/**
 * Claude Code's environment when the pipeline commits, reviews and merges each attempt: its built-in
 * commit and pull-request instructions do not apply, and the git status and log it reads into its
 * context at start (scans of the whole checkout, which on a 30,000-file repository cost more than a
 * small attempt's own work; docs/BENCHMARKS.md "Workspace speed") say nothing about a fresh checkout
 * at the integration tip. A value in the user's environment wins.
 */
const PIPELINE_OWNS_GIT: Readonly<Record<string, string>> = { CLAUDE_CODE_DISABLE_GIT_INSTRUCTIONS: '1' };

/** The files an attempt's work commit changed against its base (none when it committed nothing). */
async function changedFiles(projectDir: string, base: string | null, work: string | null): Promise<ReadonlyArray<string>> {
  if (base === null || work === null) return [];
  const listed = await runGit(projectDir, ['diff', '--name-only', '--no-renames', base, work]);
  return listed.stdout.split('\n').filter((file) => file !== '');
}

/** The variables of the runtime's environment that steer Claude Code (its API endpoint, config folder, retries, telemetry). */
function claudeEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (name === 'HOME' || name === 'PATH' || /^(ANTHROPIC|CLAUDE|DISABLE)_/.test(name) || name === 'IS_SANDBOX') passed[name] = value;
  }
  return passed;
}
