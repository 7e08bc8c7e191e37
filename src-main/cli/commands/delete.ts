import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { cliAction } from '../cli-errors';
import { parseTaskId } from '../cli-options';
import { projectContext, withOrchestrator } from '../project-context';

/** `co delete <id>`: deletes a task (and its subtasks); refuses when others depend on it unless --force. */
export function registerDeleteCommand(program: Command): void {
  program
    .command('delete')
    .description('delete a task and its subtasks; refuses when other tasks depend on it unless --force')
    .argument('<id>', 'task id')
    .option('--force', 'delete even when other tasks depend on it (their dependency on it is dropped)')
    .action(
      cliAction(async (id: string, options: { readonly force?: boolean }, command: Command) => {
        parseTaskId(id);
        const context = projectContext(command);
        await withOrchestrator(context, (orchestrator) => {
          orchestrator.getTask(id);
          const dependents = orchestrator.store.dependencies.dependentsOf(id);
          if (dependents.length > 0 && options.force !== true) {
            const names = dependents.length === 1 ? `task ${dependents[0]} depends` : `tasks ${dependents.join(', ')} depend`;
            throw new CliError(`${names} on task ${id}; nothing was deleted. Use --force to delete it anyway (dropping those dependencies).`);
          }
          const subtasks = orchestrator.store.tasks.list({ parentId: id }).length;
          orchestrator.deleteTask(id, { force: options.force === true });
          const extra = [subtasks > 0 ? `${subtasks} subtask(s)` : '', dependents.length > 0 ? `dependencies of ${dependents.join(', ')} on it dropped` : '']
            .filter((part) => part !== '')
            .join('; ');
          console.log(`Deleted task ${id}${extra ? ` (${extra})` : ''}.`);
        });
      }),
    );
}
