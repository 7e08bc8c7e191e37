import { randomUUID } from 'node:crypto';
import { terminalHolder } from '../../src-shared/domain/task-hold';
import type { Run } from '../../src-shared/domain/run';
import type { Task } from '../../src-shared/domain/task';
import { assertNever } from '../../src-shared/domain/assert-never';
import { RpcError } from '../../src-shared/rpc/errors';
import type { EventName, EventPayload } from '../../src-shared/rpc/contract';
import type { EngineEventBus } from '../engine/engine-events';
import type { Store } from '../store/store';
import type { HoldRefusal } from '../store/task-hold-repository';
import { claudeConfigDir, makeSessionResumableFrom } from './claude-session-file';
import { PtyProcess } from './pty-process';
import { TERMINAL_BACKEND } from './terminal-backend';
import { DEFAULT_SCROLLBACK_CHARS } from './scrollback';
import { checkOutForTakeover, commitTakeoverWork, deleteTakeoverBranch, discardTakeoverWork, releaseTakeoverWorkspace, type TakeoverWorkspace } from './takeover-workspace';

/** A person's hold on a task lasts this long unless renewed (every third of it) while the terminal is open. */
export const DEFAULT_HOLD_MS = 60_000;

/** What a terminal needs from its project (the host passes its runtime's parts; tests pass their own). */
export interface TerminalProject {
  readonly projectDir: string;
  readonly store: Store;
  /** Where task.changed goes, so clients see the task the person's work reopened. */
  readonly bus: EngineEventBus;
  /** The environment programs start with (the host's, which the desktop shell fills from the login shell). */
  readonly env: Readonly<Record<string, string>>;
  /** Added for Claude Code only (the project's API key, so it bills as the workers do); a plain shell never sees it. */
  readonly claudeEnv: Readonly<Record<string, string>>;
  /** The Claude Code executable, as the worker backend finds it. */
  claudePath(): Promise<string>;
  /** Arguments a resumed session gets before `--resume` (the workers' permission mode, so the session goes on as it ran). */
  readonly claudeArgs: ReadonlyArray<string>;
  /** The commit message for work a person leaves uncommitted. */
  commitMessage(task: Task): string;
  /** Starts a run of these tasks (the normal pipeline: verify, review, integrate); null when a run is in progress already. */
  startRun(taskIds: ReadonlyArray<string>): Promise<Run | null>;
}

/** What to open. */
export interface TerminalOpenRequest {
  readonly attemptId: string;
  readonly kind: 'claude' | 'shell';
  readonly cols: number;
  readonly rows: number;
}

/** A terminal as clients see it. */
export interface TerminalSessionInfo {
  readonly id: string;
  readonly project: string;
  readonly taskId: string;
  readonly attemptId: string;
  readonly kind: 'claude' | 'shell';
  readonly cwd: string;
  readonly branch: string;
  readonly startedAt: number;
  readonly exited: { readonly exitCode: number | null; readonly signal: number | null } | null;
}

/** What closing did with the changes. */
export interface TerminalCloseResult {
  readonly outcome: 'review-started' | 'queued-for-review' | 'unchanged' | 'discarded';
  readonly message: string;
  readonly attemptId: string | null;
  readonly runId: string | null;
}

/** Options of the session manager. */
export interface TerminalSessionsOptions {
  /** Publishes terminal.output / terminal.exit / terminal.closed (the host's event hub). */
  readonly emit: <E extends 'terminal.output' | 'terminal.exit' | 'terminal.closed'>(event: E & EventName, payload: EventPayload<E>) => void;
  readonly holdMs?: number;
  readonly scrollbackChars?: number;
  readonly now?: () => number;
}

interface Session {
  readonly info: Omit<TerminalSessionInfo, 'exited'>;
  readonly project: TerminalProject;
  readonly holder: string;
  readonly takeover: TakeoverWorkspace;
  /** The id the attempt recording the person's work gets (its branch is named after it). */
  readonly takeoverAttemptId: string;
  readonly takeoverNumber: number;
  readonly process: PtyProcess;
  /** Output events sent so far, and how the program ended. */
  readonly state: { seq: number; exited: TerminalSessionInfo['exited'] };
  closing: boolean;
}

/**
 * The terminals a host has open, on every project: each runs the attempt's Claude Code session
 * (`claude --resume <session id>`) or the user's shell in a pool slot checked out at the attempt's
 * work, while the person holds the task (no worker starts another attempt of it). Closing kills the
 * program's process group and, at the person's choice, sends the changes through the normal
 * pipeline (the task is reopened with the work to resume, and a run of it started) or discards them.
 */
export class TerminalSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly holdMs: number;
  private readonly now: () => number;
  private renewTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: TerminalSessionsOptions) {
    this.holdMs = options.holdMs ?? DEFAULT_HOLD_MS;
    this.now = options.now ?? Date.now;
  }

  /** Opens a terminal on an attempt's work. */
  async open(project: TerminalProject, request: TerminalOpenRequest): Promise<TerminalSessionInfo> {
    const { store } = project;
    const attempt = store.attempts.get(request.attemptId);
    if (attempt === undefined) throw new RpcError('not_found', `There is no attempt ${request.attemptId} in this project.`);
    const task = store.tasks.get(attempt.taskId);
    if (task === undefined) throw new RpcError('not_found', `Task ${attempt.taskId} of that attempt no longer exists.`);
    if (request.kind === 'claude' && attempt.sessionId === null) {
      throw new RpcError('failed_precondition', `Attempt ${attempt.number} of task ${task.id} recorded no Claude Code session to resume (it ran with the ${attempt.backend} backend or ended before its session started). Open a shell on it instead.`);
    }
    const id = randomUUID();
    const holder = terminalHolder(id, process.pid);
    const now = this.now();
    const refusal = store.write(() => store.holds.hold(task.id, holder, now + this.holdMs, now));
    if (refusal !== null) throw new RpcError('conflict', holdRefusalMessage(task.id, refusal));
    const takeoverAttemptId = randomUUID();
    const takeoverNumber = Math.max(task.attempts, ...store.attempts.listForTask(task.id).map((each) => each.number)) + 1;
    let takeover: TakeoverWorkspace | undefined;
    try {
      takeover = await checkOutForTakeover(project.projectDir, attempt, { attemptId: takeoverAttemptId, number: takeoverNumber });
      const cwd = takeover.workspace.path;
      const program = await this.program(project, request.kind, attempt.sessionId, cwd);
      const info = { id, project: project.projectDir, taskId: task.id, attemptId: attempt.id, kind: request.kind, cwd, branch: takeover.workspace.branch, startedAt: now };
      const state: Session['state'] = { seq: 0, exited: null };
      const child = new PtyProcess({
        ...program,
        cwd,
        env: { ...project.env, ...(request.kind === 'claude' ? project.claudeEnv : {}), TERM: 'xterm-256color', COLORTERM: 'truecolor' },
        cols: request.cols,
        rows: request.rows,
        scrollbackChars: this.options.scrollbackChars ?? DEFAULT_SCROLLBACK_CHARS,
        onOutput: (data) => {
          state.seq += 1;
          this.options.emit('terminal.output', { project: info.project, sessionId: id, seq: state.seq, data });
        },
        onExit: (exit) => {
          state.exited = exit;
          this.options.emit('terminal.exit', { project: info.project, sessionId: id, ...exit });
        },
      });
      const session: Session = { info, project, holder, takeover, takeoverAttemptId, takeoverNumber, process: child, state, closing: false };
      this.sessions.set(id, session);
      this.startRenewing();
      return this.describe(session);
    } catch (error) {
      if (takeover !== undefined) await releaseTakeoverWorkspace(project.projectDir, takeover).catch(() => undefined);
      store.write(() => store.holds.release(task.id, holder));
      throw error;
    }
  }

  /** The open terminals of a project. */
  list(projectDir: string): ReadonlyArray<TerminalSessionInfo> {
    return [...this.sessions.values()].filter((session) => session.info.project === projectDir).map((session) => this.describe(session));
  }

  /** A terminal's output so far (bounded) and the seq of the last output event it includes. */
  attach(projectDir: string, sessionId: string): { readonly session: TerminalSessionInfo; readonly data: string; readonly seq: number } {
    const session = this.get(projectDir, sessionId);
    return { session: this.describe(session), data: session.process.history, seq: session.state.seq };
  }

  /** Sends input to the program; false once it has ended. */
  write(projectDir: string, sessionId: string, data: string): boolean {
    const session = this.get(projectDir, sessionId);
    if (session.state.exited !== null || session.closing) return false;
    session.process.write(data);
    return true;
  }

  /** Resizes the terminal; false once the program has ended. */
  resize(projectDir: string, sessionId: string, cols: number, rows: number): boolean {
    const session = this.get(projectDir, sessionId);
    if (session.state.exited !== null || session.closing) return false;
    session.process.resize(cols, rows);
    return true;
  }

  /** Ends the program and everything it started, then sends the changes to review or discards them. */
  async close(projectDir: string, sessionId: string, decision: 'review' | 'discard'): Promise<TerminalCloseResult> {
    const session = this.get(projectDir, sessionId);
    if (session.closing) throw new RpcError('conflict', 'This terminal is already closing.');
    session.closing = true;
    try {
      await session.process.kill();
      return decision === 'discard' ? await this.discard(session) : await this.sendToReview(session);
    } finally {
      this.forget(session);
    }
  }

  /** Closes every terminal (the host is shutting down). */
  async closeAll(): Promise<void> {
    const closing = [...this.sessions.values()].filter((session) => !session.closing);
    await Promise.allSettled(closing.map((session) => this.abandon(session)));
  }

  private async abandon(session: Session): Promise<void> {
    session.closing = true;
    try {
      await session.process.kill();
      await releaseTakeoverWorkspace(session.info.project, session.takeover);
    } finally {
      this.releaseHold(session);
      this.forget(session);
    }
  }

  private async discard(session: Session): Promise<TerminalCloseResult> {
    try {
      await discardTakeoverWork(session.info.project, session.takeover);
      await releaseTakeoverWorkspace(session.info.project, session.takeover);
    } finally {
      this.releaseHold(session);
    }
    return { outcome: 'discarded', message: `The changes made in the terminal were discarded; task ${session.info.taskId} is as it was.`, attemptId: null, runId: null };
  }

  private async sendToReview(session: Session): Promise<TerminalCloseResult> {
    const { project, takeover, info } = session;
    const { store } = project;
    const task = store.tasks.get(info.taskId);
    let head: string;
    try {
      head = await commitTakeoverWork(takeover, task === undefined ? `Changes made in a terminal (task ${info.taskId})\n` : project.commitMessage(task));
      await releaseTakeoverWorkspace(project.projectDir, takeover);
    } catch (error) {
      this.releaseHold(session);
      throw error;
    }
    if (head === takeover.reviewBase) {
      await deleteTakeoverBranch(project.projectDir, takeover).catch(() => undefined);
      this.releaseHold(session);
      return { outcome: 'unchanged', message: `Nothing changed in the terminal, so there is nothing to review; task ${info.taskId} is as it was.`, attemptId: null, runId: null };
    }
    const now = this.now();
    const previous = task?.status ?? null;
    const reopened = store.write(() => {
      store.attempts.insert({ id: session.takeoverAttemptId, taskId: info.taskId, runId: null, number: session.takeoverNumber, backend: TERMINAL_BACKEND, workerOwner: session.holder }, info.startedAt);
      store.attempts.setWorkspace(session.takeoverAttemptId, { workingDirectory: info.cwd, worktree: info.cwd, branch: info.branch, commitBefore: takeover.reviewBase, workCommit: head });
      store.attempts.finish(session.takeoverAttemptId, { status: 'succeeded', exitCode: session.state.exited?.exitCode ?? null, output: `Changes made by a person in a terminal (${info.kind === 'claude' ? 'Claude Code session resumed' : 'shell'}) on attempt ${info.attemptId}.` }, now);
      return store.holds.releaseForReview(info.taskId, session.holder, { attemptId: session.takeoverAttemptId, number: session.takeoverNumber }, 'changes made in a terminal wait for verify and review', now);
    });
    if (!reopened) {
      return { outcome: 'unchanged', message: `Task ${info.taskId} was changed while the terminal was open, so the work was not sent to review; it stays on branch ${info.branch}.`, attemptId: session.takeoverAttemptId, runId: null };
    }
    const status = store.tasks.get(info.taskId)?.status ?? 'ready';
    if (previous !== null) project.bus.emit('task.changed', { taskId: info.taskId, status, previousStatus: previous, reason: 'changes made in a terminal wait for verify and review', runId: null });
    const run = await project.startRun([info.taskId]);
    if (run !== null) return { outcome: 'review-started', message: `The changes go through verify, review and merge in run ${run.id}.`, attemptId: session.takeoverAttemptId, runId: run.id };
    return {
      outcome: 'queued-for-review',
      message: `A run is in progress, so task ${info.taskId} waits (ready, its changes kept on ${info.branch}); the next run that includes it verifies, reviews and merges them.`,
      attemptId: session.takeoverAttemptId,
      runId: null,
    };
  }

  private async program(project: TerminalProject, kind: 'claude' | 'shell', sessionId: string | null, cwd: string): Promise<{ readonly file: string; readonly args: ReadonlyArray<string> }> {
    if (kind === 'shell') return { file: project.env['SHELL'] ?? '/bin/sh', args: [] };
    const claude = await project.claudePath();
    const resumable = await makeSessionResumableFrom(claudeConfigDir(project.env), sessionId ?? '', cwd);
    if (!resumable) {
      throw new RpcError('failed_precondition', `Claude Code's record of session ${sessionId ?? ''} was not found under ${claudeConfigDir(project.env)}/projects (was it deleted, or did the attempt run as another user?). Open a shell on the attempt instead.`);
    }
    return { file: claude, args: [...project.claudeArgs, '--resume', sessionId ?? ''] };
  }

  private get(projectDir: string, sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    if (session === undefined || session.info.project !== projectDir) throw new RpcError('not_found', 'That terminal is closed (or belongs to another project). Open it again from the attempt.');
    return session;
  }

  private describe(session: Session): TerminalSessionInfo {
    return { ...session.info, exited: session.state.exited };
  }

  private releaseHold(session: Session): void {
    const { store } = session.project;
    store.write(() => store.holds.release(session.info.taskId, session.holder));
  }

  private forget(session: Session): void {
    if (!this.sessions.delete(session.info.id)) return;
    this.options.emit('terminal.closed', { project: session.info.project, sessionId: session.info.id });
    if (this.sessions.size === 0 && this.renewTimer !== undefined) {
      clearInterval(this.renewTimer);
      this.renewTimer = undefined;
    }
  }

  private startRenewing(): void {
    if (this.renewTimer !== undefined) return;
    this.renewTimer = setInterval(() => {
      const until = this.now() + this.holdMs;
      for (const session of this.sessions.values()) {
        const { store } = session.project;
        // A lost hold (the task was reset or retried by hand) is not fatal: the work still goes where the person decides.
        store.write(() => store.holds.renew(session.info.taskId, session.holder, until));
      }
    }, Math.max(10, Math.floor(this.holdMs / 3)));
    this.renewTimer.unref();
  }
}

function holdRefusalMessage(taskId: string, refusal: HoldRefusal): string {
  switch (refusal.reason) {
    case 'missing':
      return `Task ${taskId} no longer exists.`;
    case 'worker':
      return `A worker is on task ${taskId} (${refusal.status}); stop it (Cancel) or wait for it to finish, then open the terminal.`;
    case 'held':
      return `Task ${taskId} is already open in another terminal (${refusal.holder}); close that one first.`;
    default:
      return assertNever(refusal);
  }
}
