import type { Command } from 'commander';
import { cliAction } from '../cli-errors';
import { printJson } from '../output';
import { noReadyTaskMessage, pickNextReadyTask } from '../../project/next-task';
import { projectContext, withOrchestrator } from '../project-context';

/** `co next`: the task a worker would pick next (not claimed). */
export function registerNextCommand(program: Command): void {
  program
    .command('next')
    .description('show the next ready task by the scheduler’s ranking (critical path, priority, id), without claiming it')
    .option('--json', 'print the task as JSON (null when none is ready)')
    .action(
      cliAction(async (options: { readonly json?: boolean }, command: Command) => {
        const context = projectContext(command);
        await withOrchestrator(context, (orchestrator) => {
          const next = pickNextReadyTask(orchestrator.listTasks({ statuses: ['ready'] }), Date.now());
          if (options.json) {
            printJson(next);
            return;
          }
          if (next === null) {
            const counts = orchestrator.store.tasks.countByStatus();
            console.log(noReadyTaskMessage(counts));
            return;
          }
          console.log(`Next: task ${next.id} [${next.priority}] ${next.title}`);
          if (next.description.trim() !== '' && next.description.trim() !== next.title) console.log(next.description.trim());
        });
      }),
    );
}
