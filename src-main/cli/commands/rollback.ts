import type { Command } from 'commander';
import type { RollbackRequest } from '../../workspace/rollback';
import { StoreTaskSnapshotSource } from '../../project/task-snapshot-source';
import { CliError } from '../cli-error';
import { cliAction } from '../cli-errors';
import { parseIdList } from '../cli-options';
import { printJson } from '../output';
import { projectContext, withOrchestrator } from '../project-context';
import { requireGitRepository } from './checkpoint';

interface RollbackOptions {
  readonly strategy: string;
  readonly tasks?: string;
  readonly json?: boolean;
}

const STRATEGIES = ['full', 'partial', 'selective'] as const;

/** `co rollback <id>`: back to a checkpoint (full, partial or selective); a safety checkpoint makes it undoable. */
export function registerRollbackCommand(program: Command): void {
  program
    .command('rollback')
    .description('roll back to a checkpoint: full (files + tasks), partial (files; tasks done since go back to pending), selective (only the files of --tasks)')
    .argument('<checkpoint-id>', 'a checkpoint id from `co list-checkpoints`')
    .option('--strategy <strategy>', 'full, partial or selective', 'full')
    .option('--tasks <ids>', 'selective only: comma-separated task ids whose changes to undo')
    .option('--json', 'print the result as JSON')
    .action(
      cliAction(async (checkpointId: string, options: RollbackOptions, command: Command) => {
        const request = rollbackRequest(checkpointId, options);
        const context = projectContext(command);
        await requireGitRepository(context.workingDir);
        const [{ getCheckpoint }, { rollback }] = await Promise.all([import('../../workspace/checkpoints'), import('../../workspace/rollback')]);
        const checkpoint = await getCheckpoint(context.workingDir, checkpointId).catch(() => null);
        if (checkpoint === null) throw new CliError(`checkpoint "${checkpointId}" does not exist; run \`co list-checkpoints\` to see the ids.`);
        await withOrchestrator(context, async (orchestrator) => {
          if (request.strategy === 'SELECTIVE') for (const id of request.taskIds) orchestrator.getTask(id);
          const running = orchestrator.store.tasks.list({ statuses: ['claimed', 'in_progress', 'review'] });
          if (running.length > 0) throw new CliError(`tasks ${running.map((task) => task.id).join(', ')} are running; stop the run before rolling back.`);
          const result = await rollback(context.workingDir, request, new StoreTaskSnapshotSource(orchestrator.store));
          // Recorded as feedback: the user undid these tasks' work.
          orchestrator.announceTasksReset('rollback', request.strategy === 'SELECTIVE' ? request.taskIds : result.tasksResetToPending);
          if (options.json) {
            printJson(result);
            return;
          }
          console.log(`Rolled back (${result.strategy.toLowerCase()}) to checkpoint ${result.checkpointId}.`);
          console.log(`  files restored: ${result.restoredFiles.length}, files removed: ${result.deletedFiles.length}`);
          if (result.tasksRestored) console.log('  task table restored from the checkpoint');
          if (result.tasksResetToPending.length > 0) console.log(`  tasks back to pending: ${result.tasksResetToPending.join(', ')}`);
          if (result.headMovedSinceCheckpoint) console.log('  note: commits made since the checkpoint stay on your branch (rollback never moves branches)');
          console.log(`Undo with: co rollback ${result.safetyCheckpointId}`);
        });
      }),
    );
}

function rollbackRequest(checkpointId: string, options: RollbackOptions): RollbackRequest {
  const strategy = options.strategy.toLowerCase();
  if (!(STRATEGIES as ReadonlyArray<string>).includes(strategy)) {
    throw new CliError(`--strategy must be one of ${STRATEGIES.join(', ')}; got "${options.strategy}".`);
  }
  if (strategy === 'selective') {
    if (options.tasks === undefined) throw new CliError('--strategy selective needs --tasks, e.g. --tasks 3,4.');
    return { strategy: 'SELECTIVE', checkpointId, taskIds: parseIdList(options.tasks, '--tasks') };
  }
  if (options.tasks !== undefined) throw new CliError(`--tasks only applies to --strategy selective (got --strategy ${strategy}).`);
  return strategy === 'full' ? { strategy: 'FULL', checkpointId } : { strategy: 'PARTIAL', checkpointId };
}
