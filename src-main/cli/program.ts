import type { Command } from 'commander';
import { registerAddCommand } from './commands/add';
import { registerCheckCommand } from './commands/check';
import { registerChecksCommand } from './commands/checks';
import { registerCheckpointCommands } from './commands/checkpoint';
import { registerCleanCommand } from './commands/clean';
import { registerDeleteCommand } from './commands/delete';
import { registerExpandCommand } from './commands/expand';
import { registerGitHubCommands } from './commands/github';
import { registerInitCommand } from './commands/init';
import { registerInsightsCommands } from './commands/insights';
import { registerIntegrateCommand } from './commands/integrate';
import { registerListCommand } from './commands/list';
import { registerMcpCommand } from './commands/mcp';
import { registerNextCommand } from './commands/next';
import { registerParseCommand } from './commands/parse';
import { registerRollbackCommand } from './commands/rollback';
import { registerRunCommand } from './commands/run';
import { registerSecurityAuditCommand } from './commands/security-audit';
import { registerServeCommand } from './commands/serve';
import { registerShowCommand } from './commands/show';
import { registerStatusCommand } from './commands/status';
import { registerSummaryCommand } from './commands/summary';
import { registerTaskMasterCommands } from './commands/taskmaster';
import { registerTestCommands } from './commands/test-commands';
import { registerUpdateCommand } from './commands/update';
import { registerWorkerProtocolCommands } from './commands/worker-protocol';
import { createRootProgram, finishProgram } from './root-program';

export { formatCommanderError } from './root-program';

/**
 * Builds the `co` command line with every command registered, in the order `co --help` lists them.
 * The executable loads this only for help and unknown commands; a named command loads just its own
 * module (see command-table.ts).
 */
export function buildProgram(): Command {
  const program = createRootProgram();
  registerInitCommand(program);
  registerCheckCommand(program);
  registerChecksCommand(program);
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
  registerIntegrateCommand(program);
  registerCleanCommand(program);
  registerSummaryCommand(program);
  registerInsightsCommands(program);
  registerWorkerProtocolCommands(program);
  registerCheckpointCommands(program);
  registerRollbackCommand(program);
  registerSecurityAuditCommand(program);
  registerTaskMasterCommands(program);
  registerTestCommands(program);
  registerGitHubCommands(program);
  registerServeCommand(program);
  registerMcpCommand(program);
  return finishProgram(program);
}
