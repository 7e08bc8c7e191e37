import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MethodInput, Task } from '../../../src-shared/rpc/contract';
import type { AttemptComment } from '../../../src-shared/domain/attempt-comment';
import { useRpc } from '../../rpc/RpcContext';
import { taskKeys } from '../tasks/queries';

/** Query keys of the review feature. */
export const reviewKeys = {
  diff: (project: string, attemptId: string) => ['review', project, 'diff', attemptId] as const,
  comments: (project: string, attemptId: string) => ['review', project, 'comments', attemptId] as const,
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

/** A new line comment, without project and attempt. */
export type NewLineComment = MethodInput<'attempts.addComment'>['comment'];

/** The user's line comments on an attempt's diff, oldest first. */
export function useAttemptComments(project: string, attemptId: string, enabled = true) {
  const rpc = useRpc();
  return useQuery({ queryKey: reviewKeys.comments(project, attemptId), queryFn: () => rpc.invoke('attempts.comments', { project, attemptId }), retry: false, enabled });
}

/** Adds a line comment to an attempt's diff. */
export function useAddComment(project: string, attemptId: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<AttemptComment, Error, NewLineComment>({
    mutationFn: (comment) => rpc.invoke('attempts.addComment', { project, attemptId, comment }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: reviewKeys.comments(project, attemptId) }),
  });
}

/** Deletes one of an attempt's line comments. */
export function useDeleteComment(project: string, attemptId: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<{ deleted: boolean }, Error, number>({
    mutationFn: (id) => rpc.invoke('attempts.deleteComment', { project, id }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: reviewKeys.comments(project, attemptId) }),
  });
}
