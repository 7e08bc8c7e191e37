import type { Command } from 'commander';
import type { Attempt } from '../../../src-shared/domain/attempt';
import type { Task } from '../../../src-shared/domain/task';
import type { UsageTotals } from '../../store/usage-repository';
import { cliAction } from '../cli-errors';
import { parseTaskId } from '../cli-options';
import { formatCost, printJson } from '../output';
import { projectContext, withOrchestrator } from '../project-context';

/** `co show <id>`: every detail of one task. */
export function registerShowCommand(program: Command): void {
  program
    .command('show')
    .description('show one task in full')
    .argument('<id>', 'task id, e.g. 3 or 3.1')
    .option('--json', 'print the task as JSON')
    .action(
      cliAction(async (id: string, options: { readonly json?: boolean }, command: Command) => {
        parseTaskId(id);
        const context = projectContext(command);
        await withOrchestrator(context, (orchestrator) => {
          const task = orchestrator.getTask(id);
          const store = orchestrator.store;
          const dependents = store.dependencies.dependentsOf(id);
          const subtasks = store.tasks.list({ parentId: id }).map((subtask) => subtask.id);
          const usage = store.usage.totalsForTask(id);
          const attempts = store.attempts.listForTask(id);
          const retriesLeft = task.status === 'done' ? 0 : Math.max(0, context.config.execution.max_retries - task.failures);
          if (options.json) printJson({ ...task, dependents, subtasks, usage, attempts, retriesLeft });
          else console.log(formatTask(task, dependents, subtasks, usage, (dep) => store.tasks.get(dep)?.status ?? 'missing', attempts, retriesLeft));
        });
      }),
    );
}

function formatTask(
  task: Task,
  dependents: ReadonlyArray<string>,
  subtasks: ReadonlyArray<string>,
  usage: UsageTotals,
  statusOf: (id: string) => string,
  attempts: ReadonlyArray<Attempt>,
  retriesLeft: number,
): string {
  const lines: string[] = [`Task ${task.id}: ${task.title}`];
  const field = (name: string, value: string): void => {
    if (value !== '') lines.push(`${`${name}:`.padEnd(14)}${value}`);
  };
  field('Status', task.statusReason ? `${task.status} (${task.statusReason})` : task.status);
  field('Priority', task.priority);
  field('Parent', task.parentId ?? '');
  field('Depends on', task.dependencies.map((dep) => `${dep} (${statusOf(dep)})`).join(', ') || 'nothing');
  field('Needed by', dependents.join(', '));
  field('Subtasks', subtasks.join(', '));
  field('Files', task.contextFiles.join(', '));
  field('Source', task.sourceRef ?? '');
  field('Tags', task.tags.join(', '));
  if (task.expectsNoChanges) field('Changes', 'none needed (verification only)');
  field('Attempts', task.attempts > 0 ? `${task.attempts} (${task.failures} failed${task.status === 'done' ? '' : `, ${retriesLeft} ${retriesLeft === 1 ? 'retry' : 'retries'} left`})` : '');
  const tokens = usage.usage.inputTokens + usage.usage.outputTokens;
  field('Usage', tokens > 0 ? `${tokens} tokens, ${formatCost(usage.costUsd, usage)}` : '');
  const block = (name: string, text: string): void => {
    if (text.trim() !== '') lines.push('', `${name}:`, ...text.trimEnd().split('\n').map((line) => `  ${line}`));
  };
  block('Description', task.description);
  block('Details', task.details);
  block('Test strategy', task.testStrategy);
  block('Acceptance criteria', task.acceptanceCriteria.map((item) => `- ${item}`).join('\n'));
  block('Hints', task.hints.map((item) => `- ${item}`).join('\n'));
  block(
    'Attempt history',
    attempts
      .map((attempt) => `#${attempt.number} ${attempt.status}${attempt.stage !== null && attempt.status !== 'succeeded' ? ` at ${attempt.stage}` : ''}${attempt.errorMessage !== null ? `: ${attempt.errorMessage}` : ''}`)
      .join('\n'),
  );
  if (task.status !== 'done') block('Feedback for the next attempt', task.reviewFeedback ?? '');
  if (task.result) {
    const files = [...task.result.filesCreated, ...task.result.filesModified];
    block('Result', [task.result.error ? `error: ${task.result.error}` : '', files.length > 0 ? `files: ${files.join(', ')}` : '', task.result.output].filter((part) => part !== '').join('\n'));
  }
  return lines.join('\n');
}
