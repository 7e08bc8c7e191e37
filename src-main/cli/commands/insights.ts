import type { Command } from 'commander';
import type { Insights } from '../../../src-shared/rpc/contract';
import { CliError } from '../cli-error';
import { cliAction } from '../cli-errors';
import { formatCost, formatTable, printJson, truncate } from '../output';
import { projectContext, withStore } from '../project-context';

/** `co insights` and `co lessons`: what the project's runs taught, and the lessons offered to later workers. */
export function registerInsightsCommands(program: Command): void {
  program
    .command('insights')
    .description('recurring failure causes, first-attempt success rates, cost per successful task, tasks with most attempts, files that conflict most')
    .option('--json', 'print the insights as JSON')
    .action(
      cliAction(async (options: { readonly json?: boolean }, command: Command) => {
        const context = projectContext(command);
        const { readInsights } = await import('../../feedback/insights');
        const insights = await withStore(context, (store) => readInsights(store.db));
        if (options.json) printJson(insights);
        else printInsights(insights);
      }),
    );

  const lessons = program.command('lessons').description('lessons from recurring feedback, offered to later workers and the manager: list, edit, delete');
  lessons
    .command('list', { isDefault: true })
    .description('list the lessons with their sources')
    .option('--json', 'print the lessons as JSON')
    .action(
      cliAction(async (options: { readonly json?: boolean }, command: Command) => {
        const context = projectContext(command);
        const list = await withStore(context, (store) => store.lessons.list());
        if (options.json) {
          printJson(list);
          return;
        }
        if (list.length === 0) {
          console.log('No lessons yet. They appear when the same problem recurs (a check failing twice, a file conflicting in two merges).');
          return;
        }
        for (const lesson of list) console.log(`${lesson.id}. ${lesson.text}${lesson.edited ? ' (edited)' : ''}\n   source: ${lesson.source}`);
      }),
    );
  lessons
    .command('edit')
    .description('rewrite a lesson (later runs keep your text)')
    .argument('<id>', 'the lesson id from `co lessons`')
    .argument('<text>', 'the new text')
    .action(
      cliAction(async (id: string, text: string, _options: object, command: Command) => {
        const lessonId = parseLessonId(id);
        const trimmed = text.trim();
        if (trimmed === '' || trimmed.length > 1_000) throw new CliError('a lesson needs text of 1 to 1,000 characters.');
        const context = projectContext(command);
        await withStore(context, (store) => {
          if (!store.write(() => store.lessons.updateText(lessonId, trimmed, Date.now()))) throw new CliError(`no lesson ${lessonId}; \`co lessons\` lists them.`);
        });
        console.log(`Lesson ${lessonId} updated.`);
      }),
    );
  lessons
    .command('delete')
    .description('delete a lesson: later prompts leave it out, and it is not derived again')
    .argument('<id>', 'the lesson id from `co lessons`')
    .action(
      cliAction(async (id: string, _options: object, command: Command) => {
        const lessonId = parseLessonId(id);
        const context = projectContext(command);
        await withStore(context, (store) => {
          if (!store.write(() => store.lessons.delete(lessonId, Date.now()))) throw new CliError(`no lesson ${lessonId}; \`co lessons\` lists them.`);
        });
        console.log(`Lesson ${lessonId} deleted.`);
      }),
    );
}

function parseLessonId(value: string): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id < 1) throw new CliError(`a lesson id is a whole number such as 3; got "${value}" (\`co lessons\` lists them).`);
  return id;
}

function printInsights(insights: Insights): void {
  if (insights.feedbackCount === 0) {
    console.log('No feedback yet. Insights appear after runs: failed checks, reviews, conflicts and retries are recorded as they happen.');
    return;
  }
  const percent = (rate: number) => `${Math.round(rate * 100)}%`;
  console.log('Recurring failure causes:');
  console.log(
    insights.causes.length === 0
      ? '  none'
      : formatTable(
          ['COUNT', 'KIND', 'CAUSE', 'TASKS', 'MOST OFTEN'],
          insights.causes.map((cause) => [String(cause.count), cause.kind, truncate(cause.cause, 40), truncate(cause.tasks.join(',') || '-', 20), truncate(cause.topDetail, 70)]),
        ),
  );
  console.log('\nFirst-attempt success:');
  for (const row of insights.firstAttempt.byModel) console.log(`  ${row.model}: ${percent(row.rate)} (${row.succeeded}/${row.tasks} tasks)`);
  for (const row of insights.firstAttempt.bySize) console.log(`  ${row.size} tasks: ${percent(row.rate)} (${row.succeeded}/${row.tasks})`);
  const overall = insights.costPerSuccess.overall;
  console.log(`\nCost per successful task: ${overall.perTask === null ? '-' : formatCost(overall.perTask)} (${overall.doneTasks} done, ${formatCost(overall.costUsd)} in all)`);
  if (insights.mostAttempts.length > 0) {
    console.log('\nTasks that needed the most attempts:');
    for (const task of insights.mostAttempts.slice(0, 5)) console.log(`  ${task.taskId} ${truncate(task.title, 50)}: ${task.attempts} attempts (${task.status}, ${formatCost(task.costUsd)})`);
  }
  if (insights.conflictFiles.length > 0) console.log(`\nFiles that conflict most: ${insights.conflictFiles.map((file) => `${file.file} (${file.conflicts})`).join(', ')}`);
  if (insights.areas.length > 0) console.log(`Areas most involved in failures: ${insights.areas.map((area) => `${area.area} (${area.failures})`).join(', ')}`);
  console.log('\nLessons offered to later workers: `co lessons`.');
}
