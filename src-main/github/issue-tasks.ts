import type { NewTaskInput, Task } from '../../src-shared/domain/task';
import type { Orchestrator } from '../engine/orchestrator';
import { InvalidStateError } from '../engine/errors';
import type { GitHubIssue } from './issues';

/** What an import did, per issue. */
export interface IssueImportSummary {
  readonly created: ReadonlyArray<{ readonly taskId: string; readonly issue: number }>;
  readonly updated: ReadonlyArray<{ readonly taskId: string; readonly issue: number }>;
  readonly unchanged: ReadonlyArray<{ readonly taskId: string; readonly issue: number }>;
  /** Issues whose task a worker holds right now: left as they are, import again later. */
  readonly busy: ReadonlyArray<{ readonly taskId: string; readonly issue: number }>;
}

const MAX_TITLE = 500;
const MAX_DESCRIPTION = 100_000;

/** The task fields an issue gives. */
export interface IssueTaskFields {
  readonly title: string;
  readonly description: string;
  readonly acceptanceCriteria: string[];
  readonly tags: string[];
  readonly sourceRef: string;
}

/** The task fields of an issue: title, body as description, its checklist as acceptance criteria, labels as tags, its URL as the source. */
export function taskFieldsOfIssue(issue: GitHubIssue): IssueTaskFields & NewTaskInput {
  const title = issue.title.trim() === '' ? `Issue #${issue.number}` : issue.title.trim();
  return {
    title: title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1)}…` : title,
    description: issue.body.length > MAX_DESCRIPTION ? `${issue.body.slice(0, MAX_DESCRIPTION - 1)}…` : issue.body,
    acceptanceCriteria: checklistOf(issue.body),
    tags: issue.labels.slice(0, 100).map((label) => label.slice(0, 200)),
    sourceRef: issue.htmlUrl,
  };
}

/** The items of the Markdown task lists in an issue body ("- [ ] works offline"), which read as acceptance criteria. */
export function checklistOf(body: string): string[] {
  const items: string[] = [];
  for (const line of body.split(/\r?\n/)) {
    const item = /^\s*[-*+] \[[ xX]\] (.+)$/.exec(line)?.[1]?.trim();
    if (item !== undefined && item !== '') items.push(item.slice(0, 4_000));
  }
  return items.slice(0, 1_000);
}

/**
 * Imports issues as tasks, keyed by the issue's URL (the task's source): a new issue becomes a task,
 * an issue imported before updates its task's title, description, criteria and tags (never its status
 * or dependencies). New tasks are added in one validated batch.
 */
export function importIssuesAsTasks(orchestrator: Orchestrator, issues: ReadonlyArray<GitHubIssue>): IssueImportSummary {
  const bySource = new Map<string, Task>();
  for (const task of orchestrator.listTasks()) if (task.sourceRef !== null) bySource.set(task.sourceRef, task);
  const updated: { taskId: string; issue: number }[] = [];
  const unchanged: { taskId: string; issue: number }[] = [];
  const busy: { taskId: string; issue: number }[] = [];
  const fresh: GitHubIssue[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    if (seen.has(issue.htmlUrl)) continue;
    seen.add(issue.htmlUrl);
    const existing = bySource.get(issue.htmlUrl);
    if (existing === undefined) {
      fresh.push(issue);
      continue;
    }
    const { sourceRef: _source, ...fields } = taskFieldsOfIssue(issue);
    const entry = { taskId: existing.id, issue: issue.number };
    if (sameFields(existing, fields)) {
      unchanged.push(entry);
      continue;
    }
    try {
      orchestrator.updateTask(existing.id, fields);
      updated.push(entry);
    } catch (error) {
      if (!(error instanceof InvalidStateError)) throw error;
      busy.push(entry);
    }
  }
  const ids = fresh.length === 0 ? [] : orchestrator.addTasksBatch(fresh.map((issue) => taskFieldsOfIssue(issue)));
  const created = fresh.map((issue, index) => ({ taskId: ids[index] as string, issue: issue.number }));
  return { created, updated, unchanged, busy };
}

function sameFields(task: Task, fields: Omit<IssueTaskFields, 'sourceRef'>): boolean {
  return task.title === fields.title && task.description === fields.description && sameList(task.acceptanceCriteria, fields.acceptanceCriteria) && sameList(task.tags, fields.tags);
}

function sameList(left: ReadonlyArray<string>, right: ReadonlyArray<string>): boolean {
  return left.length === right.length && left.every((item, index) => item === right[index]);
}
