import { Command } from 'commander';
import { readAppVersion } from '../host/package-root';

/** The `co` program without its commands: name, description, version and the global options. */
export function createRootProgram(): Command {
  return new Command()
    .name('co')
    .description('Claude Orchestrator: plan a project into a task graph and run parallel Claude workers on it')
    .version(readAppVersion(), '-V, --version')
    .option('-d, --working-dir <dir>', 'the project folder to work in (default: ORCHESTRATOR_WORKING_DIR or the current folder)')
    .configureOutput({ outputError: (text, write) => write(formatCommanderError(text)) });
}

/** Gives every registered command the one-line error format of the root program. */
export function finishProgram(program: Command): Command {
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
