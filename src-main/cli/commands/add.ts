import type { Command } from 'commander';
import type { NewTaskInput } from '../../../src-shared/domain/task';
import { CliError } from '../cli-error';
import { cliAction } from '../cli-errors';
import { collect, parseIdList, parsePriority, titleFromDescription } from '../cli-options';
import { printJson } from '../output';
import { projectContext, withOrchestrator } from '../project-context';

interface AddOptions {
  readonly title?: string;
  readonly priority?: string;
  readonly dependsOn?: string;
  readonly file?: ReadonlyArray<string>;
  readonly hint?: ReadonlyArray<string>;
  /** False with --no-changes. */
  readonly changes?: boolean;
  readonly json?: boolean;
}

/** `co add "description"`: adds one task and prints its id. */
export function registerAddCommand(program: Command): void {
  program
    .command('add')
    .description('add a task; prints its id')
    .argument('<description>', 'what the task should do (its first line is the title unless --title is given)')
    .option('--title <title>', 'a short title')
    .option('--priority <priority>', 'high, medium, low, or 1-10 (10 most urgent)')
    .option('--depends-on <ids>', 'comma-separated ids of tasks that must be done first, e.g. 1,2')
    .option('--file <path>', 'a file the worker should look at (repeatable)', collect)
    .option('--hint <text>', 'a hint for the worker (repeatable)', collect)
    .option('--no-changes', 'the task needs no file changes (verification only); otherwise an attempt that changes nothing is not done')
    .option('--json', 'print the new task as JSON')
    .action(
      cliAction(async (description: string, options: AddOptions, command: Command) => {
        if (description.trim() === '') throw new CliError('the task description is empty; say what the task should do, e.g. co add "Add a login page".');
        const input: NewTaskInput = {
          title: options.title ?? titleFromDescription(description),
          description,
          ...(options.priority === undefined ? {} : { priority: parsePriority(options.priority) }),
          ...(options.dependsOn === undefined ? {} : { dependencies: [...parseIdList(options.dependsOn, '--depends-on')] }),
          ...(options.file === undefined ? {} : { contextFiles: [...options.file] }),
          ...(options.hint === undefined ? {} : { hints: [...options.hint] }),
          ...(options.changes === false ? { expectsNoChanges: true } : {}),
        };
        const context = projectContext(command);
        await withOrchestrator(context, (orchestrator) => {
          const id = orchestrator.addTask(input);
          if (options.json) printJson(orchestrator.getTask(id));
          else console.log(id);
        });
      }),
    );
}
