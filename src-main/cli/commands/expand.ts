import type { Command } from 'commander';
import { cliAction } from '../cli-errors';
import { formatTable, printJson, truncate } from '../output';
import { projectContext, requireInitialisedProject } from '../project-context';

/**
 * `co expand <id>`: the manager splits a task into subtasks "<id>.1…". The subtasks inherit the
 * task's dependencies, and the task then depends on its subtasks (it becomes their integration step).
 */
export function registerExpandCommand(program: Command): void {
  program
    .command('expand')
    .description('split a task into subtasks with the manager')
    .argument('<id>', 'the task to split')
    .option('--dry-run', 'show the proposed subtasks without adding them')
    .option('--json', 'print the subtasks as JSON')
    .action(
      cliAction(async (id: string, options: { dryRun?: boolean; json?: boolean }, command: Command) => {
        const context = projectContext(command);
        requireInitialisedProject(context.workingDir);
        const { openProjectRuntime } = await import('../../runtime/project-runtime');
        const { expandTaskIntoSubtasks } = await import('../../runtime/expand-task');
        const runtime = await openProjectRuntime({ projectDir: context.workingDir });
        try {
          const { parent, subtasks, notes } = await expandTaskIntoSubtasks(runtime, id, { dryRun: options.dryRun === true });
          if (options.json === true) {
            printJson({ dryRun: options.dryRun === true, parent, subtasks, notes });
            return;
          }
          console.log(formatTable(['ID', 'DEPS', 'TITLE'], subtasks.map((subtask) => [subtask.id ?? '', (subtask.dependencies ?? []).join(',') || '-', truncate(subtask.title, 80)])));
          for (const note of notes) console.log(`note: ${note.message}`);
          console.log(options.dryRun === true ? `Dry run: ${subtasks.length} subtasks proposed, nothing added.` : `Added ${subtasks.length} subtasks to task ${parent}; it now runs after them.`);
        } finally {
          await runtime.close();
        }
      }),
    );
}
