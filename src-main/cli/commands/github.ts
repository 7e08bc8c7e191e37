import type { Command } from 'commander';
import type { IssueImportSummary } from '../../github/issue-tasks';
import type { GitHubIssue } from '../../github/issues';
import { CliError } from '../cli-error';
import { cliAction } from '../cli-errors';
import { printJson } from '../output';
import { projectContext, requireInitialisedProject, withOrchestrator } from '../project-context';

interface ImportIssuesOptions {
  readonly repo?: string;
  readonly label: ReadonlyArray<string>;
  readonly state: string;
  readonly limit: string;
  readonly plan?: boolean;
  readonly json?: boolean;
}

interface PullRequestOptions {
  readonly repo?: string;
  readonly base?: string;
  readonly run?: string;
  readonly draft?: boolean;
  readonly dryRun?: boolean;
  readonly managerSummary: boolean;
  readonly json?: boolean;
}

const STATES = ['open', 'closed', 'all'] as const;

/** `co import-issues` (GitHub issues become tasks) and `co pr` (a finished run becomes a pull request). */
export function registerGitHubCommands(program: Command): void {
  program
    .command('import-issues')
    .description("import GitHub issues as tasks (title, body, checklist as criteria, labels as tags, link as source); importing again updates them")
    .option('--repo <owner/name>', 'the repository (default: the one `origin` points at)')
    .option('--label <label>', 'only issues with this label (repeat for several: issues carrying all of them)', collect, [])
    .option('--state <state>', 'open, closed or all', 'open')
    .option('--limit <n>', 'at most this many issues', '100')
    .option('--plan', 'let the manager plan the issues not imported yet as tasks with dependencies (as `co parse` does a PRD)')
    .option('--json', 'print what was imported as JSON')
    .action(
      cliAction(async (options: ImportIssuesOptions, command: Command) => {
        const context = projectContext(command);
        requireInitialisedProject(context.workingDir);
        const state = parseState(options.state);
        const limit = parseLimit(options.limit);
        await gitHubErrors(async () => {
          const { listRepositoryIssues } = await import('../../github/github-service');
          const { importIssuesAsTasks } = await import('../../github/issue-tasks');
          const { SecretStore } = await import('../../workspace/secret-store');
          const listing = await listRepositoryIssues(context.workingDir, options.repo, { labels: options.label, state, limit }, { env: process.env, secretStore: new SecretStore(), onWait: (line) => console.error(`co: ${line}`) });
          const planned = options.plan === true ? await planIssues(context.workingDir, listing.repository, listing.issues) : null;
          const summary = planned?.summary ?? (await withOrchestrator(context, (orchestrator) => importIssuesAsTasks(orchestrator, listing.issues)));
          if (options.json) {
            printJson({ repository: listing.repository, ...summary, skippedPullRequests: listing.skippedPullRequests, ...(planned === null ? {} : { plannedTaskIds: planned.taskIds }) });
            return;
          }
          const ids = (entries: ReadonlyArray<{ readonly taskId: string; readonly issue: number }>): string =>
            entries.length === 0 ? '' : ` (${entries.map((entry) => `#${entry.issue} → ${entry.taskId}`).join(', ')})`;
          console.log(`Imported ${listing.issues.length} ${listing.issues.length === 1 ? 'issue' : 'issues'} from ${listing.repository}.`);
          if (planned !== null) console.log(`The manager planned ${planned.taskIds.length} new ${planned.taskIds.length === 1 ? 'task' : 'tasks'}${planned.taskIds.length === 0 ? '' : ` (${planned.taskIds.join(', ')})`}; linked to their issues:${ids(summary.created) || ' none'}`);
          else console.log(`New tasks: ${summary.created.length}${ids(summary.created)}`);
          console.log(`Updated: ${summary.updated.length}${ids(summary.updated)}; unchanged: ${summary.unchanged.length}`);
          if (summary.busy.length > 0) console.log(`Not updated while a worker holds them: ${summary.busy.map((entry) => entry.taskId).join(', ')}; import again when they are done.`);
          if (listing.skippedPullRequests > 0) console.log(`Skipped ${listing.skippedPullRequests} pull ${listing.skippedPullRequests === 1 ? 'request' : 'requests'} in the listing.`);
        });
      }),
    );

  program
    .command('pr')
    .description("push a finished run's integrated work to a branch on origin and open a GitHub pull request for it")
    .option('--repo <owner/name>', 'the repository (default: the one `origin` points at)')
    .option('--base <branch>', "the branch to merge into (default: the repository's default branch)")
    .option('--run <id>', 'the run (default: the newest finished run)')
    .option('--draft', 'open it as a draft pull request')
    .option('--dry-run', 'print the title and body; push nothing, open nothing')
    .option('--no-manager-summary', "head the body with the composed run summary instead of asking the manager for one")
    .option('--json', 'print the result as JSON')
    .action(
      cliAction(async (options: PullRequestOptions, command: Command) => {
        const context = projectContext(command);
        requireInitialisedProject(context.workingDir);
        await gitHubErrors(() => pullRequestCommand(context.workingDir, context.config.notifications.desktop, options));
      }),
    );
}

async function pullRequestCommand(projectDir: string, notify: boolean, options: PullRequestOptions): Promise<void> {
  const { createRunPullRequest } = await import('../../github/github-service');
  const { SecretStore } = await import('../../workspace/secret-store');
  const { openProjectRuntime } = await import('../../runtime/project-runtime');
  const runtime = await openProjectRuntime({ projectDir });
  try {
    const outcome = await createRunPullRequest(
      runtime,
      {
        draft: options.draft === true,
        dryRun: options.dryRun === true,
        managerSummary: options.managerSummary,
        ...(options.repo === undefined ? {} : { repo: options.repo }),
        ...(options.base === undefined ? {} : { base: options.base }),
        ...(options.run === undefined ? {} : { runId: options.run }),
      },
      { env: process.env, secretStore: new SecretStore(), onWait: (line) => console.error(`co: ${line}`) },
    );
    if (outcome.note !== null) console.error(`co: ${outcome.note}`);
    if (options.json) {
      printJson(outcome);
    } else if (outcome.dryRun) {
      console.log(`Title: ${outcome.title}`);
      console.log(`Branch: ${outcome.branch} → ${outcome.base ?? "the repository's default branch"} of ${outcome.repository}`);
      console.log('');
      console.log(outcome.body);
      console.log('');
      console.log('Dry run: nothing was pushed and no pull request was opened.');
    } else {
      console.log(`Opened pull request #${outcome.number} (${outcome.branch} → ${outcome.base}): ${outcome.url}`);
    }
    if (notify && !outcome.dryRun) {
      const { commandNotifier } = await import('../../notify/command-notifier');
      commandNotifier({ log: (line) => console.error(`co: ${line}`) }).notify({ title: `Pull request #${outcome.number} opened`, body: `${outcome.title}\n${outcome.url}`, urgency: 'normal', project: projectDir });
    }
  } finally {
    await runtime.close();
  }
}

/**
 * `--plan`: issues imported before are updated as usual; the others go to the manager as one PRD,
 * and the tasks it plans (with dependencies) are added, each linked to the issue it names.
 */
async function planIssues(projectDir: string, repository: string, issues: ReadonlyArray<GitHubIssue>): Promise<{ readonly summary: IssueImportSummary; readonly taskIds: ReadonlyArray<string> }> {
  const { importIssuesAsTasks } = await import('../../github/issue-tasks');
  const { issuesAsPrd, linkPlanToIssues } = await import('../../github/issue-plan');
  const { planToNewTasks } = await import('../../runtime/plan-import');
  const { openProjectRuntime } = await import('../../runtime/project-runtime');
  const runtime = await openProjectRuntime({ projectDir });
  try {
    const { orchestrator } = runtime;
    const imported = new Set(orchestrator.listTasks().map((task) => task.sourceRef));
    const known = issues.filter((issue) => imported.has(issue.htmlUrl));
    const fresh = issues.filter((issue) => !imported.has(issue.htmlUrl));
    const updates = importIssuesAsTasks(orchestrator, known);
    if (fresh.length === 0) return { summary: updates, taskIds: [] };
    const plan = await runtime.manager().parsePrd(issuesAsPrd(repository, fresh), { lessons: runtime.planningLessons() });
    const tasks = linkPlanToIssues(planToNewTasks(plan.tasks, orchestrator.store.tasks.maxNumericId()), fresh);
    const ids = orchestrator.addTasksBatch(tasks);
    const created = tasks.flatMap((task, index) => {
      const issue = fresh.find((candidate) => candidate.htmlUrl === task.sourceRef);
      return issue === undefined ? [] : [{ taskId: ids[index] as string, issue: issue.number }];
    });
    return { summary: { ...updates, created }, taskIds: ids };
  } finally {
    await runtime.close();
  }
}

/** Runs GitHub work, turning its user-fixable errors into one-line CliErrors. */
async function gitHubErrors(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof Error && error.name === 'GitHubError') throw new CliError(error.message);
    throw error;
  }
}

function collect(value: string, previous: ReadonlyArray<string>): ReadonlyArray<string> {
  return [...previous, value];
}

function parseState(value: string): (typeof STATES)[number] {
  if ((STATES as ReadonlyArray<string>).includes(value)) return value as (typeof STATES)[number];
  throw new CliError(`--state must be one of ${STATES.join(', ')}; got "${value}".`);
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new CliError(`--limit must be a whole number from 1 to 10000; got "${value}".`);
  return limit;
}
