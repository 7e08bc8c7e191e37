import type { Command } from 'commander';
import type { CheckpointRetention, KeptBecause, RetainedCheckpoint } from '../../workspace/checkpoint-retention';
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
          const [{ createCheckpoint }, { retentionFromConfig }] = await Promise.all([import('../../workspace/checkpoints'), import('../../workspace/checkpoint-retention')]);
          const retention = retentionFromConfig(context.config.checkpoints);
          const checkpoint = await createCheckpoint(context.workingDir, { description, kind: 'manual', taskSnapshot, retention });
          if (options.json) printJson(checkpoint);
          else console.log(`Checkpoint ${checkpoint.id} created (${taskSnapshot.tasks.length} tasks). Roll back with: co rollback ${checkpoint.id}`);
        });
      }),
    );

  program
    .command('list-checkpoints')
    .description('list checkpoints, newest first, with why the retention policy (config: checkpoints) keeps each')
    .option('--json', 'print the checkpoints as JSON')
    .action(
      cliAction(async (options: { readonly json?: boolean }, command: Command) => {
        const context = projectContext(command);
        await requireGitRepository(context.workingDir);
        const [{ listCheckpoints }, { describeRetention, retentionFromConfig, retentionOf }] = await Promise.all([
          import('../../workspace/checkpoints'),
          import('../../workspace/checkpoint-retention'),
        ]);
        const policy = retentionFromConfig(context.config.checkpoints);
        const retained = retentionOf(await listCheckpoints(context.workingDir), policy, new Date());
        if (options.json) printJson(retained.map(({ checkpoint, keptBecause }) => ({ ...checkpoint, keptBecause })));
        else if (retained.length === 0) console.log('No checkpoints yet. Make one with `co checkpoint "description"`.');
        else console.log(`${formatCheckpoints(retained, policy)}\n${describeRetention(policy)}`);
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

/** Why a checkpoint is kept, in the policy's own numbers: "last 50", "30 days", "undo". */
function keptWord(reason: KeptBecause, policy: CheckpointRetention): string {
  switch (reason) {
    case 'newest':
      return `last ${policy.keepLast}`;
    case 'recent':
      return `${policy.keepDays} days`;
    case 'undo':
      return 'undo';
  }
}

function formatCheckpoints(retained: ReadonlyArray<RetainedCheckpoint>, policy: CheckpointRetention): string {
  return formatTable(
    ['ID', 'KIND', 'CREATED', 'KEPT', 'DESCRIPTION'],
    retained.map(({ checkpoint, keptBecause }) => [
      checkpoint.id,
      checkpoint.kind,
      checkpoint.createdAt.toISOString().replace('T', ' ').slice(0, 19),
      keptBecause.length === 0 ? 'pruned next' : keptBecause.map((reason) => keptWord(reason, policy)).join(', '),
      truncate(checkpoint.description.split('\n')[0] ?? '', 80),
    ]),
  );
}
