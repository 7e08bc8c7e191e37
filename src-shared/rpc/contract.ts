import { z } from 'zod';
import { AttemptCommentSchema, NewAttemptCommentSchema } from '../domain/attempt-comment';
import { NewTaskSchema, TaskPatchSchema } from '../domain/task';
import { MAX_PATH_CHARS, MAX_PRD_CHARS } from '../domain/limits';
import { prdTextProblem } from '../domain/prd-text';
import { MAX_CONFIG_JSON_CHARS, MAX_ID_CHARS, fitsJsonBudget } from './limits';
import { checkProposalsSchema } from './schemas/checks';
import { attemptSchema, integrateResultSchema, logEventSchema, runFinishingSchema, runSchema, runStatusSchema, statusCountsSchema } from './schemas/run';
import { insightsSchema, lessonSchema, runSummarySchema } from './schemas/feedback';
import { discoverySchema, taskSchema } from './schemas/task';
import { gitHubIssueSchema, gitHubTokenStatusSchema, issueImportSummarySchema, pullRequestOutcomeSchema, repositoryNameSchema } from './schemas/github';
import {
  attemptDiffSchema,
  checkpointSchema,
  rollbackPreviewSchema,
  rollbackResultSchema,
  rollbackStrategySchema,
  secretsStatusSchema,
  setupCheckSchema,
  usageSummarySchema,
} from './schemas/workspace';
import { TaskIdSchema, TaskStatusSchema } from '../domain/field-schemas';
import { MAX_TERMINAL_WRITE_CHARS, terminalCloseResultSchema, terminalHistorySchema, terminalKindSchema, terminalSessionSchema, terminalSizeSchema } from './schemas/terminal';

/**
 * The one contract between the renderer (or any client) and the host: every method with a
 * zod input and output schema, and every pushed event with its payload schema. Both
 * transports (Electron IPC and WebSocket) carry exactly this; the host validates every input.
 * Every input string and array has a maximum (see ./limits.ts), checked before any handler runs.
 */

const emptyInput = z.object({}).strict();

/** A project folder the user has opened. */
export const projectSummarySchema = z.object({
  path: z.string(),
  name: z.string(),
  lastOpenedAt: z.string(),
  isGitRepository: z.boolean(),
});
export type ProjectSummary = z.infer<typeof projectSummarySchema>;

/** What the host says about itself. */
export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  nodeVersion: z.string(),
  transport: z.enum(['electron-ipc', 'websocket', 'in-process']),
  /** What this host can do beyond the contract's common ground (the desktop shell has native dialogs). */
  capabilities: z.object({ nativeFolderPicker: z.boolean() }),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** A folder path the user gives. */
const folderPath = (empty: string) => z.string().min(1, empty).max(MAX_PATH_CHARS, `too long: a path has at most ${MAX_PATH_CHARS} characters`);
/** Every project-scoped call names its project by absolute path. */
const project = folderPath('Name the project by its folder path.');
/** An attempt or checkpoint id. */
const id = z.string().min(1).max(MAX_ID_CHARS, `too long: an id has at most ${MAX_ID_CHARS} characters`);
/** Task ids named by one call (a run, a selective rollback). */
const taskIds = z.array(TaskIdSchema).max(2_000, 'too many tasks: at most 2,000');
/** A config object: any shape (the host checks it against the config schema), but bounded in size and depth. */
const configObject = z
  .unknown()
  .refine((value) => fitsJsonBudget(value, MAX_CONFIG_JSON_CHARS, 16), { message: `too large: a config has at most ${MAX_CONFIG_JSON_CHARS} characters of JSON and 16 levels`, abort: true })
  .pipe(z.record(z.string().max(200), z.unknown()));
const projectOnly = z.object({ project }).strict();
const taskRef = z.object({ project, id: TaskIdSchema }).strict();
const rollbackInput = z
  .object({ project, id, strategy: rollbackStrategySchema, taskIds: taskIds.optional() })
  .strict()
  .refine((value) => value.strategy !== 'SELECTIVE' || (value.taskIds ?? []).length > 0, { message: 'SELECTIVE rollback needs the tasks to undo.', path: ['taskIds'] });

export type Task = z.infer<typeof taskSchema>;
export type Discovery = z.infer<typeof discoverySchema>;
export type Run = z.infer<typeof runSchema>;
export type Attempt = z.infer<typeof attemptSchema>;
export type LogEvent = z.infer<typeof logEventSchema>;
export type RunStatus = z.infer<typeof runStatusSchema>;
export type RunSummary = z.infer<typeof runSummarySchema>;
export type Insights = z.infer<typeof insightsSchema>;
export type Lesson = z.infer<typeof lessonSchema>;

/** Methods: name → input and output schemas. */
export const methods = {
  'app.info': { input: emptyInput, output: appInfoSchema },
  /** Answers at once: a liveness check (the host's event loop is free). */
  'app.ping': { input: emptyInput, output: z.object({ at: z.number() }) },
  'projects.list': { input: emptyInput, output: z.array(projectSummarySchema) },
  'projects.open': {
    input: z.object({ path: folderPath('Choose a project folder.') }).strict(),
    output: projectSummarySchema,
  },
  'projects.forget': {
    input: z.object({ path: folderPath('Name the project folder to forget.') }).strict(),
    output: z.object({ removed: z.boolean() }),
  },
  /** Lets go of a project this client has stopped showing: its runtime closes unless a run is in progress, releasing the project to other apps. */
  'projects.close': { input: projectOnly, output: z.object({ closed: z.boolean() }) },
  /** Makes a project folder a git repository, its files as they are the first commit; the user has confirmed. */
  'projects.initGit': { input: projectOnly, output: projectSummarySchema },
  /** The desktop shell's native folder dialog; hosts without one (`co serve`) refuse with a message. */
  'app.pickFolder': { input: z.object({ title: z.string().trim().min(1).max(200).optional() }).strict(), output: z.object({ path: z.string().nullable() }) },

  'tasks.list': {
    input: z.object({ project, status: TaskStatusSchema.optional(), parentId: TaskIdSchema.nullable().optional() }).strict(),
    output: z.array(taskSchema),
  },
  'tasks.get': { input: taskRef, output: taskSchema },
  'tasks.create': { input: z.object({ project, task: NewTaskSchema }).strict(), output: taskSchema },
  'tasks.update': { input: z.object({ project, id: TaskIdSchema, patch: TaskPatchSchema }).strict(), output: taskSchema },
  'tasks.setStatus': {
    input: z.object({ project, id: TaskIdSchema, status: TaskStatusSchema, reason: z.string().max(2_000).optional() }).strict(),
    output: taskSchema,
  },
  'tasks.delete': {
    input: z.object({ project, id: TaskIdSchema, force: z.boolean().default(false) }).strict(),
    output: z.object({ deleted: z.literal(true) }),
  },
  'tasks.cancel': { input: taskRef, output: taskSchema },
  'tasks.next': { input: projectOnly, output: taskSchema.nullable() },
  'attempts.list': { input: taskRef, output: z.array(attemptSchema) },
  /** An attempt's stored log after `afterSeq`, oldest first: its first `limit` lines, or with `tail` its newest `limit` (a lane reloaded mid-run). */
  'attempts.logs': {
    input: z
      .object({
        project,
        attemptId: id,
        afterSeq: z.number().int().min(0).default(0),
        // 2,000 lines of at most MAX_LOG_TEXT_CHARS (8,000) each: a page is at most ~16 MB however long the lines were.
        limit: z.number().int().min(1).max(2_000).default(1_000),
        tail: z.boolean().default(false),
      })
      .strict(),
    output: z.array(logEventSchema),
  },
  /** Findings workers reported (newest first): one task's, or the project's. */
  'discoveries.list': { input: z.object({ project, taskId: TaskIdSchema.optional() }).strict(), output: z.array(discoverySchema) },
  'runs.start': {
    input: z.object({ project, taskIds: taskIds.min(1).optional() }).strict(),
    output: runSchema,
  },
  'runs.stop': { input: projectOnly, output: runSchema.nullable() },
  'runs.status': { input: projectOnly, output: runStatusSchema },
  /** Merges finished work kept on run branches into the user's current branch. */
  'runs.integrate': { input: projectOnly, output: integrateResultSchema },
  /** A run's summary (the newest finished run's without `runId`): stored by its finish stage, else composed from the store; null before any run. */
  'runs.summary': { input: z.object({ project, runId: z.string().min(1).optional() }).strict(), output: runSummarySchema.nullable() },
  /** The user accepts (the tasks are added) or discards the follow-up tasks a run's final review proposed. */
  'runs.followUps': { input: z.object({ project, runId: z.string().min(1), decision: z.enum(['accept', 'discard']) }).strict(), output: runSummarySchema },

  // GitHub: issues become tasks, a finished run becomes a pull request (src-main/github/; token from GITHUB_TOKEN, GH_TOKEN, the keychain or `gh auth token`).
  'github.tokenStatus': { input: emptyInput, output: gitHubTokenStatusSchema },
  /** Issues of the repository (`repo`, else origin's), newest first, pull requests skipped, each with the task it was imported as. */
  'github.issues': {
    input: z
      .object({
        project,
        repo: repositoryNameSchema.optional(),
        state: z.enum(['open', 'closed', 'all']).default('open'),
        labels: z.array(z.string().min(1).max(200)).max(20).default([]),
        limit: z.number().int().min(1).max(1_000).default(100),
      })
      .strict(),
    output: z.object({ repository: z.string(), issues: z.array(gitHubIssueSchema), skippedPullRequests: z.number() }),
  },
  /** Imports the chosen issues as tasks; an issue imported before updates its task. */
  'github.importIssues': {
    input: z.object({ project, repo: repositoryNameSchema.optional(), numbers: z.array(z.number().int().positive()).min(1, 'Pick at least one issue.').max(500) }).strict(),
    output: issueImportSummarySchema,
  },
  /** Pushes a finished run's work to a branch on origin and opens a pull request (the newest finished run without `runId`); `dryRun` only composes it. */
  'github.pullRequest': {
    input: z
      .object({
        project,
        runId: id.optional(),
        repo: repositoryNameSchema.optional(),
        base: z.string().min(1).max(255).optional(),
        draft: z.boolean().default(false),
        dryRun: z.boolean().default(false),
      })
      .strict(),
    output: pullRequestOutcomeSchema,
  },

  // Feedback: what runs taught, and the lessons offered to later workers and the manager.
  'insights.get': { input: projectOnly, output: insightsSchema },
  'lessons.list': { input: projectOnly, output: z.array(lessonSchema) },
  'lessons.update': {
    input: z.object({ project, id: z.number().int().positive(), text: z.string().trim().min(1, 'A lesson needs text.').max(1_000, 'A lesson is at most 1,000 characters.') }).strict(),
    output: lessonSchema,
  },
  'lessons.delete': { input: z.object({ project, id: z.number().int().positive() }).strict(), output: z.object({ deleted: z.boolean() }) },

  // Planning from a PRD: a preview the user edits, then accepts.
  'prd.plan': {
    input: z
      .object({
        project,
        text: z
          .string()
          .min(1, 'The PRD is empty.')
          .max(MAX_PRD_CHARS, `The PRD is too long: at most ${MAX_PRD_CHARS.toLocaleString('en-US')} characters.`)
          .superRefine((text, context) => {
            const problem = prdTextProblem(text);
            if (problem !== null) context.addIssue({ code: 'custom', message: problem });
          }),
      })
      .strict(),
    output: z.object({
      tasks: z.array(z.object({ id: z.string(), title: z.string(), description: z.string(), details: z.string(), testStrategy: z.string(), acceptanceCriteria: z.array(z.string()), priority: z.enum(['high', 'medium', 'low']), dependencies: z.array(z.string()), contextFiles: z.array(z.string()), hints: z.array(z.string()) })),
      notes: z.array(z.object({ kind: z.string(), message: z.string() })),
      costUsd: z.number(),
    }),
  },
  'prd.accept': { input: z.object({ project, tasks: z.array(NewTaskSchema).min(1).max(2_000) }).strict(), output: z.object({ ids: z.array(z.string()) }) },

  // Checkpoints and rollback.
  'checkpoints.list': { input: projectOnly, output: z.array(checkpointSchema) },
  'checkpoints.create': { input: z.object({ project, description: z.string().trim().min(1, 'Describe the checkpoint.').max(500) }).strict(), output: checkpointSchema },
  'checkpoints.delete': { input: z.object({ project, id }).strict(), output: z.object({ deleted: z.boolean() }) },
  'checkpoints.preview': { input: rollbackInput, output: rollbackPreviewSchema },
  'checkpoints.rollback': { input: rollbackInput, output: rollbackResultSchema },

  // Review: an attempt's diff, and the user's own verdict on a finished task.
  'attempts.diff': { input: z.object({ project, attemptId: id }).strict(), output: attemptDiffSchema },
  'tasks.review': {
    input: z
      // request_changes needs feedback or line comments on the latest attempt (the host checks: the comments are stored).
      .object({ project, id: TaskIdSchema, verdict: z.enum(['approve', 'request_changes', 'reject']), feedback: z.string().max(20_000).optional() })
      .strict(),
    output: taskSchema,
  },
  // Line comments on an attempt's diff: kept on the attempt; "Request changes" (tasks.review) sends the latest attempt's to the next one.
  'attempts.comments': { input: z.object({ project, attemptId: id }).strict(), output: z.array(AttemptCommentSchema) },
  'attempts.addComment': { input: z.object({ project, attemptId: id, comment: NewAttemptCommentSchema }).strict(), output: AttemptCommentSchema },
  'attempts.deleteComment': { input: z.object({ project, id: z.number().int().positive() }).strict(), output: z.object({ deleted: z.boolean() }) },

  // Usage and cost.
  'usage.summary': { input: projectOnly, output: usageSummarySchema },

  // Settings, secrets and first-run setup.
  'config.get': { input: projectOnly, output: z.object({ file: z.string(), exists: z.boolean(), config: z.record(z.string(), z.unknown()) }) },
  'config.update': { input: z.object({ project, config: configObject }).strict(), output: z.object({ file: z.string(), config: z.record(z.string(), z.unknown()) }) },
  'secrets.status': { input: z.object({ project: project.optional() }).strict(), output: secretsStatusSchema },
  'secrets.set': { input: z.object({ name: z.enum(['anthropic-api-key', 'slack-webhook-url', 'github-token']), value: z.string().min(1).max(4_000) }).strict(), output: z.object({ stored: z.literal(true) }) },
  'secrets.delete': { input: z.object({ name: z.enum(['anthropic-api-key', 'slack-webhook-url', 'github-token']) }).strict(), output: z.object({ deleted: z.boolean() }) },
  'setup.check': { input: z.object({ project: project.optional() }).strict(), output: z.array(setupCheckSchema) },
  /** Checks (setup, verify, copy) proposed from the project's files, each with its source; nothing is written (the Settings form saves what the user keeps). */
  'checks.propose': { input: projectOnly, output: checkProposalsSchema },

  // Terminal takeover: a person drives an attempt's Claude Code session (or a shell) in a checkout of its work.
  /** Opens a terminal on an attempt's work; while it is open no worker starts another attempt of that task. */
  'terminal.open': {
    input: z.object({ project, attemptId: id, kind: terminalKindSchema }).extend(terminalSizeSchema.shape).strict(),
    output: terminalSessionSchema,
  },
  /** The project's open terminals (a reloaded page attaches to them again). */
  'terminal.list': { input: projectOnly, output: z.array(terminalSessionSchema) },
  /** A terminal's output so far (bounded) and the seq of the last terminal.output it includes. */
  'terminal.attach': { input: z.object({ project, sessionId: id }).strict(), output: terminalHistorySchema },
  /** Keystrokes or pasted text for the program. */
  'terminal.write': {
    input: z.object({ project, sessionId: id, data: z.string().min(1).max(MAX_TERMINAL_WRITE_CHARS, `too long: one write carries at most ${MAX_TERMINAL_WRITE_CHARS} characters`) }).strict(),
    output: z.object({ written: z.boolean() }),
  },
  'terminal.resize': { input: z.object({ project, sessionId: id }).extend(terminalSizeSchema.shape).strict(), output: z.object({ resized: z.boolean() }) },
  /** Ends the program and its processes; 'review' sends the changes through verify, review and merge, 'discard' throws them away. */
  'terminal.close': { input: z.object({ project, sessionId: id, decision: z.enum(['review', 'discard']) }).strict(), output: terminalCloseResultSchema },
} as const;

/** Pushed events: name → payload schema. */
export const events = {
  'project.opened': projectSummarySchema,
  'projects.changed': z.object({ count: z.number().int().nonnegative() }),
  'task.changed': z.object({
    project: z.string(),
    taskId: z.string(),
    status: TaskStatusSchema,
    previousStatus: TaskStatusSchema.nullable(),
    reason: z.string().nullable(),
    runId: z.string().nullable(),
  }),
  /** A task was deleted (one event per task, its subtasks included); clients drop it. */
  'task.removed': z.object({ project: z.string(), taskId: z.string() }),
  /** Many tasks changed at once without task.changed events (a rollback, a loaded state file, an import); clients reload the tasks. */
  // external: another process (`co add`, `co mcp`, a `co run`) wrote to the project's database.
  'tasks.reset': z.object({ project: z.string(), reason: z.enum(['rollback', 'state-loaded', 'import', 'external']) }),
  'attempt.started': z.object({ project: z.string(), attempt: attemptSchema }),
  'attempt.finished': z.object({ project: z.string(), attempt: attemptSchema }),
  /** An attempt entered a pipeline stage (prepare, execute, verify, review, integrate). */
  'attempt.stage': z.object({ project: z.string(), attempt: attemptSchema }),
  'attempt.log': logEventSchema.extend({ project: z.string(), taskId: z.string(), runId: z.string().nullable() }),
  /** A worker reported a finding for later tasks. */
  discovery: z.object({ project: z.string(), discovery: discoverySchema }),
  'run.started': z.object({ project: z.string(), run: runSchema }),
  'run.progress': z.object({
    project: z.string(),
    runId: z.string(),
    counts: statusCountsSchema,
    total: z.number(),
    settled: z.number(),
    activeWorkers: z.number(),
  }),
  'run.finished': z.object({ project: z.string(), run: runSchema, counts: statusCountsSchema }),
  /** A run's finish stage moved to its next step (merge, final review, summary, done): the app says so until the outcome is stored. */
  'run.finishing': runFinishingSchema.extend({ project: z.string() }),
  /** A run's finish stage stored its summary (final review included), or the user decided on its follow-up tasks. */
  'run.summarized': z.object({ project: z.string(), runId: z.string(), summary: runSummarySchema }),
  /** A run's finish (or Integrate) merged its work into the user's branch, or kept it on the run branch. */
  'integration.changed': z.object({ project: z.string(), runId: z.string(), status: z.enum(['open', 'integrated', 'kept', 'empty']), lines: z.array(z.string()).readonly() }),
  'pool.paused': z.object({ project: z.string(), until: z.number(), reason: z.string() }),
  'pool.resumed': z.object({ project: z.string() }),
  /** Output of a terminal, in order (`seq` counts from 1 per session). */
  'terminal.output': z.object({ project: z.string(), sessionId: z.string(), seq: z.number().int().positive(), data: z.string() }),
  /** A terminal's program ended (it stays open until the person decides what happens to its changes). */
  'terminal.exit': z.object({ project: z.string(), sessionId: z.string(), exitCode: z.number().nullable(), signal: z.number().nullable() }),
  /** A terminal was closed (by a client, or because its project or the host closed). */
  'terminal.closed': z.object({ project: z.string(), sessionId: z.string() }),
  /** The desktop shell asks the window to show a task (a notification was clicked). */
  'ui.focusTask': z.object({ project: z.string().nullable(), taskId: z.string() }),
  /** The desktop shell asks the window to open a project (File → Open Project…). */
  'ui.openProject': z.object({ path: z.string() }),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;
/** Input after validation (defaults applied). */
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

/** Whether a string names a method of the contract. */
export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

/** Whether a string names an event of the contract. */
export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}
