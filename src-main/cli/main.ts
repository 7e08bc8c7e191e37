import { CommanderError } from 'commander';
import { buildProgramFor } from './command-table';
import { CliError } from './cli-error';

/** Entry of the `co` executable: runs the program and turns errors into one clear line and an exit code. */
async function main(argv: ReadonlyArray<string>): Promise<void> {
  const program = (await buildProgramFor(argv.slice(2))).exitOverride();
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (error instanceof CliError) {
      console.error(`co: ${error.message}`);
      process.exitCode = error.exitCode;
      return;
    }
    // Loaded only here: an unexpected error may quote a token (GitHub's, the API key) that must not be printed.
    const { redactSecrets } = await import('../workspace/redact');
    console.error(`co: unexpected error: ${redactSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error))}`);
    process.exitCode = 70;
  }
}

/**
 * A reader that stops early (`co list --json | head`) closes the pipe: the rest of the output is
 * dropped and the command finishes as usual (a run keeps running), rather than crashing on EPIPE.
 */
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

void main(process.argv);
