import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { NewTaskInput } from '../../../src-shared/domain/task';
import { useRpc } from '../../rpc/RpcContext';
import { taskKeys } from '../tasks/queries';
import type { PlanDraft } from './plan-edit';

/** Asks the manager to plan a PRD; the result is a preview, nothing is stored. */
export function usePlanPrd(project: string) {
  const rpc = useRpc();
  return useMutation<PlanDraft, Error, string>({
    mutationFn: (text) => rpc.invoke('prd.plan', { project, text }),
  });
}

/** Adds the edited plan's tasks in one batch (all or nothing), then refreshes the task list. */
export function useAcceptPlan(project: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<{ ids: ReadonlyArray<string> }, Error, NewTaskInput[]>({
    mutationFn: (tasks) => rpc.invoke('prd.accept', { project, tasks }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: taskKeys.list(project) }),
  });
}
