import type { Command } from 'commander';
import type { RollbackRequest, RollbackResult } from '../../workspace/rollback';
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
  readonly undo?: boolean;
  readonly json?: boolean;
}

const STRATEGIES = ['full', 'partial', 'selective'] as const;
const UNDO_COMMAND = 'co rollback --undo';

/** `co rollback <id>`: back to a checkpoint (full, partial or selective); `co rollback --undo` undoes the last rollback. */
export function registerRollbackCommand(program: Command): void {
  program
    .command('rollback')
    .description(
      'roll back to a checkpoint: full (files + tasks), partial (files; tasks done since go back to pending), selective (undo only the changes of --tasks, keeping later edits); --undo undoes the last rollback',
    )
    .argument('[checkpoint-id]', 'a checkpoint id from `co list-checkpoints` (not with --undo)')
    .option('--strategy <strategy>', 'full, partial or selective', 'full')
    .option('--tasks <ids>', 'selective only: comma-separated task ids whose changes to undo')
    .option('--undo', 'undo the last rollback: files and tasks (removed ones included) as they were just before it')
    .option('--json', 'print the result as JSON')
    .action(
      cliAction(async (checkpointId: string | undefined, options: RollbackOptions, command: Command) => {
        // Options are checked before anything else, so a wrong one is reported whatever the folder holds.
        const named = options.undo === true ? checkUndoOptions(checkpointId, options) : rollbackRequest(checkpointId, options);
        const context = projectContext(command);
        await requireGitRepository(context.workingDir);
        const [{ getCheckpoint, listCheckpoints }, { rollback }, { retentionFromConfig }] = await Promise.all([
          import('../../workspace/checkpoints'),
          import('../../workspace/rollback'),
          import('../../workspace/checkpoint-retention'),
        ]);
        let request: RollbackRequest;
        if (named === null) {
          const checkpoints = await listCheckpoints(context.workingDir);
          const lastIndex = checkpoints.findIndex((checkpoint) => checkpoint.kind === 'rollback');
          const last = checkpoints[lastIndex];
          if (last === undefined) throw new CliError('there is no rollback to undo; `co list-checkpoints` shows the checkpoints there are.');
          request = { strategy: 'FULL', checkpointId: last.id };
          if (!options.json) {
            console.log(`Undoing the rollback of ${last.createdAt.toISOString().replace('T', ' ').slice(0, 19)} (${last.description}).`);
            // Newer checkpoints (a run since, say) mean their work is undone too; the new safety checkpoint keeps it.
            if (lastIndex > 0) console.log(`  note: ${lastIndex} checkpoint${lastIndex === 1 ? ' was' : 's were'} made since that rollback; what changed since is undone too, and kept in the new safety checkpoint.`);
          }
        } else {
          request = named;
          const checkpoint = await getCheckpoint(context.workingDir, request.checkpointId).catch(() => null);
          if (checkpoint === null) throw new CliError(`checkpoint "${request.checkpointId}" does not exist; run \`co list-checkpoints\` to see the ids.`);
        }
        await withOrchestrator(context, async (orchestrator) => {
          if (request.strategy === 'SELECTIVE') for (const id of request.taskIds) orchestrator.getTask(id);
          const running = orchestrator.store.tasks.list({ statuses: ['claimed', 'in_progress', 'review'] });
          if (running.length > 0) throw new CliError(`tasks ${running.map((task) => task.id).join(', ')} are running; stop the run before rolling back.`);
          const source = new StoreTaskSnapshotSource(orchestrator.store);
          const result = await rollback(context.workingDir, request, source, { retention: retentionFromConfig(context.config.checkpoints) });
          // Recorded as feedback: the user undid these tasks' work.
          orchestrator.announceTasksReset('rollback', request.strategy === 'SELECTIVE' ? request.taskIds : result.tasksResetToPending);
          if (options.json) printJson({ ...result, undoCommand: UNDO_COMMAND });
          else printResult(result);
        });
      }),
    );
}

function printResult(result: RollbackResult): void {
  console.log(`Rolled back (${result.strategy.toLowerCase()}) to checkpoint ${result.checkpointId}.`);
  console.log(`  files restored: ${result.restoredFiles.length}, files removed: ${result.deletedFiles.length}`);
  if (result.keptIgnoredFiles.length > 0) console.log(`  left in place (ignored by .gitignore, not in the checkpoint): ${result.keptIgnoredFiles.join(', ')}`);
  if (result.tasksRestored) console.log('  task table restored from the checkpoint');
  if (result.tasksResetToPending.length > 0) console.log(`  tasks back to pending: ${result.tasksResetToPending.join(', ')}`);
  for (const note of result.notes) console.log(`  note: ${note}`);
  if (result.unrevertedFiles.length > 0) {
    console.log(`  not undone (left exactly as they are; undo by hand if you want):`);
    for (const file of result.unrevertedFiles) {
      const hunks = file.hunks.length > 0 ? `; hunks ${file.hunks.join(', ')}` : '';
      console.log(`    ${file.path} (task ${file.taskId}): ${file.reason}${hunks}. See the task's change: ${file.showCommand}`);
    }
  }
  if (result.headMovedSinceCheckpoint) console.log('  note: commits made since the checkpoint stay on your branch (rollback never moves branches)');
  console.log(`Everything this changed is in safety checkpoint ${result.safetyCheckpointId}. Undo with: ${UNDO_COMMAND}`);
}

/** `--undo` stands alone; null means "the last rollback's safety checkpoint", looked up later. */
function checkUndoOptions(checkpointId: string | undefined, options: RollbackOptions): null {
  if (checkpointId !== undefined || options.tasks !== undefined || options.strategy.toLowerCase() !== 'full') {
    throw new CliError('--undo takes no checkpoint id, --strategy or --tasks: it rolls back (full) to the safety checkpoint of the last rollback.');
  }
  return null;
}

function rollbackRequest(checkpointId: string | undefined, options: RollbackOptions): RollbackRequest {
  if (checkpointId === undefined) throw new CliError('name a checkpoint id from `co list-checkpoints`, or pass --undo to undo the last rollback.');
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
