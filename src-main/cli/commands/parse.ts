import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { decodePrdBytes } from '../../../src-shared/domain/prd-text';
import { CliError } from '../cli-error';
import { cliAction } from '../cli-errors';
import { formatTable, printJson, truncate } from '../output';
import { projectContext, requireInitialisedProject } from '../project-context';

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
        const path = resolve(context.workingDir, file);
        const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
          throw new CliError(error.code === 'ENOENT' ? `no file ${path}; give the path of your PRD.` : `cannot read ${path} (${error.code ?? String(error)}).`);
        });
        // Refused before any model call, with nothing stored: binary, not UTF-8, empty or too long.
        const decoded = decodePrdBytes(bytes, path);
        if ('problem' in decoded) throw new CliError(decoded.problem);
        const text = decoded.text;
        const { openProjectRuntime } = await import('../../runtime/project-runtime');
        const { planToNewTasks } = await import('../../runtime/plan-import');
        const runtime = await openProjectRuntime({ projectDir: context.workingDir });
        try {
          const plan = await runtime.manager().parsePrd(text, { lessons: runtime.planningLessons() });
          const tasks = planToNewTasks(plan.tasks, runtime.orchestrator.store.tasks.maxNumericId());
          const ids = options.dryRun === true ? tasks.map((task) => task.id ?? '') : runtime.orchestrator.addTasksBatch(tasks);
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
