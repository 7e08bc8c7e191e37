import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { cliAction } from '../cli-errors';
import { printJson } from '../output';
import { projectContext } from '../project-context';

/** `co clean`: removes the worktree pool (`.orchestrator/pool`), refusing while a run holds a slot. */
export function registerCleanCommand(program: Command): void {
  program
    .command('clean')
    .description('remove the pooled attempt worktrees under .orchestrator/pool (the next run makes them again); refused while a run uses them')
    .option('--json', 'print the removed folders as JSON')
    .action(
      cliAction(async (options: { readonly json?: boolean }, command: Command) => {
        const context = projectContext(command);
        const { PoolInUseError, removePool } = await import('../../workspace/pool-maintenance');
        const removed = await removePool(context.workingDir).catch((error: unknown) => {
          if (error instanceof PoolInUseError) throw new CliError(error.message);
          throw error;
        });
        if (options.json) printJson({ removed });
        else if (removed.length === 0) console.log('Nothing to clean: there is no worktree pool.');
        else console.log(`Removed ${removed.length} pooled worktree${removed.length === 1 ? '' : 's'} (attempt branches kept): ${removed.join(', ')}`);
      }),
    );
}
