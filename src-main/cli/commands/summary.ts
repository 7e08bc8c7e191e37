import type { Command } from 'commander';
import type { Store } from '../../store/store';
import { CliError } from '../cli-error';
import { cliAction } from '../cli-errors';
import { printJson } from '../output';
import { projectContext, withOrchestrator, withStore } from '../project-context';

interface SummaryOptions {
  readonly run?: string;
  readonly json?: boolean;
  readonly acceptFollowUps?: boolean;
  readonly discardFollowUps?: boolean;
}

/** `co summary`: a run's summary (the newest finished run's by default), and the decision on its proposed follow-up tasks. */
export function registerSummaryCommand(program: Command): void {
  program
    .command('summary')
    .description("a run's summary: what was done, what failed and why, cost, time and the final review (default: the newest finished run)")
    .option('--run <id>', 'the run (its id, or the first characters of it as `co run` prints them)')
    .option('--accept-follow-ups', "add the follow-up tasks the run's final review proposed")
    .option('--discard-follow-ups', "drop the follow-up tasks the run's final review proposed")
    .option('--json', 'print the summary as JSON')
    .action(
      cliAction(async (options: SummaryOptions, command: Command) => {
        if (options.acceptFollowUps === true && options.discardFollowUps === true) throw new CliError('choose one of --accept-follow-ups and --discard-follow-ups.');
        const context = projectContext(command);
        const { summaryOfRun } = await import('../../feedback/run-summary');
        const decision = options.acceptFollowUps === true ? 'accept' : options.discardFollowUps === true ? 'discard' : null;
        const summary =
          decision === null
            ? await withStore(context, (store) => {
                const runId = chosenRun(store, options.run);
                return runId === null ? null : (summaryOfRun(store, runId) ?? null);
              })
            : await withOrchestrator(context, async (orchestrator) => {
                const runId = chosenRun(orchestrator.store, options.run);
                if (runId === null) throw new CliError('no run has finished yet; there are no follow-up tasks to decide on.');
                const { decideFollowUps } = await import('../../pipeline/follow-ups');
                return decideFollowUps(orchestrator.store, (tasks) => orchestrator.addTasksBatch(tasks), runId, decision);
              });
        if (options.json) {
          printJson(summary);
          return;
        }
        if (summary === null) {
          console.log('No run has finished yet. Start one with `co run`.');
          return;
        }
        console.log(summary.text);
      }),
    );
}

/** The run a command means: the one named (by id or unique prefix), else the newest finished one; null when there is none. */
function chosenRun(store: Store, named: string | undefined): string | null {
  const runs = store.runs.list(1_000);
  if (named === undefined) return runs.find((run) => run.status !== 'running')?.id ?? null;
  const matches = runs.filter((run) => run.id === named || run.id.startsWith(named));
  if (matches.length === 1) return (matches[0] as (typeof matches)[number]).id;
  if (matches.length === 0) throw new CliError(`no run "${named}"; \`co summary\` without --run shows the newest finished run.`);
  throw new CliError(`"${named}" names ${matches.length} runs; give more of the run id.`);
}
