import { listPoolSlots } from '../../workspace/pool-maintenance';
import { withOrchestrator } from '../project-context';
import { readProjectStatus } from '../project-status';
import { defineTool, type McpTool } from './mcp-tool';
import { addDiscoveryInput, getDiscoveriesInput, projectOnlyInput } from './tool-schemas';

/** Our own tools: what workers found out, and what the project's runs are doing. */
export const PROJECT_TOOLS: ReadonlyArray<McpTool> = [
  defineTool({
    name: 'get_discoveries',
    title: 'Get discoveries',
    description: 'Findings reported for later tasks (summary, details, tags, files), newest first: the project’s, or one task’s.',
    input: getDiscoveriesInput,
    run: ({ taskId }, project) =>
      withOrchestrator(project, (orchestrator) => {
        if (taskId === undefined) return [...orchestrator.store.discoveries.list()].reverse();
        orchestrator.getTask(taskId);
        return orchestrator.store.discoveries.listForTask(taskId);
      }),
  }),
  defineTool({
    name: 'add_discovery',
    title: 'Add a discovery',
    description: 'Record a finding later tasks should know (a convention, a pitfall, where something lives); workers on tasks that touch its files are told it.',
    input: addDiscoveryInput,
    run: ({ taskId, summary, details, tags, files }, project) =>
      withOrchestrator(project, (orchestrator) => {
        if (taskId !== undefined) orchestrator.getTask(taskId);
        const { store } = orchestrator;
        return store.write(() => store.discoveries.insert({ taskId: taskId ?? null, attemptId: null, runId: null, summary, details: details ?? null, tags, files, createdAt: Date.now() }));
      }),
  }),
  defineTool({
    name: 'get_run_status',
    title: 'Get run status',
    description: 'Task counts by status, runs in progress (in the app, `co run` or `co serve`), workers holding tasks, finished work not yet integrated, usage and cost, a rate-limit pause.',
    input: projectOnlyInput,
    run: async (_args, project) => {
      const poolSlots = await listPoolSlots(project.workingDir);
      return withOrchestrator(project, (orchestrator) => readProjectStatus(project.workingDir, orchestrator, poolSlots));
    },
  }),
];
