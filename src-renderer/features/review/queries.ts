import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MethodInput, Task } from '../../../src-shared/rpc/contract';
import { useRpc } from '../../rpc/RpcContext';
import { taskKeys } from '../tasks/queries';

/** Query keys of the review feature. */
export const reviewKeys = {
  diff: (project: string, attemptId: string) => ['review', project, 'diff', attemptId] as const,
};

/** The user's verdict on a task, without project and id. */
export type ReviewChoice = Pick<MethodInput<'tasks.review'>, 'verdict' | 'feedback'>;

/** An attempt's diff against the commit it started from (secrets masked by the host). */
export function useAttemptDiff(project: string, attemptId: string) {
  const rpc = useRpc();
  return useQuery({ queryKey: reviewKeys.diff(project, attemptId), queryFn: () => rpc.invoke('attempts.diff', { project, attemptId }), retry: false });
}

/** Approves, requests changes or rejects a finished task by hand. */
export function useReviewTask(project: string, taskId: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<Task, Error, ReviewChoice>({
    mutationFn: (choice) => rpc.invoke('tasks.review', { project, id: taskId, ...choice }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: taskKeys.project(project) }),
  });
}
