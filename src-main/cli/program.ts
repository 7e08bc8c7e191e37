import { Command } from 'commander';
import { readAppVersion } from '../host/package-root';
import { registerServeCommand } from './commands/serve';

/** Builds the `co` command line with every command registered. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('co')
    .description('Claude Orchestrator: plan a project into a task graph and run parallel Claude workers on it')
    .version(readAppVersion(), '-V, --version')
    .showHelpAfterError('(run `co --help` for usage)')
    .configureOutput({ outputError: (text, write) => write(text) });
  registerServeCommand(program);
  return program;
}
