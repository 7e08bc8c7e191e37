import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import { z } from 'zod';
import type { AgentProcessInfo, Discovery } from '../../engine/worker-backend';
import { toolDefinition } from '../manager/tool-call';
import { ChangeTracker, snapshotFiles } from './change-tracker';
import { editTextFile, listFiles, readTextFile, searchFiles, writeTextFile } from './file-tools';
import { commandEnvironment, runCommand } from './run-command';
import { ToolError, resolveInWorkspace } from './workspace-paths';

const path = z.string().min(1).describe('Path relative to the working directory');

const SCHEMAS = {
  read_file: z.object({ path, offset_line: z.number().int().min(1).optional(), limit_lines: z.number().int().min(1).optional() }),
  write_file: z.object({ path, content: z.string() }),
  edit_file: z.object({ path, old_string: z.string().min(1), new_string: z.string(), replace_all: z.boolean().optional() }),
  list_files: z.object({ path: path.optional(), recursive: z.boolean().optional() }),
  search: z.object({ pattern: z.string().min(1), regex: z.boolean().optional(), path: path.optional(), case_sensitive: z.boolean().optional() }),
  run_command: z.object({ command: z.string().min(1).describe('A shell command, run with /bin/sh in the working directory'), timeout_ms: z.number().int().min(1).optional() }),
  report_discovery: z.object({
    summary: z.string().min(1).describe('One line later tasks should know'),
    details: z.string().optional(),
    tags: z.array(z.string()).optional(),
    files: z.array(z.string()).optional(),
  }),
} as const;

/** Names of the worker's tools. */
export type WorkerToolName = keyof typeof SCHEMAS;

type Handlers = { readonly [Name in WorkerToolName]: (args: z.output<(typeof SCHEMAS)[Name]>) => Promise<string> };

const DESCRIPTIONS: Readonly<Record<WorkerToolName, string>> = {
  read_file: 'Read a text file, optionally a range of lines.',
  write_file: 'Create or overwrite a file with the given content (folders are created).',
  edit_file: 'Replace an exact string in a file; it must occur once unless replace_all is true.',
  list_files: 'List a folder (default: the working directory), recursively if asked; skips .git and node_modules.',
  search: 'Find lines containing a substring (or matching a regular expression) in files; skips .git and node_modules.',
  run_command: 'Run a shell command in the working directory and get its exit code and output.',
  report_discovery: 'Report a finding that later tasks should know (a convention, a pitfall, an API).',
};

/** The tool definitions sent to the API; the last one carries a cache breakpoint. */
export function workerToolDefinitions(): ReadonlyArray<Tool> {
  const names = Object.keys(SCHEMAS) as WorkerToolName[];
  return names.map((name, index) => {
    const tool = toolDefinition({ name, description: DESCRIPTIONS[name], schema: SCHEMAS[name] });
    return index === names.length - 1 ? { ...tool, cache_control: { type: 'ephemeral' } } : tool;
  });
}

/** Result of one tool call, as sent back to the model. */
export interface ToolOutcome {
  readonly content: string;
  readonly isError: boolean;
}

/** Limits of the tools. */
export interface ToolLimits {
  readonly commandTimeoutMs: number;
  readonly maxOutputChars: number;
}

/** Runs the worker's tools inside one working directory and remembers what they changed. */
export class WorkspaceTools {
  private readonly changes = new ChangeTracker();
  private readonly found: Discovery[] = [];
  private readonly handlers: Handlers;

  constructor(
    private readonly root: string,
    private readonly limits: ToolLimits,
    private readonly signal: AbortSignal,
    private readonly onDiscovery: (discovery: Discovery) => void,
    private readonly onProcessStarted?: (process: AgentProcessInfo) => void,
  ) {
    this.handlers = {
      read_file: async (args) => {
        const target = await this.resolve(args.path);
        return readTextFile(target.absolute, target.relative, this.limits.maxOutputChars, args.offset_line, args.limit_lines);
      },
      write_file: async (args) => {
        const target = await this.resolve(args.path);
        const existed = await writeTextFile(target.absolute, args.content);
        this.changes.record(target.relative, existed);
        return `${existed ? 'overwrote' : 'created'} ${target.relative} (${args.content.length} characters)`;
      },
      edit_file: async (args) => {
        const target = await this.resolve(args.path);
        const count = await editTextFile(target.absolute, target.relative, args.old_string, args.new_string, args.replace_all ?? false);
        this.changes.record(target.relative, true);
        return `edited ${target.relative} (${count} replacement${count === 1 ? '' : 's'})`;
      },
      list_files: async (args) => listFiles(await this.realRoot(), (await this.resolve(args.path ?? '.')).absolute, args.recursive ?? false, 1_000),
      search: async (args) =>
        searchFiles(await this.realRoot(), (await this.resolve(args.path ?? '.')).absolute, args.pattern, args.regex ?? false, args.case_sensitive ?? true, 200),
      run_command: (args) => this.runCommand(args.command, args.timeout_ms),
      report_discovery: async (args) => {
        const discovery: Discovery = { summary: args.summary, ...(args.details === undefined ? {} : { details: args.details }), tags: args.tags ?? [], files: args.files ?? [] };
        this.found.push(discovery);
        this.onDiscovery(discovery);
        return 'discovery recorded';
      },
    };
  }

  /** Files created during the attempt (workspace-relative), by the file tools or by commands. */
  get filesCreated(): ReadonlyArray<string> {
    return this.changes.created;
  }

  /** Files that existed and were changed during the attempt. */
  get filesModified(): ReadonlyArray<string> {
    return this.changes.modified;
  }

  /** Discoveries reported so far. */
  get discoveries(): ReadonlyArray<Discovery> {
    return this.found;
  }

  /** Runs one tool call; problems the model can fix come back as error results, never as exceptions. */
  async run(name: string, input: unknown): Promise<ToolOutcome> {
    try {
      if (!isToolName(name)) throw new ToolError(`unknown tool ${name}; use one of ${Object.keys(SCHEMAS).join(', ')}`);
      const parsed = SCHEMAS[name].safeParse(input);
      if (!parsed.success) throw new ToolError(`invalid input for ${name}: ${z.prettifyError(parsed.error)}`);
      const handler = this.handlers[name] as (args: unknown) => Promise<string>;
      return { content: await handler(parsed.data), isError: false };
    } catch (error) {
      if (error instanceof ToolError) return { content: `Error: ${error.message}`, isError: true };
      const code = (error as NodeJS.ErrnoException).code;
      return { content: `Error: ${code === undefined ? '' : `${code}: `}${error instanceof Error ? error.message : String(error)}`, isError: true };
    }
  }

  private async runCommand(command: string, requestedTimeoutMs: number | undefined): Promise<string> {
    const timeoutMs = Math.min(requestedTimeoutMs ?? this.limits.commandTimeoutMs, this.limits.commandTimeoutMs);
    const cwd = await this.realRoot();
    const before = await snapshotFiles(cwd);
    const result = await runCommand({ command, cwd, timeoutMs, signal: this.signal, maxOutputChars: this.limits.maxOutputChars, env: commandEnvironment(),
      ...(this.onProcessStarted === undefined ? {} : { onStarted: this.onProcessStarted }) });
    const after = before === undefined ? undefined : await snapshotFiles(cwd);
    if (before !== undefined && after !== undefined) this.changes.recordSnapshots(before, after);
    if (result.aborted) throw new ToolError('the command was stopped because the attempt was cancelled');
    if (result.timedOut) throw new ToolError(`the command timed out after ${timeoutMs} ms and was killed\n${result.output}`);
    const status = result.exitCode === null ? `killed by ${result.signal ?? 'a signal'}` : `exit code ${result.exitCode}`;
    return `${status}\n${result.output}`;
  }

  private resolve(requested: string): ReturnType<typeof resolveInWorkspace> {
    return resolveInWorkspace(this.root, requested);
  }

  private async realRoot(): Promise<string> {
    return (await this.resolve('.')).absolute;
  }
}

function isToolName(name: string): name is WorkerToolName {
  return Object.hasOwn(SCHEMAS, name);
}
