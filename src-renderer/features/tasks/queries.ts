import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { isHeldByTerminal } from '../../../src-shared/domain/task-hold';
import type { TaskStatus } from '../../../src-shared/domain/task-status';
import type { NewTaskInput, TaskPatchInput } from '../../../src-shared/domain/task';
import type { RpcClient } from '../../../src-shared/rpc/client';
import type { Task } from '../../../src-shared/rpc/contract';
import { useRpc } from '../../rpc/RpcContext';

/** Query keys of the tasks feature (tasks, their attempts and the attempts' logs). */
export const taskKeys = {
  all: ['tasks'] as const,
  project: (project: string) => [...taskKeys.all, project] as const,
  list: (project: string) => [...taskKeys.project(project), 'list'] as const,
  attempts: (project: string, taskId: string) => [...taskKeys.project(project), 'attempts', taskId] as const,
  logs: (project: string, attemptId: string) => [...taskKeys.project(project), 'logs', attemptId] as const,
  discoveries: (project: string, taskId: string) => [...taskKeys.project(project), 'discoveries', taskId] as const,
};

/** Lines fetched per page of an attempt's stored log. */
export const LOG_PAGE_SIZE = 2_000;

/** Every task of the project; task events (see followTaskEvents) keep it current. */
export function useTasks(project: string) {
  const rpc = useRpc();
  return useQuery({
    queryKey: taskKeys.list(project),
    queryFn: () => rpc.invoke('tasks.list', { project }),
    // A terminal's hold is renewed without task events: while one shows, its expiry is kept fresh.
    refetchInterval: (query) => (query.state.data?.some((task) => isHeldByTerminal(task, Date.now())) === true ? HOLD_REFETCH_MS : false),
  });
}

/** How often the tasks are refetched while one is held by a terminal (a hold is renewed every 20 s and lasts 60 s). */
const HOLD_REFETCH_MS = 20_000;

/** Keeps the task list in step with the host's task events, whichever client (or window) made the change. */
export function useTaskEvents(project: string): void {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  useEffect(() => followTaskEvents(rpc, queryClient, project), [rpc, queryClient, project]);
}

/** How long a burst of task events may last before the one refetch that follows it. */
const REFETCH_AFTER_MS = 750;

/**
 * Applies the project's task events to the cache: `task.changed` patches a status at once,
 * `task.removed` drops the task at once, `tasks.reset` (a rollback, a loaded state) refetches
 * everything about tasks; other fields come with one refetch per burst. Returns the unsubscribe.
 */
export function followTaskEvents(rpc: RpcClient, queryClient: QueryClient, project: string): () => void {
  let refetch: ReturnType<typeof setTimeout> | undefined;
  const refetchSoon = () => {
    refetch ??= setTimeout(() => {
      refetch = undefined;
      void queryClient.invalidateQueries({ queryKey: taskKeys.list(project) });
    }, REFETCH_AFTER_MS);
  };
  const unsubscribes = [
    rpc.subscribe('task.changed', (event) => {
      if (event.project !== project) return;
      const known = patchStatus(queryClient, project, event.taskId, event.status, event.reason);
      if (known) refetchSoon();
      else void queryClient.invalidateQueries({ queryKey: taskKeys.list(project) });
    }),
    rpc.subscribe('task.removed', (event) => {
      if (event.project !== project) return;
      dropTask(queryClient, project, event.taskId);
      // Tasks that depended on it lost that edge (a forced delete), and readiness may have moved.
      refetchSoon();
    }),
    rpc.subscribe('discovery', (event) => {
      if (event.project !== project || event.discovery.taskId === null) return;
      void queryClient.invalidateQueries({ queryKey: taskKeys.discoveries(project, event.discovery.taskId) });
    }),
    rpc.subscribe('tasks.reset', (event) => {
      if (event.project !== project) return;
      void queryClient.invalidateQueries({ queryKey: taskKeys.project(project) });
    }),
  ];
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
    if (refetch !== undefined) clearTimeout(refetch);
  };
}

/** Removes a deleted task from the cached list and forgets its attempts; a detail panel showing it then says it no longer exists. */
function dropTask(queryClient: QueryClient, project: string, taskId: string): void {
  queryClient.setQueryData<ReadonlyArray<Task>>(taskKeys.list(project), (tasks) => tasks?.filter((task) => task.id !== taskId));
  queryClient.removeQueries({ queryKey: taskKeys.attempts(project, taskId), exact: true });
}

/** Sets one task's status in the cached list; false when the task is not in the cache. */
function patchStatus(queryClient: QueryClient, project: string, taskId: string, status: TaskStatus, reason: string | null): boolean {
  let found = false;
  queryClient.setQueryData<ReadonlyArray<Task>>(taskKeys.list(project), (tasks) => {
    if (tasks === undefined) return tasks;
    return tasks.map((task) => {
      if (task.id !== taskId) return task;
      found = true;
      return { ...task, status, statusReason: reason };
    });
  });
  return found;
}

/** The attempts of one task, newest last. */
export function useAttempts(project: string, taskId: string) {
  const rpc = useRpc();
  return useQuery({ queryKey: taskKeys.attempts(project, taskId), queryFn: () => rpc.invoke('attempts.list', { project, id: taskId }) });
}

/** What workers found while doing a task, newest first (kept current by the `discovery` event). */
export function useDiscoveries(project: string, taskId: string) {
  const rpc = useRpc();
  return useQuery({ queryKey: taskKeys.discoveries(project, taskId), queryFn: () => rpc.invoke('discoveries.list', { project, taskId }) });
}

/** The stored log of one attempt, page by page. */
export function useAttemptLogs(project: string, attemptId: string) {
  const rpc = useRpc();
  return useInfiniteQuery({
    queryKey: taskKeys.logs(project, attemptId),
    queryFn: ({ pageParam }) => rpc.invoke('attempts.logs', { project, attemptId, afterSeq: pageParam, limit: LOG_PAGE_SIZE }),
    initialPageParam: 0,
    getNextPageParam: (lastPage) => (lastPage.length < LOG_PAGE_SIZE ? undefined : (lastPage[lastPage.length - 1]?.seq ?? undefined)),
  });
}

/** Replaces one task in the cached list after a mutation answered with it. */
function storeTask(queryClient: QueryClient, project: string, task: Task): void {
  queryClient.setQueryData<ReadonlyArray<Task>>(taskKeys.list(project), (tasks) => tasks?.map((existing) => (existing.id === task.id ? task : existing)));
  void queryClient.invalidateQueries({ queryKey: taskKeys.list(project) });
}

/** Adds a task. */
export function useCreateTask(project: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<Task, Error, NewTaskInput>({
    mutationFn: (task) => rpc.invoke('tasks.create', { project, task }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: taskKeys.list(project) }),
  });
}

/** Edits a task's fields. */
export function useUpdateTask(project: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<Task, Error, { readonly id: string; readonly patch: TaskPatchInput }>({
    mutationFn: ({ id, patch }) => rpc.invoke('tasks.update', { project, id, patch }),
    onSuccess: (task) => storeTask(queryClient, project, task),
  });
}

/** Sets a status a user may set (pending, deferred, cancelled, done). */
export function useSetTaskStatus(project: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<Task, Error, { readonly id: string; readonly status: TaskStatus; readonly reason?: string }>({
    mutationFn: ({ id, status, reason }) => rpc.invoke('tasks.setStatus', { project, id, status, ...(reason === undefined ? {} : { reason }) }),
    onSuccess: (task) => storeTask(queryClient, project, task),
  });
}

/** Deletes a task; without `force` the host refuses when other tasks depend on it. */
export function useDeleteTask(project: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<{ deleted: true }, Error, { readonly id: string; readonly force: boolean }>({
    mutationFn: ({ id, force }) => rpc.invoke('tasks.delete', { project, id, force }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: taskKeys.list(project) }),
  });
}

/** Cancels a task; a running attempt is aborted and its dependents are blocked. */
export function useCancelTask(project: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<Task, Error, string>({
    mutationFn: (id) => rpc.invoke('tasks.cancel', { project, id }),
    onSuccess: (task) => storeTask(queryClient, project, task),
  });
}
