import { readPrdFile } from '../prd-file';
import { requireInitialisedProject, type ProjectContext } from '../project-context';
import type { ProjectRuntime } from '../../runtime/project-runtime';
import { defineTool, type McpTool } from './mcp-tool';
import { expandTaskInput, parsePrdInput } from './tool-schemas';

/** Task Master's planning tools: the manager's PRD parsing and task expansion, as `co parse` and `co expand` do them. */
export const PLANNING_TOOLS: ReadonlyArray<McpTool> = [
  defineTool({
    name: 'expand_task',
    title: 'Expand a task',
    description:
      'The manager splits a task that has not started into subtasks "<id>.1…" (they inherit its dependencies; the task then runs after them). Needs the project’s API key or Claude Code login.',
    input: expandTaskInput,
    run: ({ id, num, prompt }, project) =>
      withRuntime(project, async (runtime) => {
        const { expandTaskIntoSubtasks } = await import('../../runtime/expand-task');
        return expandTaskIntoSubtasks(runtime, id, { ...(num === undefined ? {} : { maxSubtasks: num }), ...(prompt === undefined ? {} : { context: prompt }) });
      }),
  }),
  defineTool({
    name: 'parse_prd',
    title: 'Parse a PRD',
    description:
      'The manager turns a product requirements document (a Markdown or text file) into tasks with dependencies, acceptance criteria and test strategy, added after the existing tasks. Needs the project’s API key or Claude Code login.',
    input: parsePrdInput,
    run: async ({ input, numTasks }, project) => {
      requireInitialisedProject(project.workingDir);
      const text = await readPrdFile(project.workingDir, input);
      return withRuntime(project, async (runtime) => {
        const { planTasksFromPrd } = await import('../../runtime/plan-prd');
        const { plan, tasks, ids } = await planTasksFromPrd(runtime, text, numTasks === undefined ? {} : { maxTasks: numTasks });
        return { ids, tasks, notes: plan.notes, modelNotes: plan.modelNotes ?? null, costUsd: plan.costUsd };
      });
    },
  }),
];

/** Opens the project's runtime (config, API key, manager) for one call, as `co parse` / `co expand` do, and closes it. */
async function withRuntime<T>(project: ProjectContext, work: (runtime: ProjectRuntime) => Promise<T>): Promise<T> {
  requireInitialisedProject(project.workingDir);
  const { openProjectRuntime } = await import('../../runtime/project-runtime');
  const runtime = await openProjectRuntime({ projectDir: project.workingDir, log: (line) => console.error(`co mcp: ${line}`) });
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}
