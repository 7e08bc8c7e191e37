import type { WorkerTaskContext } from '../../engine/worker-backend';
import { DISCOVERIES_FENCE } from './discoveries';

/** The user prompt of an attempt: what to do, in one paragraph. */
export function buildTaskPrompt(task: WorkerTaskContext): string {
  return `Carry out task ${task.id}: ${task.title}\n\n${task.description}`.trim();
}

/** The system prompt appended to Claude Code's own: the task's full context and how to report discoveries. */
export function buildAppendedSystemPrompt(task: WorkerTaskContext): string {
  const sections: string[] = [
    `You are a worker of Claude Orchestrator, carrying out one task of a larger plan in the current working directory. Stay within this directory and this task.`,
    section('Task', `${task.id}: ${task.title}\n${task.description}`),
    section('Details', task.details),
    section('Acceptance criteria', bullets(task.acceptanceCriteria)),
    section('Test strategy', task.testStrategy),
    section('Context files (read these first)', bullets(task.contextFiles)),
    section('Hints', bullets(task.hints)),
    section(
      'Discoveries from earlier tasks',
      task.relevantDiscoveries
        .map((d) => `- ${d.summary}${d.details === undefined ? '' : `\n  ${d.details}`}${d.files.length > 0 ? `\n  files: ${d.files.join(', ')}` : ''}${d.tags.length > 0 ? `\n  tags: ${d.tags.join(', ')}` : ''}`)
        .join('\n'),
    ),
    section('Lessons from earlier runs (recurring problems; avoid them)', (task.lessons ?? []).map((lesson) => `- ${lesson.text}\n  (source: ${lesson.source})`).join('\n')),
    section('Feedback on the previous attempt (review, failed checks or a merge conflict; address all of it)', task.reviewFeedback ?? ''),
    [
      '## Reporting discoveries',
      'When you finish, end your final message with a fenced block listing findings that later tasks should know',
      '(conventions, pitfalls, where things live). Use an empty list if there are none. Exactly this format:',
      '',
      '```' + DISCOVERIES_FENCE,
      '[{"summary": "one line", "details": "optional", "tags": ["area"], "files": ["path/relative/to/repo"]}]',
      '```',
    ].join('\n'),
  ];
  return sections.filter((text) => text.length > 0).join('\n\n');
}

function section(title: string, body: string): string {
  return body.trim().length === 0 ? '' : `## ${title}\n${body.trim()}`;
}

function bullets(items: ReadonlyArray<string>): string {
  return items.map((item) => `- ${item}`).join('\n');
}
