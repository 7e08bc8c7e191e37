import type { ContentBlockParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { z } from 'zod';
import { addUsage, ZERO_USAGE, type Usage } from '../../../src-shared/domain/usage';
import { killProcessTree } from '../../process/process-group';
import { spawnWatched } from '../../process/watched-spawn';
import { redactSecrets } from '../../workspace/redact';
import { isNotSignedIn, NOT_SIGNED_IN } from '../claude-cli/claude-login';
import type { UsageReport } from './model-client';
import type { ManagerModel, TextCallRequest, TextCallResult } from './manager-model';
import { CallAbortedError, ManagerError } from './model-errors';
import { toolDefinition, type ToolCallRequest, type ToolCallResult, type ToolSpec } from './tool-call';

/** How the manager starts Claude Code for its calls. */
export interface ClaudeCliModelOptions {
  /** Resolves the `claude` executable (found once, at the first call). */
  readonly claudePath: () => Promise<string>;
  /** The environment Claude Code runs with (its login: CLAUDE_CODE_OAUTH_TOKEN, or its own stored login; ANTHROPIC_BASE_URL …). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Folder the CLI runs in (the project). */
  readonly cwd: string;
  /** Longest one call may take (default 10 minutes). */
  readonly timeoutMs?: number;
  readonly onUsage?: (report: UsageReport) => void;
}

/** The final `result` line of `claude -p --output-format json`. */
const ResultEventSchema = z.looseObject({
  type: z.literal('result'),
  subtype: z.string(),
  is_error: z.boolean().optional(),
  api_error_status: z.number().nullable().optional(),
  result: z.string().optional(),
  errors: z.array(z.string()).optional(),
  total_cost_usd: z.number().optional(),
  structured_output: z.unknown().optional(),
  usage: z
    .looseObject({
      input_tokens: z.number().optional(),
      output_tokens: z.number().optional(),
      cache_creation_input_tokens: z.number().optional(),
      cache_read_input_tokens: z.number().optional(),
    })
    .optional(),
});
type ResultEvent = z.infer<typeof ResultEventSchema>;

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

/**
 * The manager through the user's Claude Code CLI: each call is `claude -p --output-format json`
 * with no tools, the manager's system prompt, and for a tool call `--json-schema` with the tool's
 * zod-derived schema (Claude Code offers it as a tool named StructuredOutput and reports the call's
 * input as `structured_output`). The answer is checked with the same zod schema as on the API path
 * and one invalid answer is asked again with the problem; cost and usage come from the result line.
 * Runs under the process watchdog like the workers, so nothing outlives the orchestrator.
 */
export class ClaudeCliManagerModel implements ManagerModel {
  readonly backend = 'claude-cli' as const;

  constructor(private readonly options: ClaudeCliModelOptions) {}

  async tool<Schema extends z.ZodType>(spec: ToolSpec<Schema>, request: ToolCallRequest): Promise<ToolCallResult<z.output<Schema>>> {
    const schema = JSON.stringify(toolDefinition(spec).input_schema);
    const prompt = `${contentText(request.content)}\n\n${structuredOutputNote(spec.name, spec.description)}`;
    let usage = ZERO_USAGE;
    let costUsd = 0;
    let lastProblem = '';
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const retryNote = attempt === 1 ? '' : `\n\nYour previous answer was not usable:\n${lastProblem}\nAnswer again, with input that matches the schema exactly.`;
      const result = await this.run(['--json-schema', schema], systemText(request.system), prompt + retryNote, request.model, spec.name, request.signal);
      usage = addUsage(usage, result.usage);
      costUsd += result.costUsd;
      if (result.event.structured_output === undefined || result.event.structured_output === null) {
        lastProblem = `the reply did not call the StructuredOutput tool (${request.model} answered: ${oneLine(result.event.result ?? '(nothing)', 200)})`;
        continue;
      }
      const parsed = spec.schema.safeParse(result.event.structured_output);
      if (parsed.success) return { value: parsed.data, usage, costUsd };
      lastProblem = z.prettifyError(parsed.error);
    }
    throw new ManagerError(`The manager's ${spec.name} reply (through Claude Code) was invalid twice; nothing was stored. Last problem: ${oneLine(lastProblem, 600)}`, 'permanent');
  }

  async text(request: TextCallRequest): Promise<TextCallResult> {
    const result = await this.run([], systemText(request.system), contentText(request.content), request.model, request.purpose, request.signal);
    return { text: (result.event.result ?? '').trim(), usage: result.usage, costUsd: result.costUsd };
  }

  /** One `claude -p` call: the prompt on stdin, the result line parsed and classified. */
  private async run(extraArgs: ReadonlyArray<string>, system: string, prompt: string, model: string, purpose: string, signal: AbortSignal | undefined) {
    if (signal?.aborted === true) throw new CallAbortedError();
    const claude = await this.options.claudePath();
    const args = [
      '-p',
      '--output-format',
      'json',
      '--model',
      model,
      '--tools',
      '',
      '--system-prompt',
      system,
      '--no-session-persistence',
      '--strict-mcp-config',
      ...extraArgs,
    ];
    const { subprocess, identity } = spawnWatched(claude, args, {
      cwd: this.options.cwd,
      env: { ...this.options.env },
      extendEnv: false,
      input: prompt,
      reject: false,
      timeout: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
    });
    const onAbort = (): void => {
      if (identity !== undefined) void killProcessTree(identity.pid, subprocess, 2_000);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let outcome;
    try {
      outcome = await subprocess;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    if (isAborted(signal)) throw new CallAbortedError();
    const event = lastResultEvent(String(outcome.stdout ?? ''));
    if (event === undefined) {
      const why = outcome.timedOut === true ? `it did not answer within ${Math.round((this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s` : `it exited with code ${String(outcome.exitCode ?? outcome.signal ?? '?')}`;
      const stderr = redactSecrets(String(outcome.stderr ?? '').trim()).slice(-600);
      throw new ManagerError(`Claude Code could not make the manager's ${purpose} call: ${why}${stderr === '' ? '' : `: ${stderr}`}`, 'transient');
    }
    if (event.is_error === true || event.subtype !== 'success') throw failureOf(event, purpose);
    const usage: Usage = {
      inputTokens: event.usage?.input_tokens ?? 0,
      outputTokens: event.usage?.output_tokens ?? 0,
      cacheCreationInputTokens: event.usage?.cache_creation_input_tokens ?? 0,
      cacheReadInputTokens: event.usage?.cache_read_input_tokens ?? 0,
    };
    const costUsd = event.total_cost_usd ?? 0;
    this.options.onUsage?.({ purpose, model, usage, costUsd, priced: event.total_cost_usd !== undefined });
    return { event, usage, costUsd };
  }
}

/** What Claude Code is told about the StructuredOutput tool: which manager answer it stands for. */
function structuredOutputNote(toolName: string, description: string): string {
  return `Here the tool to call is named StructuredOutput: its input is the <manager_tool>${toolName}</manager_tool> answer (${description}). Call it exactly once.`;
}

/** The last `result` line of the CLI's output (the JSON format prints one; be lenient about anything before it). */
function lastResultEvent(stdout: string): ResultEvent | undefined {
  const lines = stdout.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('{'));
  for (const line of lines.reverse()) {
    try {
      const parsed = ResultEventSchema.safeParse(JSON.parse(line));
      if (parsed.success) return parsed.data;
    } catch {
      // not JSON: keep looking
    }
  }
  return undefined;
}

/** A failed result as a classified ManagerError; auth failures say how to sign in, and stop a run. */
function failureOf(event: ResultEvent, purpose: string): ManagerError {
  if (event.subtype === 'error_max_structured_output_retries') {
    // Claude Code checks the answer against the JSON schema itself and asks again; it gave up.
    const attempts = /after (\d+) attempts/.exec((event.errors ?? []).join(' '))?.[1];
    const problem = redactSecrets(oneLine((event.errors ?? []).join('; ') || 'the answer did not match the schema', 400));
    return new ManagerError(`The manager's ${purpose} reply (through Claude Code) was invalid ${attempts === undefined ? 'repeatedly' : `${attempts} times`}; nothing was stored. Last problem: ${problem}`, 'permanent');
  }
  const detail = redactSecrets(oneLine([...(event.errors ?? []), event.result ?? ''].filter((part) => part !== '').join('; ') || event.subtype, 400));
  const status = event.api_error_status ?? undefined;
  if (status === undefined && isNotSignedIn(detail)) {
    return new ManagerError(`${NOT_SIGNED_IN} The manager could not make its ${purpose} call.`, 'permanent', undefined, false, true);
  }
  if (status === 401 || status === 403) {
    return new ManagerError(
      `Claude Code's login was refused (${status}) for the manager's ${purpose} call: sign in with \`claude\` (or set CLAUDE_CODE_OAUTH_TOKEN from \`claude setup-token\`), or give the app an Anthropic API key. ${detail}`,
      'permanent',
    );
  }
  if (status === 429 || status === 529 || (status !== undefined && status >= 500)) {
    return new ManagerError(`The manager's ${purpose} call through Claude Code failed (${status}) after retries: ${detail}`, 'transient');
  }
  return new ManagerError(`The manager's ${purpose} call through Claude Code failed${status === undefined ? '' : ` (${status})`}: ${detail}`, status === undefined ? 'transient' : 'permanent');
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function systemText(system: ReadonlyArray<TextBlockParam>): string {
  return system.map((block) => block.text).join('\n\n');
}

/** The user turn as one text (Claude Code takes the prompt as text; its own caching applies). */
function contentText(content: ReadonlyArray<ContentBlockParam>): string {
  return content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n\n');
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s*\n\s*/g, '; ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
