import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { redactSecrets } from '../../workspace/redact';
import { startCheckProcess } from './check-process';
import { BoundedLineSplitter, OutputTail } from './output-lines';

/** How one check command ended. */
export type CheckEnd =
  | { readonly kind: 'exit'; readonly exitCode: number }
  | { readonly kind: 'signal'; readonly signal: string }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'spawn-error'; readonly message: string };

/** One check command's outcome; `outputTail` is the last ~8 KB of its stdout and stderr, redacted. */
export interface CheckCommandResult {
  readonly command: string;
  readonly passed: boolean;
  readonly end: CheckEnd;
  readonly durationMs: number;
  readonly outputTail: string;
}

/** All commands passed, or the first that did not (later ones were not run). */
export type CheckRunResult =
  | { readonly ok: true; readonly results: ReadonlyArray<CheckCommandResult> }
  | { readonly ok: false; readonly failed: CheckCommandResult; readonly results: ReadonlyArray<CheckCommandResult> };

/** Which stream a line came from. */
export type CheckOutputStream = 'stdout' | 'stderr';

/** Where and how long check commands run. */
export interface RunCheckCommandsOptions {
  readonly cwd: string;
  /** Limit of each command; the command and everything it started are killed when it is reached. */
  readonly timeoutMs: number;
  /** Aborting kills the running command's process group; the result is `aborted`. */
  readonly signal?: AbortSignal;
  /** Added to (and overriding) the host's environment, after CI=true and NO_COLOR=1; Anthropic credentials are not passed on. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Told before each command starts. */
  readonly onCommandStart?: (command: string) => void;
  /** Each line of output as it comes (at most ~4 KB, redacted). */
  readonly onOutput?: (line: string, stream: CheckOutputStream) => void;
  /** Between SIGTERM and SIGKILL when a command is stopped (default 2 s). */
  readonly killGraceMs?: number;
}

/** Credentials of the orchestrator itself: the project's commands have no business with them. */
const WITHHELD_VARIABLES = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN'];

/** How long a command's output may keep draining after it exited and its group was killed. */
const DRAIN_AFTER_EXIT_MS = 2_000;

/**
 * Runs check commands one after another through `sh -c` in `cwd`, each in its own process group,
 * and stops at the first that fails (non-zero exit, signal, timeout, abort). Output is streamed
 * line by line to `onOutput` and its tail kept per command, both bounded and redacted.
 */
export async function runCheckCommands(commands: ReadonlyArray<string>, options: RunCheckCommandsOptions): Promise<CheckRunResult> {
  const results: CheckCommandResult[] = [];
  const folder = await stat(options.cwd).catch(() => null);
  for (const command of commands) {
    options.onCommandStart?.(command);
    const result =
      folder === null || !folder.isDirectory()
        ? { command, passed: false, end: { kind: 'spawn-error', message: `the folder ${options.cwd} does not exist` } as const, durationMs: 0, outputTail: '' }
        : await runOne(command, options);
    results.push(result);
    if (!result.passed) return { ok: false, failed: result, results };
  }
  return { ok: true, results };
}

/** One line for people: "`npm test` exited with code 1", "`make check` timed out after 900 s". */
export function describeCheckResult(result: Pick<CheckCommandResult, 'command' | 'end'>): string {
  const end = result.end;
  const name = `\`${result.command}\``;
  switch (end.kind) {
    case 'exit':
      return end.exitCode === 0 ? `${name} passed` : `${name} exited with code ${end.exitCode}`;
    case 'signal':
      return `${name} was killed by ${end.signal}`;
    case 'timeout':
      return `${name} timed out after ${Math.round(end.timeoutMs / 1000)} s`;
    case 'aborted':
      return `${name} was stopped`;
    case 'spawn-error':
      return `${name} could not start: ${end.message}`;
  }
}

/** Feedback for the agent's next attempt: which check failed, how, and the end of its output. */
export function checkFailureFeedback(failed: CheckCommandResult): string {
  const output = failed.outputTail.trim() === '' ? '(no output)' : failed.outputTail;
  return `The check ${describeCheckResult(failed)}. Make it pass. The end of its output:\n\`\`\`\n${output}\n\`\`\``;
}

async function runOne(command: string, options: RunCheckCommandsOptions): Promise<CheckCommandResult> {
  const started = Date.now();
  const tail = new OutputTail();
  const finish = (end: CheckEnd): CheckCommandResult => ({
    command,
    passed: end.kind === 'exit' && end.exitCode === 0,
    end,
    durationMs: Date.now() - started,
    outputTail: tail.text(),
  });
  if (options.signal?.aborted === true) return finish({ kind: 'aborted' });

  const running = startCheckProcess(command, { cwd: options.cwd, env: checkEnvironment(options.env) });
  const emit = (line: string, stream: CheckOutputStream): void => {
    const clean = redactSecrets(line);
    tail.push(clean);
    options.onOutput?.(clean, stream);
  };
  const drained = Promise.all([pump(running.stdout, 'stdout', emit), pump(running.stderr, 'stderr', emit)]);

  let stoppedBy: 'timeout' | 'aborted' | null = null;
  const stop = (reason: 'timeout' | 'aborted'): void => {
    if (stoppedBy !== null) return;
    stoppedBy = reason;
    void running.stop(options.killGraceMs ?? 2_000);
  };
  const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
  const onAbort = (): void => stop('aborted');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const exit = await running.exited;
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  running.killLeftovers();
  await drainWithin(drained, [running.stdout, running.stderr], DRAIN_AFTER_EXIT_MS);

  if (stoppedBy === 'timeout') return finish({ kind: 'timeout', timeoutMs: options.timeoutMs });
  if (stoppedBy === 'aborted') return finish({ kind: 'aborted' });
  if ('error' in exit) return finish({ kind: 'spawn-error', message: redactSecrets(exit.error.message) });
  if (exit.code !== null) return finish({ kind: 'exit', exitCode: exit.code });
  return finish({ kind: 'signal', signal: exit.signal ?? 'unknown signal' });
}

/** Reads a stream as bounded lines until it ends. */
async function pump(stream: Readable, name: CheckOutputStream, emit: (line: string, stream: CheckOutputStream) => void): Promise<void> {
  const splitter = new BoundedLineSplitter();
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    for (const line of splitter.push(chunk)) emit(line, name);
  });
  await once(stream, 'close').catch(() => undefined);
  for (const line of splitter.flush()) emit(line, name);
}

/** Waits for the output to end; a process that left the group and still holds the pipe is cut off after `ms`. */
async function drainWithin(drained: Promise<unknown>, streams: ReadonlyArray<Readable>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const cutOff = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      for (const stream of streams) stream.destroy();
      resolve();
    }, ms);
  });
  await Promise.race([drained, cutOff]);
  clearTimeout(timer);
  await drained;
}

function checkEnvironment(extra: Readonly<Record<string, string | undefined>> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const name of WITHHELD_VARIABLES) delete env[name];
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}
