import type { Command } from 'commander';
import type { Checkpoint } from '../../workspace/checkpoints';
import { StoreTaskSnapshotSource } from '../../project/task-snapshot-source';
import { CliError } from '../cli-error';
import { cliAction } from '../cli-errors';
import { formatTable, printJson, truncate } from '../output';
import { projectContext, withOrchestrator } from '../project-context';

/** `co checkpoint "desc"` and `co list-checkpoints`. */
export function registerCheckpointCommands(program: Command): void {
  program
    .command('checkpoint')
    .description('record the whole working tree (untracked files too) and the task table, without touching your branches or index')
    .argument('<description>', 'what this checkpoint is for')
    .option('--json', 'print the checkpoint as JSON')
    .action(
      cliAction(async (description: string, options: { readonly json?: boolean }, command: Command) => {
        const context = projectContext(command);
        await requireGitRepository(context.workingDir);
        await withOrchestrator(context, async (orchestrator) => {
          const taskSnapshot = new StoreTaskSnapshotSource(orchestrator.store).snapshotTasks();
          const { createCheckpoint } = await import('../../workspace/checkpoints');
          const checkpoint = await createCheckpoint(context.workingDir, { description, kind: 'manual', taskSnapshot });
          if (options.json) printJson(checkpoint);
          else console.log(`Checkpoint ${checkpoint.id} created (${taskSnapshot.tasks.length} tasks). Roll back with: co rollback ${checkpoint.id}`);
        });
      }),
    );

  program
    .command('list-checkpoints')
    .description('list checkpoints, newest first')
    .option('--json', 'print the checkpoints as JSON')
    .action(
      cliAction(async (options: { readonly json?: boolean }, command: Command) => {
        const context = projectContext(command);
        await requireGitRepository(context.workingDir);
        const { listCheckpoints } = await import('../../workspace/checkpoints');
        const checkpoints = await listCheckpoints(context.workingDir);
        if (options.json) printJson(checkpoints);
        else if (checkpoints.length === 0) console.log('No checkpoints yet. Make one with `co checkpoint "description"`.');
        else console.log(formatCheckpoints(checkpoints));
      }),
    );
}

/** Checkpoints need a git repository at the working directory's top level. */
export async function requireGitRepository(workingDir: string): Promise<void> {
  const { isGitRepository } = await import('../../workspace/layout');
  if (!(await isGitRepository(workingDir))) {
    throw new CliError(`${workingDir} is not the top folder of a git repository; checkpoints need one (git init && git add -A && git commit -m "Initial commit").`);
  }
}

function formatCheckpoints(checkpoints: ReadonlyArray<Checkpoint>): string {
  return formatTable(
    ['ID', 'KIND', 'CREATED', 'DESCRIPTION'],
    checkpoints.map((checkpoint) => [
      checkpoint.id,
      checkpoint.kind,
      checkpoint.createdAt.toISOString().replace('T', ' ').slice(0, 19),
      truncate(checkpoint.description.split('\n')[0] ?? '', 80),
    ]),
  );
}
