import type { Command } from 'commander';
import { cliAction } from '../cli-errors';
import { formatTable, printJson, truncate } from '../output';
import { projectContext, requireInitialisedProject } from '../project-context';
import { readPrdFile } from '../prd-file';

/** `co parse <file>`: the manager turns a PRD into tasks with dependencies; `--dry-run` previews without storing. */
export function registerParseCommand(program: Command): void {
  program
    .command('parse')
    .description('turn a PRD (Markdown or text) into tasks with dependencies, acceptance criteria and test strategy')
    .argument('<file>', 'the PRD file')
    .option('--dry-run', 'show the proposed tasks without adding them')
    .option('--json', 'print the plan as JSON')
    .action(
      cliAction(async (file: string, options: { dryRun?: boolean; json?: boolean }, command: Command) => {
        const context = projectContext(command);
        requireInitialisedProject(context.workingDir);
        const text = await readPrdFile(context.workingDir, file);
        const { openProjectRuntime } = await import('../../runtime/project-runtime');
        const { planTasksFromPrd } = await import('../../runtime/plan-prd');
        const runtime = await openProjectRuntime({ projectDir: context.workingDir });
        try {
          const { plan, tasks, ids } = await planTasksFromPrd(runtime, text, { dryRun: options.dryRun === true });
          if (options.json === true) {
            printJson({ dryRun: options.dryRun === true, tasks, notes: plan.notes, modelNotes: plan.modelNotes ?? null, costUsd: plan.costUsd });
            return;
          }
          console.log(
            formatTable(
              ['ID', 'PRIORITY', 'DEPS', 'TITLE'],
              tasks.map((task, index) => [ids[index] ?? '', String(task.priority ?? 'medium'), (task.dependencies ?? []).join(',') || '-', truncate(task.title, 80)]),
            ),
          );
          for (const note of plan.notes) console.log(`note: ${note.message}`);
          console.log(
            options.dryRun === true
              ? `Dry run: ${tasks.length} tasks proposed, nothing added. Run without --dry-run to add them.`
              : `Added ${tasks.length} tasks from ${file}. Next: \`co list\`, then \`co run\`.`,
          );
        } finally {
          await runtime.close();
        }
      }),
    );
}
