import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { RpcClient } from '../../../src-shared/rpc/client';
import type { Run } from '../../../src-shared/rpc/contract';
import { useRpc } from '../../rpc/RpcContext';
import { taskKeys } from '../tasks/queries';
import { LiveRunStore, type LiveRunSeed } from './live-run-store';

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

/** Merges finished work kept on run branches into the user's current branch. */
export function useIntegrateKept(project: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => rpc.invoke('runs.integrate', { project }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: runKeys.status(project) }),
  });
}

/** Stored lines fetched per running attempt when the project opens mid-run; the newest ones, as the lane would have shown them. */
const SEED_LOG_LINES = 2_000;

/**
 * What a view opened (or reloaded) mid-run has missed: the running attempts from runs.status
 * (which also fills the status query) and the newest stored lines of each.
 */
export async function fetchLiveRunSeed(rpc: RpcClient, queryClient: QueryClient, project: string): Promise<LiveRunSeed> {
  const status = await queryClient.fetchQuery({ queryKey: runKeys.status(project), queryFn: () => rpc.invoke('runs.status', { project }) });
  const attempts = await Promise.all(
    status.activeAttempts.map(async (attempt) => {
      // An attempt that ended (and was pruned) in the meantime still gets its lane, just without lines.
      const lines = await rpc.invoke('attempts.logs', { project, attemptId: attempt.id, tail: true, limit: SEED_LOG_LINES }).catch(() => []);
      return { attempt, lines };
    }),
  );
  return { run: status.run, attempts, finishing: status.finishing };
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
      rpc.subscribe('run.finishing', (event) => {
        if (!mine(event)) return;
        store.finishStep({ runId: event.runId, step: event.step, branch: event.branch });
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
      rpc.subscribe('attempt.stage', (event) => {
        if (mine(event)) store.attemptStage(event.attempt);
      }),
      rpc.subscribe('integration.changed', (event) => {
        if (mine(event)) refreshStatus();
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
    // Subscribed first, then asked: nothing falls between the two (lines seen twice are kept once).
    let open = true;
    store.beginSeed();
    fetchLiveRunSeed(rpc, queryClient, project).then(
      (seed) => (open ? store.seed(seed) : undefined),
      () => (open ? store.seedFailed() : undefined),
    );
    return () => {
      open = false;
      for (const unsubscribe of unsubscribes) unsubscribe();
      store.dispose();
    };
  }, [rpc, queryClient, project, store]);
  return store;
}
