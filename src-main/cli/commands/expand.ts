import type { Command } from 'commander';
import { CliError } from '../cli-error';
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
        const { planToNewTasks } = await import('../../runtime/plan-import');
        const runtime = await openProjectRuntime({ projectDir: context.workingDir });
        try {
          const { orchestrator } = runtime;
          const task = orchestrator.getTask(id);
          const existing = orchestrator.listTasks({ parentId: task.id });
          if (existing.length > 0) {
            throw new CliError(`task ${task.id} already has subtasks (${existing.map((sub) => sub.id).join(', ')}); delete them first to expand it again.`);
          }
          if (task.status !== 'pending' && task.status !== 'ready' && task.status !== 'deferred') {
            throw new CliError(`task ${task.id} is ${task.status}; only tasks that have not started can be expanded.`);
          }
          const plan = await runtime.manager().expandTask(task, { lessons: runtime.planningLessons() });
          const subtasks = planToNewTasks(plan.tasks, 0, task.id).map((subtask) => ({
            ...subtask,
            dependencies: [...(subtask.dependencies ?? []), ...task.dependencies],
          }));
          if (options.dryRun !== true) {
            const ids = orchestrator.addTasksBatch(subtasks);
            orchestrator.updateTask(task.id, { dependencies: [...task.dependencies, ...ids] });
          }
          if (options.json === true) {
            printJson({ dryRun: options.dryRun === true, parent: task.id, subtasks, notes: plan.notes });
            return;
          }
          console.log(formatTable(['ID', 'DEPS', 'TITLE'], subtasks.map((subtask) => [subtask.id ?? '', (subtask.dependencies ?? []).join(',') || '-', truncate(subtask.title, 80)])));
          for (const note of plan.notes) console.log(`note: ${note.message}`);
          console.log(options.dryRun === true ? `Dry run: ${subtasks.length} subtasks proposed, nothing added.` : `Added ${subtasks.length} subtasks to task ${task.id}; it now runs after them.`);
        } finally {
          await runtime.close();
        }
      }),
    );
}
