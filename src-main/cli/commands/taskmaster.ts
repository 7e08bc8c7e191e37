import type { Command } from 'commander';
import { TaskMasterFormatError } from '../../../src-shared/interop/taskmaster';
import { TaskMasterSyncError, exportTaskMaster, importTaskMaster, taskMasterFilePath } from '../../project/taskmaster-sync';
import { CliError } from '../cli-error';
import { cliAction } from '../cli-errors';
import { printJson } from '../output';
import { projectContext, withOrchestrator } from '../project-context';

interface ImportOptions {
  readonly tag: string;
  readonly replace?: boolean;
  readonly json?: boolean;
}

/** `co import-taskmaster [path]` and `co export-taskmaster [path]`: move to and from Task Master's tasks.json. */
export function registerTaskMasterCommands(program: Command): void {
  program
    .command('import-taskmaster')
    .description("import Task Master's .taskmaster/tasks/tasks.json (tasks, subtasks as parent.sub, dependencies, statuses)")
    .argument('[path]', 'the tasks.json, or a project folder holding .taskmaster/tasks/tasks.json (default: the working directory)')
    .option('--tag <tag>', 'which tag of a tagged file to import', 'master')
    .option('--replace', "replace all of this project's tasks instead of refusing when ids clash")
    .option('--json', 'print the summary as JSON')
    .action(
      cliAction(async (given: string | undefined, options: ImportOptions, command: Command) => {
        const context = projectContext(command);
        const file = taskMasterFilePath(context.workingDir, given);
        await withOrchestrator(context, async (orchestrator) => {
          const summary = await mapSyncErrors(file, () => importTaskMaster(orchestrator, file, { tag: options.tag, replace: options.replace === true }));
          if (options.json) printJson(summary);
          else console.log(`Imported ${summary.tasks} tasks and ${summary.subtasks} subtasks from ${file}${summary.replaced > 0 ? ` (replacing ${summary.replaced})` : ''}.`);
        });
      }),
    );

  program
    .command('export-taskmaster')
    .description("write the tasks to Task Master's .taskmaster/tasks/tasks.json (other tags in the file are kept)")
    .argument('[path]', 'the tasks.json to write, or a project folder (default: the working directory)')
    .option('--tag <tag>', 'which tag to write', 'master')
    .option('--json', 'print the summary as JSON')
    .action(
      cliAction(async (given: string | undefined, options: { readonly tag: string; readonly json?: boolean }, command: Command) => {
        const context = projectContext(command);
        const file = taskMasterFilePath(context.workingDir, given);
        await withOrchestrator(context, async (orchestrator) => {
          const summary = await mapSyncErrors(file, () => exportTaskMaster(orchestrator, file, { tag: options.tag }));
          if (options.json) printJson(summary);
          else console.log(`Exported ${summary.tasks} tasks (with their subtasks) to ${file}.`);
        });
      }),
    );
}

async function mapSyncErrors<T>(file: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TaskMasterSyncError) throw new CliError(error.message);
    if (error instanceof TaskMasterFormatError) {
      throw new CliError(error.message.startsWith(file) ? error.message : `${file}: ${error.message}; nothing was changed.`);
    }
    throw error;
  }
}
