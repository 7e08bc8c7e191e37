import type { Command } from 'commander';
import type { Task } from '../../../src-shared/domain/task';
import { CliError } from '../cli-error';
import { cliAction } from '../cli-errors';
import { parseTaskId } from '../cli-options';
import { printJson } from '../output';
import { projectContext, withOrchestrator } from '../project-context';

const ERROR_CLASSES = ['transient', 'recoverable', 'permanent'] as const;
type ErrorClassOption = (typeof ERROR_CLASSES)[number];

/**
 * `co claim` / `co complete` / `co fail` / `co renew`: the manual worker protocol for a worker
 * outside the orchestrator (a script, another agent). A claim returns the task and its attempt id;
 * every later call names that attempt (`--attempt`), so a worker whose lease expired and whose
 * task was claimed again can no longer finish or fail it.
 */
export function registerWorkerProtocolCommands(program: Command): void {
  program
    .command('claim')
    .description('claim the best ready task for an outside worker; prints the task and the attempt id to pass to complete/fail/renew')
    .option('--worker <name>', 'who claims it (shown as the lease owner)', 'external-worker')
    .option('--json', 'print the claimed task as JSON (null when none is ready)')
    .action(
      cliAction(async (options: { readonly worker: string; readonly json?: boolean }, command: Command) => {
        const worker = options.worker.trim();
        if (worker === '') throw new CliError('--worker needs a name, e.g. --worker my-script.');
        await withOrchestrator(projectContext(command), (orchestrator) => {
          const task = orchestrator.claimTask(worker);
          if (options.json) return printJson(task);
          if (task === null) return console.log('No task is ready.');
          console.log(`Claimed task ${task.id}: ${task.title}`);
          console.log(`attempt ${task.currentAttemptId ?? ''} · lease until ${leaseText(task)} (renew with \`co renew ${task.id} --attempt ${task.currentAttemptId ?? ''}\`)`);
        });
      }),
    );

  program
    .command('complete')
    .description('mark a claimed task done (only while the given attempt still holds it)')
    .argument('<id>', 'task id')
    .requiredOption('--attempt <attemptId>', 'the attempt id `co claim` printed')
    .option('--output <text>', 'what the worker did')
    .option('--files-modified <paths>', 'comma-separated paths changed')
    .option('--files-created <paths>', 'comma-separated paths created')
    .option('--json', 'print the task as JSON')
    .action(
      cliAction(async (id: string, options: { attempt: string; output?: string; filesModified?: string; filesCreated?: string; json?: boolean }, command: Command) => {
        parseTaskId(id);
        const result = {
          ...(options.output === undefined ? {} : { output: options.output }),
          ...(options.filesModified === undefined ? {} : { filesModified: splitPaths(options.filesModified) }),
          ...(options.filesCreated === undefined ? {} : { filesCreated: splitPaths(options.filesCreated) }),
        };
        await withOrchestrator(projectContext(command), (orchestrator) => {
          const task = orchestrator.completeTask(id, result, undefined, options.attempt);
          if (options.json) printJson(task);
          else console.log(`Task ${task.id} done.`);
        });
      }),
    );

  program
    .command('fail')
    .description('mark a claimed task failed (only while the given attempt still holds it)')
    .argument('<id>', 'task id')
    .requiredOption('--attempt <attemptId>', 'the attempt id `co claim` printed')
    .requiredOption('--error <message>', 'what went wrong')
    .option('--class <class>', `${ERROR_CLASSES.join(', ')} (transient and recoverable retry with backoff)`, 'permanent')
    .option('--json', 'print the task as JSON')
    .action(
      cliAction(async (id: string, options: { attempt: string; error: string; class: string; json?: boolean }, command: Command) => {
        parseTaskId(id);
        if (!(ERROR_CLASSES as ReadonlyArray<string>).includes(options.class)) throw new CliError(`--class must be one of ${ERROR_CLASSES.join(', ')}; got "${options.class}".`);
        await withOrchestrator(projectContext(command), (orchestrator) => {
          const task = orchestrator.failTask(id, options.error, undefined, options.class as ErrorClassOption, options.attempt);
          if (options.json) printJson(task);
          else console.log(`Task ${task.id} ${task.status}${task.statusReason ? `: ${task.statusReason}` : ''}`);
        });
      }),
    );

  program
    .command('renew')
    .description('extend a claimed task’s lease by execution.task_timeout (only while the given attempt still holds it)')
    .argument('<id>', 'task id')
    .requiredOption('--attempt <attemptId>', 'the attempt id `co claim` printed')
    .option('--json', 'print the task as JSON')
    .action(
      cliAction(async (id: string, options: { attempt: string; json?: boolean }, command: Command) => {
        parseTaskId(id);
        await withOrchestrator(projectContext(command), (orchestrator) => {
          const task = orchestrator.renewTask(id, undefined, options.attempt);
          if (options.json) printJson(task);
          else console.log(`Task ${task.id}: lease until ${leaseText(task)}`);
        });
      }),
    );
}

function leaseText(task: Task): string {
  return task.leaseExpiresAt === null ? 'none' : new Date(task.leaseExpiresAt).toISOString();
}

function splitPaths(value: string): ReadonlyArray<string> {
  return value.split(',').map((part) => part.trim()).filter((part) => part !== '');
}
