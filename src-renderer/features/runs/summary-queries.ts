import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { RunSummary } from '../../../src-shared/rpc/contract';
import { useRpc } from '../../rpc/RpcContext';
import { taskKeys } from '../tasks/queries';
import { runKeys } from './queries';

/** Query keys of run summaries. */
export const summaryKeys = {
  latest: (project: string) => [...runKeys.project(project), 'summary'] as const,
};

/**
 * The newest finished run's summary (null before any run): patched when a summary is stored or decided
 * on, refetched when a finish stage ends. Not when the scheduler finishes a run: until its finish stage
 * has stored the outcome (merge, final review), runs.summary could only compose a premature one.
 */
export function useRunSummary(project: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  useEffect(() => {
    const refresh = (event: { readonly project: string; readonly step: string }) => {
      // After 'done': the stored summary, or one composed now if the stage failed before storing it.
      if (event.project === project && event.step === 'done') void queryClient.invalidateQueries({ queryKey: summaryKeys.latest(project) });
    };
    const offSummary = rpc.subscribe('run.summarized', (event) => {
      if (event.project !== project) return;
      queryClient.setQueryData<RunSummary | null>(summaryKeys.latest(project), (current) => (current === undefined || current === null || current.runId === event.runId || event.summary.startedAt >= current.startedAt ? event.summary : current));
    });
    const offFinished = rpc.subscribe('run.finishing', refresh);
    return () => {
      offSummary();
      offFinished();
    };
  }, [rpc, queryClient, project]);
  return useQuery({ queryKey: summaryKeys.latest(project), queryFn: () => rpc.invoke('runs.summary', { project }) });
}

/** Accepts (adds the tasks) or discards a run's proposed follow-up tasks. */
export function useDecideFollowUps(project: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ runId, decision }: { readonly runId: string; readonly decision: 'accept' | 'discard' }) => rpc.invoke('runs.followUps', { project, runId, decision }),
    onSuccess: (summary) => {
      queryClient.setQueryData(summaryKeys.latest(project), summary);
      void queryClient.invalidateQueries({ queryKey: taskKeys.project(project) });
    },
  });
}
