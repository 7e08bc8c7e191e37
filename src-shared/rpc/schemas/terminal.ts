import { z } from 'zod';

/** Terminal size bounds the host accepts (a window can show no more; node-pty needs at least this). */
export const TERMINAL_LIMITS = Object.freeze({ minCols: 2, maxCols: 1_000, minRows: 1, maxRows: 500 });
/** One terminal.write carries at most this many characters (a large paste arrives in several). */
export const MAX_TERMINAL_WRITE_CHARS = 65_536;

/** What runs in a terminal: the attempt's Claude Code session resumed, or the user's shell, in a checkout of its work. */
export const terminalKindSchema = z.enum(['claude', 'shell']);

const cols = z.number().int().min(TERMINAL_LIMITS.minCols).max(TERMINAL_LIMITS.maxCols);
const rows = z.number().int().min(TERMINAL_LIMITS.minRows).max(TERMINAL_LIMITS.maxRows);
/** A terminal's size in character cells. */
export const terminalSizeSchema = z.object({ cols, rows }).strict();

/** A terminal session a person drives in a task's workspace. */
export const terminalSessionSchema = z.object({
  id: z.string(),
  project: z.string(),
  taskId: z.string(),
  /** The attempt whose work (and, for 'claude', whose Claude Code session) was taken over. */
  attemptId: z.string(),
  kind: terminalKindSchema,
  /** The checkout the program runs in (a slot of the worktree pool) and its branch. */
  cwd: z.string(),
  branch: z.string(),
  startedAt: z.number(),
  /** Set once the program has ended; the session stays until the person decides what happens to its changes. */
  exited: z.object({ exitCode: z.number().nullable(), signal: z.number().nullable() }).nullable(),
});

/** A session's output so far (bounded by its scrollback limit), up to and including output event `seq`. */
export const terminalHistorySchema = z.object({ session: terminalSessionSchema, data: z.string(), seq: z.number().int().nonnegative() });

/** What closing a terminal did with the changes made in it. */
export const terminalCloseResultSchema = z.object({
  outcome: z.enum(['review-started', 'queued-for-review', 'unchanged', 'discarded']),
  /** One line for the person: what happened and what comes next. */
  message: z.string(),
  /** The attempt recording the person's work, when it went to review. */
  attemptId: z.string().nullable(),
  /** The run that reviews and merges it, when one was started. */
  runId: z.string().nullable(),
});
