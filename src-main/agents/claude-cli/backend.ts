import type { CostKind } from '../../../src-shared/domain/usage';
import { stat } from 'node:fs/promises';
import { ZERO_USAGE } from '../../../src-shared/domain/usage';
import type { Usage } from '../../../src-shared/domain/usage';
import type { AttemptError, AttemptInput, AttemptIO, AttemptOutcome, Discovery, WorkerBackend } from '../../engine/worker-backend';
import { classifyRunEnding } from './classify';
import { parseDiscoveries } from './discoveries';
import { changesSince, snapshotFolder } from './file-changes';
import { ClaudeNotFoundError, findClaude } from './find-claude';
import { redactSecrets } from '../../workspace/redact';
import { boundLogEvent } from '../../engine/log-bounds';
import { LineSplitter } from './line-splitter';
import { toLogEvents } from './log-events';
import { killProcessTree } from '../../process/process-group';
import { spawnWatched } from '../../process/watched-spawn';
import { buildAppendedSystemPrompt, buildTaskPrompt } from './prompt';
import { StdoutFile } from './stdout-file';
import { DEFAULT_CLI_RATE_LIMIT_PAUSE_MS, isRateLimitRetry, pauseForCliRateLimitFailure, pauseForCliRetry } from './rate-limit-pause';
import type { ResultEvent, StreamUsage } from './stream-events';
import { parseApiRetry, parseStreamLine } from './stream-events';

/** Claude Code permission modes the backend can request. */
export type ClaudePermissionMode = 'acceptEdits' | 'bypassPermissions' | 'default' | 'plan';

/** Options of the Claude Code CLI worker backend. */
export interface ClaudeCliBackendOptions {
  /** Explicit path to `claude` (config `claude_cli_path`); otherwise node_modules/.bin, then PATH, then the login-shell PATH. */
  readonly claudePath?: string;
  /** Folders to search for node_modules/.bin/claude (e.g. the app's root); see findClaude. */
  readonly searchFrom?: ReadonlyArray<string>;
  /** Do not ask the login shell for `claude` (tests, or when PATH is known to be complete). */
  readonly skipLoginShell?: boolean;
  /** Defaults to 'acceptEdits' (edits inside the working directory allowed, nothing else prompts). */
  readonly permissionMode?: ClaudePermissionMode;
  /**
   * Maps config `dangerously_skip_permissions` to 'bypassPermissions'. As root, Claude Code refuses
   * this unless IS_SANDBOX=1 is in the environment (set it in `env` only inside a real sandbox).
   */
  readonly dangerouslySkipPermissions?: boolean;
  /** Extra environment, e.g. ANTHROPIC_API_KEY or ANTHROPIC_BASE_URL; wins over the inherited one. */
  readonly env?: Readonly<Record<string, string>>;
  /** Inherit the host's environment (default true); tests turn this off for isolation. */
  readonly inheritEnv?: boolean;
  /**
   * Tools allowed without a prompt, e.g. ['Bash(npm test:*)']. In print mode a tool call that needs
   * approval is refused, and acceptEdits approves only file edits and simple commands: most Bash
   * commands (scripts, `$VAR` expansions) need an entry here.
   */
  readonly allowedTools?: ReadonlyArray<string>;
  /** Extra CLI arguments appended last. */
  readonly extraArgs?: ReadonlyArray<string>;
  /** budget.max_usd_per_task: Claude Code stops the attempt once it has cost this much (--max-budget-usd). */
  readonly maxBudgetUsd?: number;
  /** Time between SIGTERM and SIGKILL when stopping a run (default 5 s). */
  readonly killGraceMs?: number;
  /**
   * Pause after a 429 the CLI gave up on without having retried one (default 60 s). When it did retry, the pause is
   * its last `api_retry.retry_delay_ms` instead; the CLI never shows the anthropic-ratelimit-*-reset headers.
   */
  readonly rateLimitPauseMs?: number;
  /** 'estimated' when Claude Code runs on the user's login (a subscription) rather than an API key; default 'billed'. */
  readonly costKind?: CostKind;
}

const STDERR_TAIL_CHARS = 4_000;
/** setTimeout fires at once for delays above 2^31 - 1 ms. */
const MAX_TIMER_MS = 2_147_483_647;
/** Linux limits one argument to 128 KiB; stay well below it. */
const MAX_APPENDED_PROMPT_CHARS = 100_000;

/** Worker backend 1: runs `claude -p --output-format stream-json --verbose` in the attempt's working directory. */
export function createClaudeCliBackend(options: ClaudeCliBackendOptions = {}): WorkerBackend {
  let found: string | undefined;
  const locate = async (): Promise<string> => {
    // Remember a successful lookup (the login-shell one costs a shell start); retry failed ones.
    found ??= (await findClaude({ configuredPath: options.claudePath, searchFrom: options.searchFrom, skipLoginShell: options.skipLoginShell })).path;
    return found;
  };
  return { name: 'claude-cli', costKind: options.costKind ?? 'billed', runAttempt: (input, io) => runClaudeAttempt(options, locate, input, io) };
}

async function runClaudeAttempt(options: ClaudeCliBackendOptions, locate: () => Promise<string>, input: AttemptInput, io: AttemptIO): Promise<AttemptOutcome> {
  const env: Record<string, string> = { ...(options.inheritEnv === false ? {} : stringEnv(process.env)), ...options.env };
  const secrets = Object.entries(env)
    .filter(([name, value]) => /KEY|TOKEN|SECRET|PASSWORD/i.test(name) && value.length >= 8)
    .map(([, value]) => value);
  // The one redactor: well-known token formats, registered secrets, and this attempt's secret-named env values.
  const mask = (text: string): string => redactSecrets(text, { extraSecrets: secrets });
  // Cut to the stored size first, so a 2 MB line costs the redaction of a few KB (boundLogEvent redacts what it keeps).
  const log: AttemptIO['log'] = (event) => io.log(boundLogEvent(event, mask));
  const failed = (error: AttemptError, extra: Partial<Omit<AttemptOutcome, 'status'>> = {}): AttemptOutcome => ({
    ...emptyCommon(),
    ...extra,
    status: 'failed',
    error: { ...error, message: mask(error.message) },
  });

  if (input.signal.aborted) return { ...emptyCommon(), status: 'cancelled' };
  const permissionMode: ClaudePermissionMode = options.dangerouslySkipPermissions === true ? 'bypassPermissions' : (options.permissionMode ?? 'acceptEdits');
  if (permissionMode === 'bypassPermissions' && process.getuid?.() === 0 && env['IS_SANDBOX'] !== '1') {
    return failed({
      errorClass: 'permanent',
      message: 'Claude Code refuses to skip permission checks when running as root unless IS_SANDBOX=1 is set. Run as a normal user, use the acceptEdits permission mode, or set IS_SANDBOX=1 only inside a sandbox.',
    });
  }
  let claudePath: string;
  try {
    claudePath = await locate();
  } catch (error) {
    if (error instanceof ClaudeNotFoundError) return failed({ errorClass: 'permanent', message: error.message, stopsRun: true });
    throw error;
  }

  if (!(await isDirectory(input.workingDirectory))) {
    return failed({ errorClass: 'permanent', message: `The working directory ${input.workingDirectory} does not exist or is not a folder.` });
  }
  // Skipped when the pipeline reads the changed files from the attempt's commit.
  const before = input.scanFileChanges === false ? null : await snapshotFolder(input.workingDirectory);
  const appended = buildAppendedSystemPrompt(input.task).slice(0, MAX_APPENDED_PROMPT_CHARS);
  const args = [
    '-p',
    '--output-format', 'stream-json',
    '--verbose',
    '--model', input.model,
    '--permission-mode', permissionMode,
    '--append-system-prompt', appended,
    ...(input.maxTurns === undefined ? [] : ['--max-turns', String(input.maxTurns)]),
    ...(options.allowedTools === undefined || options.allowedTools.length === 0 ? [] : ['--allowedTools', options.allowedTools.join(',')]),
    ...(options.maxBudgetUsd === undefined ? [] : ['--max-budget-usd', String(options.maxBudgetUsd)]),
    ...(options.extraArgs ?? []),
  ];
  log({ kind: 'system', text: `Starting ${claudePath} (${permissionMode}, model ${input.model}) in ${input.workingDirectory}` });

  // stdout goes to a file, not a pipe: see StdoutFile for the output the pipe lost.
  const stdoutFile = await StdoutFile.create((text) => stdoutLines.push(text).forEach(onStdoutLine));
  // In its own process group under a watchdog: the group dies within seconds of this process, even after kill -9.
  const { subprocess, identity } = spawnWatched(claudePath, args, {
    cwd: input.workingDirectory,
    env,
    extendEnv: false,
    input: buildTaskPrompt(input.task),
    // execa hands a descriptor number straight to spawn (lib/stdio/native.js); its types list only 0-9.
    stdout: stdoutFile.fd as never,
    buffer: false,
    reject: false,
  });
  const pid = subprocess.pid;
  if (identity !== undefined) io.processStarted?.(identity);

  const state = new RunState();
  const stdoutLines = new LineSplitter();
  const stderrLines = new LineSplitter();
  let stderrTail = '';
  const onStdoutLine = (line: string): void => {
    const event = parseStreamLine(line);
    if (event === undefined) return;
    for (const logEvent of toLogEvents(event)) log(logEvent);
    state.observe(event, io);
  };
  const onStderrLine = (line: string): void => {
    if (line.trim() === '') return;
    stderrTail = (stderrTail + line + '\n').slice(-STDERR_TAIL_CHARS);
    log({ kind: 'stderr', text: line });
  };
  subprocess.stderr?.setEncoding('utf8');
  subprocess.stderr?.on('data', (chunk: string) => stderrLines.push(chunk).forEach(onStderrLine));

  let stopped: 'timeout' | 'cancelled' | undefined;
  let killing: Promise<void> | undefined;
  const stop = (why: 'timeout' | 'cancelled'): void => {
    if (stopped !== undefined || pid === undefined) return;
    stopped = why;
    log({ kind: 'system', text: why === 'timeout' ? `Timed out after ${input.timeoutMs} ms; stopping Claude Code` : 'Cancelled; stopping Claude Code' });
    killing = killProcessTree(pid, subprocess, options.killGraceMs ?? 5_000);
  };
  const onAbort = (): void => stop(isTimeoutReason(input.signal.reason) ? 'timeout' : 'cancelled');
  input.signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => stop('timeout'), Math.min(input.timeoutMs, MAX_TIMER_MS));

  const ended = await subprocess;
  clearTimeout(timer);
  input.signal.removeEventListener('abort', onAbort);
  await killing;
  await stdoutFile.finish();
  stdoutLines.flush().forEach(onStdoutLine);
  stderrLines.flush().forEach(onStderrLine);

  const changes = before === null ? { filesModified: [], filesCreated: [] } : await changesSince(input.workingDirectory, before);
  const output = mask(state.result?.result ?? state.lastAssistantText);
  const parsed = parseDiscoveries(output);
  for (const problem of parsed.problems) log({ kind: 'discoveries', text: problem });
  const discoveries: ReadonlyArray<Discovery> = stopped === undefined ? parsed.discoveries : [];
  for (const discovery of discoveries) io.discovery(discovery);
  const common = {
    ...changes,
    discoveries,
    usage: state.finalUsage(),
    costUsd: state.finalCost(),
    ...(state.sessionId === undefined ? {} : { sessionId: state.sessionId }),
  };
  if (stopped === 'cancelled') return { ...common, status: 'cancelled' };
  if (ended.failed && ended.exitCode === undefined && ended.signal === undefined && state.result === undefined) {
    return failed({ errorClass: 'permanent', message: `Could not start Claude Code at ${claudePath}: ${ended.shortMessage}`, stopsRun: true }, common);
  }
  const error = classifyRunEnding({
    ...(state.result === undefined ? {} : { result: state.result }),
    ...(state.assistantError === undefined ? {} : { assistantError: state.assistantError }),
    ...(ended.exitCode === undefined ? {} : { exitCode: ended.exitCode }),
    ...(ended.signal === undefined ? {} : { signal: ended.signal }),
    stderrTail: mask(stderrTail),
    ...(stopped === 'timeout' ? { timedOutAfterMs: input.timeoutMs } : {}),
  });
  if (error === undefined) return { ...common, status: 'succeeded', output };
  if (error.errorClass === 'transient' && (state.assistantError === 'rate_limit' || state.result?.api_error_status === 429)) {
    const pause = pauseForCliRateLimitFailure(mask(error.message), state.lastRateLimitRetryMs, options.rateLimitPauseMs ?? DEFAULT_CLI_RATE_LIMIT_PAUSE_MS);
    io.rateLimited?.(pause.until, pause.reason);
  }
  return failed(error, common);
}

/** What the stream told us so far. */
class RunState {
  sessionId: string | undefined;
  result: ResultEvent | undefined;
  assistantError: string | undefined;
  /** `retry_delay_ms` of the last api_retry event caused by a 429. */
  lastRateLimitRetryMs: number | undefined;
  lastAssistantText = '';
  private liveUsage: Usage = ZERO_USAGE;
  private readonly countedMessages = new Set<string>();

  observe(event: NonNullable<ReturnType<typeof parseStreamLine>>, io: AttemptIO): void {
    switch (event.kind) {
      case 'init':
        this.sessionId = event.sessionId;
        break;
      case 'assistant': {
        const { message } = event.event;
        if (event.event.error !== undefined) this.assistantError = event.event.error;
        const text = message.content.filter((block) => block.type === 'text').map((block) => String(block['text'] ?? ''));
        if (text.length > 0) this.lastAssistantText = text.join('\n');
        // Claude Code repeats a message (one line per content block) with the same id and usage.
        const id = message.id ?? '';
        if (message.usage && message.model !== '<synthetic>' && !this.countedMessages.has(id)) {
          this.countedMessages.add(id);
          this.liveUsage = addStreamUsage(this.liveUsage, message.usage);
          io.usage?.(this.liveUsage, 0);
        }
        break;
      }
      case 'result':
        this.result = event.event;
        this.sessionId ??= event.event.session_id;
        io.usage?.(this.finalUsage(), this.finalCost());
        break;
      case 'system': {
        const retry = event.subtype === 'api_retry' ? parseApiRetry(event.raw) : undefined;
        if (retry === undefined || !isRateLimitRetry(retry)) break;
        // Claude Code retries this 429 by itself after retry_delay_ms: the other workers should wait as long.
        this.lastRateLimitRetryMs = retry.retry_delay_ms;
        const pause = pauseForCliRetry(retry);
        if (pause !== null) io.rateLimited?.(pause.until, pause.reason);
        break;
      }
      case 'user':
      case 'unknown':
      case 'invalid':
        break;
    }
  }

  /** Usage from the result (per-model totals when present), else what the messages reported. */
  finalUsage(): Usage {
    const result = this.result;
    if (result === undefined) return this.liveUsage;
    const models = Object.values(result.modelUsage ?? {});
    if (models.length > 0) {
      return models.reduce<Usage>(
        (sum, model) => ({
          inputTokens: sum.inputTokens + (model.inputTokens ?? 0),
          outputTokens: sum.outputTokens + (model.outputTokens ?? 0),
          cacheCreationInputTokens: sum.cacheCreationInputTokens + (model.cacheCreationInputTokens ?? 0),
          cacheReadInputTokens: sum.cacheReadInputTokens + (model.cacheReadInputTokens ?? 0),
        }),
        ZERO_USAGE,
      );
    }
    return result.usage === undefined ? this.liveUsage : addStreamUsage(ZERO_USAGE, result.usage);
  }

  /** Cost the CLI computed for the run, in US dollars. */
  finalCost(): number {
    const result = this.result;
    if (result?.total_cost_usd !== undefined) return result.total_cost_usd;
    return Object.values(result?.modelUsage ?? {}).reduce((sum, model) => sum + (model.costUSD ?? 0), 0);
  }
}

function addStreamUsage(sum: Usage, usage: StreamUsage): Usage {
  return {
    inputTokens: sum.inputTokens + (usage.input_tokens ?? 0),
    outputTokens: sum.outputTokens + (usage.output_tokens ?? 0),
    cacheCreationInputTokens: sum.cacheCreationInputTokens + (usage.cache_creation_input_tokens ?? 0),
    cacheReadInputTokens: sum.cacheReadInputTokens + (usage.cache_read_input_tokens ?? 0),
  };
}

function emptyCommon(): Omit<Extract<AttemptOutcome, { status: 'cancelled' }>, 'status'> {
  return { filesModified: [], filesCreated: [], discoveries: [], usage: ZERO_USAGE, costUsd: 0 };
}

function isTimeoutReason(reason: unknown): boolean {
  return typeof reason === 'object' && reason !== null && 'name' in reason && (reason as { name: unknown }).name === 'TimeoutError';
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

function stringEnv(source: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(source).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
