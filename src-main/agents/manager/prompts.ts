import type { TextBlockParam } from '@anthropic-ai/sdk/resources/messages';

const EPHEMERAL = { type: 'ephemeral' } as const;

/** A text block marked as a prompt-cache breakpoint. */
export function cachedText(text: string): TextBlockParam {
  return { type: 'text', text, cache_control: EPHEMERAL };
}

/** The manager's system prompt: stable across calls, so it is cached. */
export const MANAGER_SYSTEM_PROMPT = `You are the manager of a team of software engineering agents working on one code base.
You turn product requirements into a dependency graph of small, independently verifiable tasks,
review the agents' work against acceptance criteria, and summarise runs.

Planning rules:
- Number tasks 1, 2, 3, … in the order they should be built. A task may only depend on tasks that
  must be finished before it can start; never on itself, never in a cycle.
- Each task is one coherent change an engineer could finish and test in under a day.
- Acceptance criteria are observable facts ("GET /health returns 200 with {ok:true}"), not activities.
- The test strategy names the tests or commands that prove the criteria.
- Priority: high for foundations and the critical path, medium for features, low for polish.
- Name context files the worker should read first; add hints about pitfalls.
- Always answer by calling the tool you are given, with input that matches its schema exactly.

Review rules:
- Approve only when every acceptance criterion is met by the diff and nothing unrelated broke.
- Request changes with concrete, actionable feedback when the work is close.
- Fail when the approach cannot meet the criteria or the task is impossible as stated.`;

/** The system blocks of every manager call. */
export function managerSystem(): ReadonlyArray<TextBlockParam> {
  return [cachedText(MANAGER_SYSTEM_PROMPT)];
}

/** Wraps a document in a named tag. */
export function tagged(tag: string, body: string): string {
  return `<${tag}>\n${body}\n</${tag}>`;
}

/** Instruction of parse_prd. */
export function parsePrdInstruction(maxTasks: number | undefined): string {
  const size = maxTasks === undefined ? 'as many tasks as the document needs' : `at most ${maxTasks} tasks`;
  return `Break the product requirements document above into ${size}, with dependencies, and call parse_prd.`;
}

/** Instruction of expand_task. */
export function expandInstruction(taskId: string, maxSubtasks: number | undefined): string {
  const size = maxSubtasks === undefined ? 'a handful of' : `at most ${maxSubtasks}`;
  return `Split task ${taskId} above into ${size} subtasks numbered 1, 2, 3… whose dependencies name only each other, and call expand_task.`;
}

/** Instruction of analyze_and_plan. */
export const ANALYZE_INSTRUCTION = `Compare the goal with the existing tasks above. Propose new tasks (numbered after the
highest existing id) and changes to existing tasks that the goal needs, and call analyze_and_plan.
Change only what the goal requires.`;

/** Instruction of submit_review. */
export const REVIEW_INSTRUCTION = 'Review the attempt above against the acceptance criteria and call submit_review.';

/** Instruction of a merge-conflict resolution. */
export const RESOLVE_CONFLICT_INSTRUCTION = [
  'Two changes to the files above were made in parallel and conflict. In each file the part between <<<<<<< and ||||||| is the',
  'integration branch (work already merged), between ||||||| and ======= the common base, and between ======= and >>>>>>> the',
  "task's change. Combine both intents: keep everything the integration branch added and apply the task's change on top.",
  'Call resolve_conflict with the whole content of every conflicted file and no conflict markers left. If the two changes',
  'cannot be combined safely (they contradict each other), set unresolved with the reason instead.',
].join(' ');

/** Instruction of the run summary. */
export const SUMMARY_INSTRUCTION =
  'Summarise this run for the user in a few short paragraphs: what was built, what failed and why, and what to do next. Plain text, no tool calls.';
