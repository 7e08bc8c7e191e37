import type { NewTaskInput, Task, TaskPatchInput } from '../../../src-shared/domain/task';
import { InvalidInputError } from '../../engine/errors';
import { noReadyTaskMessage, pickNextReadyTask } from '../../project/next-task';
import { titleFromDescription } from '../cli-options';
import { withOrchestrator, withStore } from '../project-context';
import { defineTool, type McpTool } from './mcp-tool';
import { addTaskInput, dependencyInput, getTaskInput, getTasksInput, projectOnlyInput, setTaskStatusInput, updateTaskInput } from './tool-schemas';

/** Task Master's task tools over the project's task graph: the same task service, rules and messages as `co list/show/add/update/next`. */
export const TASK_TOOLS: ReadonlyArray<McpTool> = [
  defineTool({
    name: 'get_tasks',
    title: 'Get tasks',
    description: 'List the project’s tasks (id, status, priority, dependencies, title, description, …), optionally only some statuses, with or without subtasks.',
    input: getTasksInput,
    run: ({ status, withSubtasks }, project) =>
      withStore(project, (store) => store.tasks.list(status === undefined ? {} : { statuses: status }).filter((task) => withSubtasks || task.parentId === null)),
  }),
  defineTool({
    name: 'get_task',
    title: 'Get a task',
    description: 'One task (or several, ids comma-separated) with everything known about it and its subtasks.',
    input: getTaskInput,
    run: ({ id, status }, project) =>
      withOrchestrator(project, (orchestrator) => {
        const found = id.map((taskId) => ({
          ...orchestrator.getTask(taskId),
          subtasks: orchestrator.listTasks({ parentId: taskId, ...(status === undefined ? {} : { statuses: status }) }),
        }));
        return found.length === 1 ? found[0] : found;
      }),
  }),
  defineTool({
    name: 'next_task',
    title: 'Next task',
    description: 'The ready task a worker would pick next (critical path, then priority, then id), without claiming it; null with the reason when none is ready.',
    input: projectOnlyInput,
    run: (_args, project) =>
      withOrchestrator(project, (orchestrator) => {
        const next = pickNextReadyTask(orchestrator.listTasks({ statuses: ['ready'] }), Date.now());
        return next === null ? { task: null, message: noReadyTaskMessage(orchestrator.store.tasks.countByStatus()) } : { task: next };
      }),
  }),
  defineTool({
    name: 'add_task',
    title: 'Add a task',
    description: 'Add a task from a prompt (its first line is the title) or from a title and description; it becomes ready when its dependencies are done. No model call.',
    input: addTaskInput,
    run: (args, project) =>
      withOrchestrator(project, (orchestrator) => {
        const description = [args.description, args.prompt].filter((text) => text !== undefined && text.trim() !== '').join('\n\n');
        const input: NewTaskInput = {
          title: args.title ?? titleFromDescription(description),
          description,
          ...(args.details === undefined ? {} : { details: args.details }),
          ...(args.testStrategy === undefined ? {} : { testStrategy: args.testStrategy }),
          ...(args.acceptanceCriteria === undefined ? {} : { acceptanceCriteria: args.acceptanceCriteria }),
          ...(args.priority === undefined ? {} : { priority: args.priority }),
          ...(args.dependencies === undefined ? {} : { dependencies: args.dependencies }),
        };
        return orchestrator.getTask(orchestrator.addTask(input));
      }),
  }),
  defineTool({
    name: 'update_task',
    title: 'Update a task',
    description: 'Change a task that is not running: a prompt is appended to its details with the time; title, description, details, priority, dependencies, … are replaced when given.',
    input: updateTaskInput,
    run: ({ id, prompt, append: _append, projectRoot: _projectRoot, ...fields }, project) =>
      withOrchestrator(project, (orchestrator) => {
        const task = orchestrator.getTask(id);
        const patch: TaskPatchInput = {
          ...definedFields(fields),
          ...(prompt === undefined ? {} : { details: appendNote(fields.details ?? task.details, prompt, new Date()) }),
        };
        return orchestrator.updateTask(id, patch);
      }),
  }),
  defineTool({
    name: 'set_task_status',
    title: 'Set task status',
    description: 'Set the status of one or more tasks, all or none: pending (run again), done, failed, cancelled or deferred. The others belong to the scheduler.',
    input: setTaskStatusInput,
    run: ({ id, status }, project) => withOrchestrator(project, (orchestrator) => orchestrator.store.write(() => id.map((taskId) => orchestrator.setTaskStatus(taskId, status)))),
  }),
  defineTool({
    name: 'add_dependency',
    title: 'Add a dependency',
    description: 'Make task(s) id depend on task(s) dependsOn; refused, with nothing changed, when it would make a cycle or names an unknown task.',
    input: dependencyInput,
    run: ({ id, dependsOn }, project) =>
      withOrchestrator(project, (orchestrator) =>
        orchestrator.store.write(() => id.map((taskId) => changeDependencies(orchestrator.getTask(taskId), (current) => [...new Set([...current, ...dependsOn])], orchestrator.updateTask.bind(orchestrator)))),
      ),
  }),
  defineTool({
    name: 'remove_dependency',
    title: 'Remove a dependency',
    description: 'Task(s) id no longer depend on task(s) dependsOn.',
    input: dependencyInput,
    run: ({ id, dependsOn }, project) =>
      withOrchestrator(project, (orchestrator) =>
        orchestrator.store.write(() =>
          id.map((taskId) =>
            changeDependencies(
              orchestrator.getTask(taskId),
              (current, task) => {
                const missing = dependsOn.filter((dependency) => !current.includes(dependency));
                if (missing.length > 0) throw new InvalidInputError([`task ${task.id} does not depend on ${missing.join(', ')} (its dependencies: ${current.join(', ') || 'none'})`]);
                return current.filter((dependency) => !dependsOn.includes(dependency));
              },
              orchestrator.updateTask.bind(orchestrator),
            ),
          ),
        ),
      ),
  }),
];

/** Applies a change to a task's dependency list through the task service (which checks the whole graph). */
function changeDependencies(task: Task, change: (current: ReadonlyArray<string>, task: Task) => ReadonlyArray<string>, update: (id: string, patch: TaskPatchInput) => Task): Task {
  return update(task.id, { dependencies: [...change(task.dependencies, task)] });
}

/** The fields a caller gave (undefined ones left out, so they are not cleared). */
function definedFields<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Task Master's "append" update: the note added to the details under the time it was given. */
function appendNote(details: string, note: string, at: Date): string {
  const entry = `[${at.toISOString()}] ${note}`;
  return details.trim() === '' ? entry : `${details.trimEnd()}\n\n${entry}`;
}
