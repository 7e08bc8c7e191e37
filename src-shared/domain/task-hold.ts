import type { Task } from './task';

/** How a terminal's hold starts its name in a task's lease columns. */
const TERMINAL_HOLDER_PREFIX = 'terminal ';

/** The lease owner a terminal writes while a person drives a task's session: `terminal <session id> (pid <n>)`. */
export function terminalHolder(sessionId: string, pid: number): string {
  return `${TERMINAL_HOLDER_PREFIX}${sessionId} (pid ${pid})`;
}

/** Statuses in which a worker, not a person, holds the task's lease. */
const WORKER_HELD: ReadonlyArray<Task['status']> = ['claimed', 'in_progress', 'review'];

/**
 * Whether a person holds the task in a terminal at `now`: its lease names a terminal and is current
 * (the terminal renews it every 20 s; a hold nobody renews expires). No worker starts the task meanwhile.
 */
export function isHeldByTerminal(task: Pick<Task, 'status' | 'leaseOwner' | 'leaseExpiresAt'>, now: number): boolean {
  if (WORKER_HELD.includes(task.status)) return false;
  return task.leaseOwner !== null && task.leaseOwner.startsWith(TERMINAL_HOLDER_PREFIX) && task.leaseExpiresAt !== null && task.leaseExpiresAt >= now;
}
