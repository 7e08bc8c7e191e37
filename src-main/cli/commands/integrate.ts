import type { Command } from 'commander';
import { cliAction } from '../cli-errors';
import { printJson } from '../output';
import { projectContext, requireInitialisedProject } from '../project-context';

/** `co integrate`: brings finished work kept on run branches into the current branch. */
export function registerIntegrateCommand(program: Command): void {
  program
    .command('integrate')
    .description("merge finished work kept on run branches (a merge into your branch was refused) into your current branch")
    .option('--json', 'print what was done as JSON')
    .action(
      cliAction(async (options: { readonly json?: boolean }, command: Command) => {
        const context = projectContext(command);
        requireInitialisedProject(context.workingDir);
        const { openProjectRuntime } = await import('../../runtime/project-runtime');
        const runtime = await openProjectRuntime({ projectDir: context.workingDir, secretStore: null });
        try {
          for (const line of runtime.recovery.lines) if (!options.json) console.log(line);
          const reports = await runtime.integrateKept();
          const left = runtime.unintegrated().filter((integration) => integration.status === 'kept');
          if (options.json) {
            printJson({ integrated: reports.filter((report) => report.status === 'integrated').map((report) => report.runId), kept: left });
          } else if (reports.length === 0) {
            console.log('Nothing to integrate: no finished work is waiting on a run branch.');
          } else {
            for (const report of reports) {
              if (report.status === 'integrated') console.log(`Run ${report.runId}: merged into your current branch.`);
              for (const line of report.lines) console.log(line);
            }
          }
          if (left.length > 0) process.exitCode = 1;
        } finally {
          await runtime.close();
        }
      }),
    );
}
