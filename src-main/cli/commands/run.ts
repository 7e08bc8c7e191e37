import type { Command } from 'commander';
import { formatCostLabel } from '../../../src-shared/domain/usage';
import type { RunResult } from '../../feedback/run-summary';
import { CliError } from '../cli-error';
import { cliAction } from '../cli-errors';
import { projectContext, requireInitialisedProject } from '../project-context';
import { RunProgressTracker, startLiveDisplay } from '../run-progress';
import { attachLineLog } from '../run-line-log';

/** `co run`: runs ready tasks with parallel workers, with a live display on a TTY and line logs otherwise. */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run the ready tasks with parallel workers until every task is settled')
    .option('-w, --workers <n>', 'number of parallel workers (default: execution.max_workers)')
    .option('--id <ids>', 'run only these tasks (comma-separated ids; their dependencies must be done or included)')
    .option('--budget <usd>', 'claim no new task once the run has cost this many US dollars (default: budget.max_usd_per_run)')
    .option('-v, --verbose', 'print every worker log line')
    .option('--no-progress', 'plain line logs even on a terminal')
    .action(
      cliAction(async (options: { workers?: string; id?: string; budget?: string; verbose?: boolean; progress: boolean }, command: Command) => {
      const context = projectContext(command);
      requireInitialisedProject(context.workingDir);
      const maxWorkers = options.workers === undefined ? undefined : parseWorkers(options.workers);
      const maxRunUsd = options.budget === undefined ? undefined : parseBudget(options.budget);
      const taskIds = options.id === undefined ? undefined : options.id.split(',').map((id) => id.trim()).filter((id) => id !== '');
      const { openProjectRuntime } = await import('../../runtime/project-runtime');
      const { commandNotifier } = await import('../../notify/command-notifier');
      const runtime = await openProjectRuntime({
        projectDir: context.workingDir,
        ...(maxWorkers === undefined ? {} : { maxWorkers }),
        ...(maxRunUsd === undefined ? {} : { maxRunUsd }),
        // OS notifications when tasks fail or the run ends (notifications.desktop), as the app shows them.
        desktopNotifier: commandNotifier({ log: (line) => console.error(`co: ${line}`) }),
        // Problems that do not stop the run, and what it recovered of another process that died meanwhile.
        log: (line) => console.error(`co: ${line}`),
      });
      try {
        const { orchestrator } = runtime;
        for (const line of runtime.recovery.lines) console.log(line);
        for (const id of taskIds ?? []) orchestrator.getTask(id);
        orchestrator.events.on('run.started', () => {
          for (const line of runtime.lastStartNotes()) console.log(`co: ${line}`);
        });
        const titleOf = (id: string): string => orchestrator.store.tasks.get(id)?.title ?? '';
        const tracker = new RunProgressTracker(orchestrator.events, titleOf);
        orchestrator.events.on('run.budget', (event) => console.log(`co: ${event.message}.`));
        const live = options.progress && process.stdout.isTTY === true && options.verbose !== true;
        const stopDisplay = live ? startLiveDisplay(tracker, process.stdout) : attachLineLog(orchestrator.events, titleOf, options.verbose === true);

        // Ctrl-C, `kill` (SIGTERM) and a closed terminal (SIGHUP) all stop cleanly; a second signal forces.
        let stoppedBy: NodeJS.Signals | undefined;
        const onSignal = (signal: NodeJS.Signals): void => {
          if (stoppedBy !== undefined) process.exit(exitCodeFor(signal));
          stoppedBy = signal;
          // After SIGHUP the terminal may be gone: a failed write must not crash the stop.
          if (signal === 'SIGHUP') for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
          const again = signal === 'SIGINT' ? 'Ctrl-C again' : `${signal} again`;
          process.stderr.write(`\nco: stopping (${signal}): workers are being stopped and their tasks go back to ready (${again} to force)…\n`);
          void orchestrator.stop();
        };
        for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
        let run: RunResult;
        try {
          run = await runtime.run(taskIds === undefined ? {} : { taskIds });
        } finally {
          for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
          stopDisplay();
        }
        const counts = orchestrator.getStatus().counts;
        const totals = orchestrator.store.usage.totalsForRun(run.id);
        console.log(
          `Run ${run.status}: ${counts.done} done, ${counts.failed} failed, ${counts.blocked} blocked, ${counts.cancelled} cancelled · ${formatCostLabel(totals.costUsd, totals)} · ${totals.usage.inputTokens + totals.usage.cacheReadInputTokens + totals.usage.cacheCreationInputTokens} input / ${totals.usage.outputTokens} output tokens`,
        );
        // The stored summary: what failed and why, the final review's verdict and proposals, where the work went.
        console.log(`\n${run.summary}`);
        if (stoppedBy !== undefined) process.exitCode = exitCodeFor(stoppedBy);
        else if (run.status !== 'succeeded' || counts.failed > 0 || counts.blocked > 0) process.exitCode = 1;
      } finally {
        await runtime.close();
      }
    }),
    );
}

/** Signals that stop a run the way Ctrl-C does. */
const STOP_SIGNALS: ReadonlyArray<NodeJS.Signals> = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The shell's convention: 128 + the signal's number (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP). */
function exitCodeFor(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? 143 : signal === 'SIGHUP' ? 129 : 130;
}

function parseBudget(value: string): number {
  const usd = Number(value.replace(/^\$/, ''));
  if (!Number.isFinite(usd) || usd <= 0) throw new CliError(`--budget must be an amount in US dollars above 0, e.g. --budget 5 or --budget 0.50; got "${value}".`);
  return usd;
}

function parseWorkers(value: string): number {
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new CliError(`--workers must be a whole number from 1 to 64; got "${value}".`);
  return workers;
}
