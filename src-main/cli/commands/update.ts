import type { Command } from 'commander';
import type { TaskPatchInput } from '../../../src-shared/domain/task';
import { CliError } from '../cli-error';
import { cliAction } from '../cli-errors';
import { parsePriority, parseTaskId } from '../cli-options';
import { parseAnyStatus, type TaskStatus } from '../../../src-shared/domain/task-status';
import { printJson } from '../output';
import { projectContext, withOrchestrator } from '../project-context';

interface UpdateOptions {
  readonly status?: string;
  readonly priority?: string;
  readonly title?: string;
  readonly json?: boolean;
}

/** Statuses `co update --status` accepts; the others belong to the scheduler. */
const SETTABLE = ['pending', 'done', 'failed', 'cancelled', 'deferred'] as const;

/** `co update <id>`: changes a task's status, priority or title (all or nothing). */
export function registerUpdateCommand(program: Command): void {
  program
    .command('update')
    .description('change a task: status, priority, title (all or nothing)')
    .argument('<id>', 'task id')
    .option('--status <status>', `new status: ${SETTABLE.join(', ')} (pending = run again)`)
    .option('--priority <priority>', 'high, medium, low, or 1-10')
    .option('--title <title>', 'new title')
    .option('--json', 'print the updated task as JSON')
    .action(
      cliAction(async (id: string, options: UpdateOptions, command: Command) => {
        parseTaskId(id);
        const status = options.status === undefined ? undefined : parseSettableStatus(options.status);
        const patch: TaskPatchInput = {
          ...(options.priority === undefined ? {} : { priority: parsePriority(options.priority) }),
          ...(options.title === undefined ? {} : { title: options.title }),
        };
        if (status === undefined && Object.keys(patch).length === 0) {
          throw new CliError('nothing to update: give --status, --priority or --title.');
        }
        const context = projectContext(command);
        await withOrchestrator(context, (orchestrator) => {
          orchestrator.getTask(id);
          // One transaction: a refused status leaves the other fields unchanged too.
          const task = orchestrator.store.write(() => {
            if (Object.keys(patch).length > 0) orchestrator.updateTask(id, patch);
            return status === undefined ? orchestrator.getTask(id) : orchestrator.setTaskStatus(id, status);
          });
          if (options.json) printJson(task);
          else console.log(`Task ${task.id} updated: ${task.status}, ${task.priority}, "${task.title}"`);
        });
      }),
    );
}

function parseSettableStatus(value: string): TaskStatus {
  const status = parseAnyStatus(value.trim().toLowerCase());
  if (status === undefined) throw new CliError(`--status: unknown status "${value}"; use one of ${SETTABLE.join(', ')}.`);
  if (!(SETTABLE as ReadonlyArray<string>).includes(status)) {
    throw new CliError(`--status ${status} is set by the scheduler, not by hand; use one of ${SETTABLE.join(', ')}.`);
  }
  return status;
}
