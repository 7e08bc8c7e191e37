import { Command } from 'commander';
import { readAppVersion } from '../host/package-root';
import { registerAddCommand } from './commands/add';
import { registerCheckCommand } from './commands/check';
import { registerCheckpointCommands } from './commands/checkpoint';
import { registerDeleteCommand } from './commands/delete';
import { registerExpandCommand } from './commands/expand';
import { registerInitCommand } from './commands/init';
import { registerListCommand } from './commands/list';
import { registerNextCommand } from './commands/next';
import { registerParseCommand } from './commands/parse';
import { registerRollbackCommand } from './commands/rollback';
import { registerRunCommand } from './commands/run';
import { registerSecurityAuditCommand } from './commands/security-audit';
import { registerServeCommand } from './commands/serve';
import { registerShowCommand } from './commands/show';
import { registerStatusCommand } from './commands/status';
import { registerTaskMasterCommands } from './commands/taskmaster';
import { registerTestCommands } from './commands/test-commands';
import { registerUpdateCommand } from './commands/update';

/** Builds the `co` command line with every command registered. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('co')
    .description('Claude Orchestrator: plan a project into a task graph and run parallel Claude workers on it')
    .version(readAppVersion(), '-V, --version')
    .option('-d, --working-dir <dir>', 'the project folder to work in (default: ORCHESTRATOR_WORKING_DIR or the current folder)')
    .configureOutput({ outputError: (text, write) => write(formatCommanderError(text)) });
  registerInitCommand(program);
  registerCheckCommand(program);
  registerStatusCommand(program);
  registerAddCommand(program);
  registerListCommand(program);
  registerShowCommand(program);
  registerUpdateCommand(program);
  registerDeleteCommand(program);
  registerNextCommand(program);
  registerParseCommand(program);
  registerExpandCommand(program);
  registerRunCommand(program);
  registerCheckpointCommands(program);
  registerRollbackCommand(program);
  registerSecurityAuditCommand(program);
  registerTaskMasterCommands(program);
  registerTestCommands(program);
  registerServeCommand(program);
  for (const command of program.commands) command.configureOutput({ outputError: (text, write) => write(formatCommanderError(text)) });
  return program;
}

/** Commander's "error: unknown option '--x'\n(Did you mean …?)" as one line: "co: unknown option '--x' (Did you mean …?) (run `co --help`)". */
export function formatCommanderError(text: string): string {
  const message = text
    .replace(/^error:\s*/i, '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
  return `co: ${message} (run \`co --help\` for usage)\n`;
}
