import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useRpc } from '../../rpc/RpcContext';

/** Query keys of the usage feature. */
export const usageKeys = {
  all: ['usage'] as const,
  summary: (project: string) => [...usageKeys.all, project, 'summary'] as const,
};

/** Tokens and cost per task, run and model; refetched when an attempt or a run of the project finishes. */
export function useUsageSummary(project: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  useEffect(() => {
    const refresh = (event: { readonly project: string }) => {
      if (event.project === project) void queryClient.invalidateQueries({ queryKey: usageKeys.summary(project) });
    };
    const offAttempt = rpc.subscribe('attempt.finished', refresh);
    const offRun = rpc.subscribe('run.finished', refresh);
    return () => {
      offAttempt();
      offRun();
    };
  }, [rpc, queryClient, project]);
  return useQuery({ queryKey: usageKeys.summary(project), queryFn: () => rpc.invoke('usage.summary', { project }) });
}
