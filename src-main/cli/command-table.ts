import type { Command } from 'commander';
import { createRootProgram, finishProgram } from './root-program';

/** Registers one module's command(s) on the program. */
type Register = (program: Command) => void;

/** One command module: the command names it registers and how to load it. */
interface CommandModule {
  readonly names: ReadonlyArray<string>;
  readonly load: () => Promise<Register>;
}

/**
 * Where each command lives, so that `co <command>` loads that module alone and not the code (and the
 * zod schemas, SQLite, …) of every other command. program.ts stays the one list `co --help` shows;
 * a command missing here still works, through the whole program, only slower.
 */
const COMMAND_MODULES: ReadonlyArray<CommandModule> = [
  { names: ['init'], load: async () => (await import('./commands/init')).registerInitCommand },
  { names: ['check'], load: async () => (await import('./commands/check')).registerCheckCommand },
  { names: ['checks'], load: async () => (await import('./commands/checks')).registerChecksCommand },
  { names: ['status'], load: async () => (await import('./commands/status')).registerStatusCommand },
  { names: ['add'], load: async () => (await import('./commands/add')).registerAddCommand },
  { names: ['list'], load: async () => (await import('./commands/list')).registerListCommand },
  { names: ['show'], load: async () => (await import('./commands/show')).registerShowCommand },
  { names: ['update'], load: async () => (await import('./commands/update')).registerUpdateCommand },
  { names: ['delete'], load: async () => (await import('./commands/delete')).registerDeleteCommand },
  { names: ['next'], load: async () => (await import('./commands/next')).registerNextCommand },
  { names: ['parse'], load: async () => (await import('./commands/parse')).registerParseCommand },
  { names: ['expand'], load: async () => (await import('./commands/expand')).registerExpandCommand },
  { names: ['claim', 'complete', 'fail', 'renew'], load: async () => (await import('./commands/worker-protocol')).registerWorkerProtocolCommands },
  { names: ['run'], load: async () => (await import('./commands/run')).registerRunCommand },
  { names: ['integrate'], load: async () => (await import('./commands/integrate')).registerIntegrateCommand },
  { names: ['clean'], load: async () => (await import('./commands/clean')).registerCleanCommand },
  { names: ['summary'], load: async () => (await import('./commands/summary')).registerSummaryCommand },
  { names: ['insights', 'lessons'], load: async () => (await import('./commands/insights')).registerInsightsCommands },
  { names: ['checkpoint', 'list-checkpoints'], load: async () => (await import('./commands/checkpoint')).registerCheckpointCommands },
  { names: ['rollback'], load: async () => (await import('./commands/rollback')).registerRollbackCommand },
  { names: ['security-audit'], load: async () => (await import('./commands/security-audit')).registerSecurityAuditCommand },
  { names: ['import-taskmaster', 'export-taskmaster'], load: async () => (await import('./commands/taskmaster')).registerTaskMasterCommands },
  { names: ['coverage', 'test-status'], load: async () => (await import('./commands/test-commands')).registerTestCommands },
  { names: ['import-issues', 'pr'], load: async () => (await import('./commands/github')).registerGitHubCommands },
  { names: ['serve'], load: async () => (await import('./commands/serve')).registerServeCommand },
  { names: ['mcp'], load: async () => (await import('./commands/mcp')).registerMcpCommand },
];

/**
 * The first argument after the global `-d <dir>` / `--working-dir <dir>` / `--working-dir=<dir>`
 * (commander reads those before the command): the command's name, an option such as `--version`,
 * or undefined when there is none.
 */
export function requestedCommand(args: ReadonlyArray<string>): string | undefined {
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '-d' || arg === '--working-dir') index += 1;
    else if (arg.startsWith('--working-dir=')) continue;
    else return arg;
  }
  return undefined;
}

/**
 * The program for these arguments: the root alone for `--version` (commander prints the version as
 * soon as it reads the option), the root with only the named command's module when the table knows
 * it, else every command (program.ts: help, unknown commands). Commander parses the same
 * definitions either way, so output, errors and exit codes are the same.
 */
export async function buildProgramFor(args: ReadonlyArray<string>): Promise<Command> {
  const name = requestedCommand(args);
  if (name === '-V' || name === '--version') return createRootProgram();
  const entry = name === undefined ? undefined : COMMAND_MODULES.find((candidate) => candidate.names.includes(name));
  if (entry !== undefined) {
    const program = createRootProgram();
    (await entry.load())(program);
    if (program.commands.some((command) => command.name() === name)) return finishProgram(program);
  }
  const { buildProgram } = await import('./program');
  return buildProgram();
}
