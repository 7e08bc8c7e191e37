import type { Command } from 'commander';
import { TASK_STATUSES } from '../../../src-shared/domain/task-status';
import { cliAction } from '../cli-errors';
import { formatCost, printJson } from '../output';
import { projectContext, withOrchestrator } from '../project-context';

/** `co status`: task counts, workers holding leases, running runs, usage and cost so far. */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('task counts by status, running workers, usage and cost so far')
    .option('--json', 'print the status as JSON')
    .action(
      cliAction(async (options: { readonly json?: boolean }, command: Command) => {
        const context = projectContext(command);
        await withOrchestrator(context, (orchestrator) => {
          const store = orchestrator.store;
          const now = Date.now();
          const summary = store.read(() => {
            const status = orchestrator.getStatus();
            const leases = store.tasks.list({ statuses: ['claimed', 'in_progress', 'review'] }).map((task) => ({
              taskId: task.id,
              title: task.title,
              status: task.status,
              worker: task.leaseOwner,
              leaseExpiresAt: task.leaseExpiresAt,
              leaseExpired: task.leaseExpiresAt !== null && task.leaseExpiresAt < now,
            }));
            const runs = store.runs.list(20).filter((run) => run.status === 'running');
            return {
              workingDir: context.workingDir,
              goal: status.goal,
              total: status.total,
              counts: status.counts,
              maxWorkers: status.maxWorkers,
              runningRuns: runs,
              leases,
              usage: store.usage.totalsForProject(),
              /** The engine keeps rate-limit pauses in memory only; a separate process cannot see them. */
              rateLimit: null,
            };
          });
          if (options.json) {
            printJson(summary);
            return;
          }
          const counts = TASK_STATUSES.filter((name) => summary.counts[name] > 0).map((name) => `${name} ${summary.counts[name]}`);
          console.log(`Project ${summary.workingDir}${summary.goal ? ` — goal: ${summary.goal}` : ''}`);
          console.log(`Tasks: ${summary.total}${counts.length > 0 ? ` (${counts.join(', ')})` : ''}`);
          console.log(summary.runningRuns.length > 0 ? `Runs in progress: ${summary.runningRuns.map((run) => `${run.id} (${run.maxWorkers} workers max)`).join(', ')}` : 'No run in progress.');
          for (const lease of summary.leases) {
            console.log(`  worker ${lease.worker ?? '?'}: task ${lease.taskId} ${lease.status}${lease.leaseExpired ? ' (lease expired; it will be reclaimed)' : ''} — ${lease.title}`);
          }
          const usage = summary.usage.usage;
          console.log(
            `Usage so far: ${usage.inputTokens} input + ${usage.outputTokens} output tokens` +
              ` (cache: ${usage.cacheReadInputTokens} read, ${usage.cacheCreationInputTokens} written), cost ${formatCost(summary.usage.costUsd)}`,
          );
        });
      }),
    );
}
