import { spawn, type IPty } from '@lydell/node-pty';
import { TERMINAL_LIMITS } from '../../src-shared/rpc/schemas/terminal';
import { descendantsOf, signalGroup, trackProcessGroup, untrackProcessGroup } from '../process/process-group';
import { ScrollbackBuffer } from './scrollback';

/** Output is sent to clients in batches at most this often, so a flood of small writes is not a flood of events. */
export const OUTPUT_BATCH_MS = 16;
/** Output waiting this long (characters) is sent at once, so one event stays small however fast the program prints. */
export const MAX_OUTPUT_BATCH_CHARS = 65_536;
/** After SIGHUP and SIGTERM, what is left of the session's process group is killed this much later. */
export const KILL_GRACE_MS = 2_000;

/** How to start a program in a pseudo-terminal. */
export interface PtyProcessOptions {
  readonly file: string;
  readonly args: ReadonlyArray<string>;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly cols: number;
  readonly rows: number;
  /** Characters of output kept for clients that attach later (ScrollbackBuffer). */
  readonly scrollbackChars?: number;
  /** Output, batched. */
  readonly onOutput: (data: string) => void;
  /** The program ended (by itself or killed); called once. */
  readonly onExit: (exit: { readonly exitCode: number | null; readonly signal: number | null }) => void;
}

/**
 * A program running in a pseudo-terminal (node-pty). The child starts a session of its own
 * (`setsid`), so its pid is its process group: closing kills the group and the descendants that
 * moved to groups of their own (Claude Code runs each Bash call under `setsid`), SIGHUP and SIGTERM
 * first, SIGKILL after KILL_GRACE_MS. The group is also killed if the host process exits, and the
 * kernel hangs the session up if the host dies outright (the terminal's master side closes).
 */
export class PtyProcess {
  readonly pid: number;
  private readonly pty: IPty;
  private readonly scrollback: ScrollbackBuffer;
  private pending = '';
  private flushTimer: NodeJS.Timeout | undefined;
  private exited = false;
  private readonly exitPromise: Promise<void>;

  constructor(private readonly options: PtyProcessOptions) {
    this.scrollback = new ScrollbackBuffer(options.scrollbackChars);
    this.pty = spawn(options.file, [...options.args], {
      name: 'xterm-256color',
      cwd: options.cwd,
      env: { ...options.env },
      cols: clampCols(options.cols),
      rows: clampRows(options.rows),
    });
    this.pid = this.pty.pid;
    trackProcessGroup(this.pid);
    let resolveExit: () => void = () => undefined;
    this.exitPromise = new Promise((resolve) => (resolveExit = resolve));
    this.pty.onData((data) => this.receive(data));
    this.pty.onExit(({ exitCode, signal }) => {
      this.exited = true;
      this.flush();
      untrackProcessGroup(this.pid);
      // What the program left running in its group goes with it.
      signalGroup(this.pid, 'SIGKILL');
      options.onExit({ exitCode: exitCode ?? null, signal: signal === undefined || signal === 0 ? null : signal });
      resolveExit();
    });
  }

  /** The newest output already passed to onOutput (bounded), for a client that attaches late. */
  get history(): string {
    return this.scrollback.text();
  }

  /** Whether the program has ended. */
  get hasExited(): boolean {
    return this.exited;
  }

  /** Sends keystrokes or pasted text to the program. */
  write(data: string): void {
    if (!this.exited) this.pty.write(data);
  }

  /** Changes the terminal's size (the program gets SIGWINCH). */
  resize(cols: number, rows: number): void {
    if (!this.exited) this.pty.resize(clampCols(cols), clampRows(rows));
  }

  /** Ends the program and everything it started; resolves once it has exited. */
  async kill(): Promise<void> {
    if (this.exited) return;
    const descendants = descendantsOf(this.pid);
    for (const signal of ['SIGHUP', 'SIGTERM'] as const) {
      signalGroup(this.pid, signal);
      for (const pid of descendants) signalGroup(pid, signal);
    }
    // Not cleared when the leader exits: a descendant that ignored SIGTERM in a session of its own still gets SIGKILL.
    setTimeout(() => {
      signalGroup(this.pid, 'SIGKILL');
      for (const pid of descendants) {
        signalGroup(pid, 'SIGKILL');
        killQuietly(pid);
      }
    }, KILL_GRACE_MS).unref();
    await this.exitPromise;
  }

  private receive(data: string): void {
    this.pending += data;
    if (this.pending.length >= MAX_OUTPUT_BATCH_CHARS) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), OUTPUT_BATCH_MS);
  }

  private flush(): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending === '') return;
    const data = this.pending;
    this.pending = '';
    this.scrollback.append(data);
    this.options.onOutput(data);
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function clampCols(cols: number): number {
  return Math.min(TERMINAL_LIMITS.maxCols, Math.max(TERMINAL_LIMITS.minCols, Math.floor(cols)));
}

function clampRows(rows: number): number {
  return Math.min(TERMINAL_LIMITS.maxRows, Math.max(TERMINAL_LIMITS.minRows, Math.floor(rows)));
}
