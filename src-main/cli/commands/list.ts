import type { Command } from 'commander';
import type { Task } from '../../../src-shared/domain/task';
import { cliAction } from '../cli-errors';
import { parseStatusList } from '../cli-options';
import { formatTable, printJson } from '../output';
import { storeContext, withStore } from '../store-context';

interface ListOptions {
  readonly filterStatus?: string;
  readonly showSubtasks?: boolean;
  readonly json?: boolean;
}

/** `co list`: the task table (id, status, priority, deps, title). */
export function registerListCommand(program: Command): void {
  program
    .command('list')
    .description('list tasks: id, status, priority, dependencies, title')
    .option('--filter-status <statuses>', 'only these statuses (comma-separated), e.g. ready,pending')
    .option('--show-subtasks', 'include subtasks (indented under their parent)')
    .option('--json', 'print the tasks as a JSON array')
    .action(
      cliAction(async (options: ListOptions, command: Command) => {
        const statuses = options.filterStatus === undefined ? undefined : parseStatusList(options.filterStatus, '--filter-status');
        const context = await storeContext(command);
        await withStore(context, (store) => {
          const tasks = store.tasks
            .list(statuses ? { statuses } : {})
            .filter((task) => options.showSubtasks === true || task.parentId === null);
          if (options.json) {
            printJson(tasks);
            return;
          }
          if (tasks.length === 0) {
            console.log(statuses ? `No tasks with status ${statuses.join(' or ')}.` : 'No tasks yet. Add one with `co add "description"`.');
            return;
          }
          console.log(formatTaskTable(tasks));
        });
      }),
    );
}

/** The compact aligned table of `co list`. */
export function formatTaskTable(tasks: ReadonlyArray<Task>): string {
  const rows = tasks.map((task) => [
    task.parentId === null ? task.id : `  ${task.id}`,
    task.status,
    task.priority,
    task.dependencies.length === 0 ? '-' : task.dependencies.join(','),
    task.title,
  ]);
  return formatTable(['ID', 'STATUS', 'PRIORITY', 'DEPS', 'TITLE'], rows);
}
