import type { Command } from 'commander';
import { TASK_STATUSES } from '../../../src-shared/domain/task-status';
import { listPoolSlots, type PoolSlotInfo } from '../../workspace/pool-maintenance';
import { readProjectStatus } from '../project-status';
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
        const poolSlots = await listPoolSlots(context.workingDir);
        await withOrchestrator(context, (orchestrator) => {
          const summary = readProjectStatus(context.workingDir, orchestrator, poolSlots);
          if (options.json) {
            printJson(summary);
            return;
          }
          const counts = TASK_STATUSES.filter((name) => summary.counts[name] > 0).map((name) => `${name} ${summary.counts[name]}`);
          console.log(`Project ${summary.workingDir}${summary.goal ? ` — goal: ${summary.goal}` : ''}`);
          console.log(`Tasks: ${summary.total}${counts.length > 0 ? ` (${counts.join(', ')})` : ''}`);
          if (summary.rateLimit !== null) console.log(`Workers ${formatPause(summary.rateLimit.pausedUntil, summary.rateLimit.reason)}`);
          console.log(summary.runningRuns.length > 0 ? `Runs in progress: ${summary.runningRuns.map((run) => `${run.id} (${run.maxWorkers} workers max)`).join(', ')}` : 'No run in progress.');
          for (const lease of summary.leases) {
            console.log(`  worker ${lease.worker ?? '?'}: task ${lease.taskId} ${lease.status}${lease.leaseExpired ? ' (lease expired; it will be reclaimed)' : ''} — ${lease.title}`);
          }
          for (const kept of summary.unintegrated.filter((integration) => integration.status === 'kept')) {
            console.log(`Finished work kept on branch ${kept.branch} (run ${kept.runId}): ${kept.reason ?? 'not merged into your branch'}. Bring it in with: co integrate`);
          }
          if (summary.workspacePool.length > 0) {
            console.log(`Worktree pool (${summary.workspacePool.length} slot${summary.workspacePool.length === 1 ? '' : 's'}; remove with: co clean):`);
            for (const slot of summary.workspacePool) console.log(`  ${describeSlot(slot)}`);
          }
          const usage = summary.usage.usage;
          console.log(
            `Usage so far: ${usage.inputTokens} input + ${usage.outputTokens} output tokens` +
              ` (cache: ${usage.cacheReadInputTokens} read, ${usage.cacheCreationInputTokens} written), cost ${formatCost(summary.usage.costUsd, summary.usage)}`,
          );
        });
      }),
    );
}

/** One pool slot for people: "slot-1 in use by process 123 (attempt …) — <path>". */
function describeSlot(slot: PoolSlotInfo): string {
  const state =
    slot.state === 'free' ? 'free' : slot.state === 'in-use' ? `in use by process ${slot.pid ?? '?'}${slot.attemptId ? ` (attempt ${slot.attemptId})` : ''}` : `left by stopped process ${slot.pid ?? '?'} (freed by the next run)`;
  return `slot-${slot.slot} ${state}${slot.present ? '' : ', folder missing (made again when needed)'} — ${slot.path}`;
}

/** "paused until HH:MM:SS (reason)", in local time. */
export function formatPause(until: number, reason: string | null): string {
  const at = new Date(until);
  const time = [at.getHours(), at.getMinutes(), at.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
  return `paused until ${time}${reason ? ` (${reason})` : ''}`;
}
