import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useRpc } from '../../rpc/RpcContext';

/** Query keys of the insights feature. */
export const insightKeys = {
  all: ['insights'] as const,
  project: (project: string) => [...insightKeys.all, project] as const,
  report: (project: string) => [...insightKeys.project(project), 'report'] as const,
  lessons: (project: string) => [...insightKeys.project(project), 'lessons'] as const,
};

/** Refetches the project's insights and lessons when an attempt or a run ends (new feedback). */
function useFeedbackRefresh(project: string): void {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  useEffect(() => {
    const refresh = (event: { readonly project: string }) => {
      if (event.project === project) void queryClient.invalidateQueries({ queryKey: insightKeys.project(project) });
    };
    const offs = [rpc.subscribe('attempt.finished', refresh), rpc.subscribe('run.summarized', refresh), rpc.subscribe('pool.paused', refresh)];
    return () => {
      for (const off of offs) off();
    };
  }, [rpc, queryClient, project]);
}

/** What the project's feedback says: recurring causes, success rates, costs, hot spots. */
export function useInsights(project: string) {
  const rpc = useRpc();
  useFeedbackRefresh(project);
  return useQuery({ queryKey: insightKeys.report(project), queryFn: () => rpc.invoke('insights.get', { project }) });
}

/** The lessons offered to later workers and the manager. */
export function useLessons(project: string) {
  const rpc = useRpc();
  return useQuery({ queryKey: insightKeys.lessons(project), queryFn: () => rpc.invoke('lessons.list', { project }) });
}

/** Rewrites a lesson. */
export function useUpdateLesson(project: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, text }: { readonly id: number; readonly text: string }) => rpc.invoke('lessons.update', { project, id, text }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: insightKeys.lessons(project) }),
  });
}

/** Deletes a lesson (it leaves later prompts and is not derived again). */
export function useDeleteLesson(project: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => rpc.invoke('lessons.delete', { project, id }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: insightKeys.lessons(project) }),
  });
}
