import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Run } from '../../../src-shared/rpc/contract';
import { useRpc } from '../../rpc/RpcContext';
import { taskKeys } from '../tasks/queries';
import { LiveRunStore } from './live-run-store';

/** Query keys of the runs feature. */
export const runKeys = {
  all: ['runs'] as const,
  project: (project: string) => [...runKeys.all, project] as const,
  status: (project: string) => [...runKeys.project(project), 'status'] as const,
};

/** How often runs.status is refetched while a run is going (for cost so far); never when idle. */
const RUNNING_REFETCH_MS = 5_000;

/** The scheduler's status and the project's cost so far; refetched slowly while running, and on run start/finish. */
export function useRunStatus(project: string) {
  const rpc = useRpc();
  return useQuery({
    queryKey: runKeys.status(project),
    queryFn: () => rpc.invoke('runs.status', { project }),
    refetchInterval: (query) => (query.state.data?.running === true ? RUNNING_REFETCH_MS : false),
  });
}

/** Starts a run of every ready task. */
export function useStartRun(project: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<Run, Error, void>({
    mutationFn: () => rpc.invoke('runs.start', { project }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: runKeys.status(project) }),
  });
}

/** Stops the run in progress; resolves when its workers have stopped. */
export function useStopRun(project: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<Run | null, Error, void>({
    mutationFn: () => rpc.invoke('runs.stop', { project }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: runKeys.status(project) }),
  });
}

/** Collects the project's live run events for as long as the project is open, whichever view shows. */
export function useLiveRun(project: string): LiveRunStore {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  const [store] = useState(() => new LiveRunStore());
  useEffect(() => {
    const mine = (payload: { readonly project: string }) => payload.project === project;
    const refreshStatus = () => void queryClient.invalidateQueries({ queryKey: runKeys.status(project) });
    const unsubscribes = [
      rpc.subscribe('run.started', (event) => {
        if (!mine(event)) return;
        store.runStarted(event.run);
        refreshStatus();
      }),
      rpc.subscribe('run.finished', (event) => {
        if (!mine(event)) return;
        store.runFinished(event.run);
        refreshStatus();
      }),
      rpc.subscribe('run.progress', (event) => {
        if (mine(event)) store.progress(event);
      }),
      rpc.subscribe('attempt.started', (event) => {
        if (!mine(event)) return;
        store.attemptStarted(event.attempt);
        void queryClient.invalidateQueries({ queryKey: taskKeys.attempts(project, event.attempt.taskId) });
      }),
      rpc.subscribe('attempt.finished', (event) => {
        if (!mine(event)) return;
        store.attemptFinished(event.attempt);
        void queryClient.invalidateQueries({ queryKey: taskKeys.attempts(project, event.attempt.taskId) });
        refreshStatus();
      }),
      rpc.subscribe('attempt.log', (event) => {
        if (!mine(event)) return;
        store.log({ attemptId: event.attemptId, taskId: event.taskId, seq: event.seq, at: event.at, kind: event.kind, text: event.text });
      }),
      rpc.subscribe('pool.paused', (event) => {
        if (mine(event)) store.paused(event.until, event.reason);
      }),
      rpc.subscribe('pool.resumed', (event) => {
        if (mine(event)) store.resumed();
      }),
    ];
    return () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
      store.dispose();
    };
  }, [rpc, queryClient, project, store]);
  return store;
}
