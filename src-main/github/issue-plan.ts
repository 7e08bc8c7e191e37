import type { PlannedNewTask } from '../runtime/plan-import';
import { taskFieldsOfIssue } from './issue-tasks';
import type { GitHubIssue } from './issues';

/** At most this much of each issue's body goes into the plan's PRD. */
const MAX_BODY_IN_PRD = 20_000;

/**
 * The issues as a PRD for the manager to plan (the same path as a PRD file): one section per issue,
 * and the instruction to name each task's issue as "(issue #N)" so the tasks link back to them.
 */
export function issuesAsPrd(repository: string, issues: ReadonlyArray<GitHubIssue>): string {
  const sections = issues.map((issue) => {
    const labels = issue.labels.length === 0 ? '' : `\nLabels: ${issue.labels.join(', ')}`;
    const body = issue.body.length > MAX_BODY_IN_PRD ? `${issue.body.slice(0, MAX_BODY_IN_PRD)}…` : issue.body;
    return `## Issue #${issue.number}: ${issue.title}${labels}\n\n${body.trim() === '' ? '(no description)' : body.trim()}`;
  });
  return [
    `# Issues of ${repository}`,
    '',
    'Plan the work these GitHub issues ask for as tasks with the dependencies between them. Start the description of every task with the issue it comes from, as "(issue #N)".',
    '',
    ...sections,
    '',
  ].join('\n');
}

/**
 * Links planned tasks back to their issues: the first task naming "(issue #N)" (or "#N" in its title)
 * gets the issue's URL as its source and its labels as tags; later tasks of the same issue get the tags only.
 */
export function linkPlanToIssues(tasks: ReadonlyArray<PlannedNewTask>, issues: ReadonlyArray<GitHubIssue>): PlannedNewTask[] {
  const byNumber = new Map(issues.map((issue) => [issue.number, issue]));
  const linked = new Set<number>();
  return tasks.map((task) => {
    const number = issueNumberOf(`${task.title}\n${task.description ?? ''}`, byNumber);
    if (number === null) return task;
    const issue = byNumber.get(number) as GitHubIssue;
    const fields = taskFieldsOfIssue(issue);
    if (linked.has(number)) return { ...task, tags: fields.tags };
    linked.add(number);
    return { ...task, tags: fields.tags, sourceRef: fields.sourceRef };
  });
}

function issueNumberOf(text: string, issues: ReadonlyMap<number, GitHubIssue>): number | null {
  for (const match of text.matchAll(/#(\d+)\b/g)) {
    const number = Number(match[1]);
    if (issues.has(number)) return number;
  }
  return null;
}
