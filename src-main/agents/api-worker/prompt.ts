import type { TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { WorkerTaskContext } from '../../engine/worker-backend';
import { cachedText } from '../manager/prompts';

/** The worker's system prompt: stable, so it is cached. */
export const WORKER_SYSTEM_PROMPT = `You are a software engineer carrying out one task in a project's working directory.
Use the tools to read, write and edit files, search the code and run commands (tests, builds).
All paths are relative to the working directory; paths outside it are refused.
Work in small verified steps: read before you edit, run the tests the task names, fix what fails.
When you learn something later tasks should know (a convention, a pitfall, an API), call report_discovery.
When the task is done and verified, answer with a short summary of what you changed, without calling a tool.`;

/** System blocks of every worker turn. */
export function workerSystem(): ReadonlyArray<TextBlockParam> {
  return [cachedText(WORKER_SYSTEM_PROMPT)];
}

/** The first user message: everything the worker needs to know about its task. */
export function taskPrompt(task: WorkerTaskContext): string {
  const sections: string[] = [`# Task ${task.id}: ${task.title}`, task.description];
  if (task.details) sections.push(`## Details\n${task.details}`);
  if (task.acceptanceCriteria.length > 0) sections.push(`## Acceptance criteria\n${task.acceptanceCriteria.map((line) => `- ${line}`).join('\n')}`);
  if (task.testStrategy) sections.push(`## Test strategy\n${task.testStrategy}`);
  if (task.contextFiles.length > 0) sections.push(`## Read these files first\n${task.contextFiles.map((file) => `- ${file}`).join('\n')}`);
  if (task.hints.length > 0) sections.push(`## Hints\n${task.hints.map((hint) => `- ${hint}`).join('\n')}`);
  if (task.relevantDiscoveries.length > 0) {
    sections.push(`## What earlier tasks found\n${task.relevantDiscoveries.map((found) => `- ${found.summary}${found.details ? `: ${found.details}` : ''}`).join('\n')}`);
  }
  if (task.lessons !== undefined && task.lessons.length > 0) {
    sections.push(`## Lessons from earlier runs (recurring problems; avoid them)\n${task.lessons.map((lesson) => `- ${lesson.text} (source: ${lesson.source})`).join('\n')}`);
  }
  if (task.reviewFeedback) sections.push(`## Feedback on the previous attempt (review, failed checks or a merge conflict; address all of it)\n${task.reviewFeedback}`);
  return sections.join('\n\n');
}
