import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MethodInput, MethodOutput } from '../../../src-shared/rpc/contract';
import { useRpc } from '../../rpc/RpcContext';
import { taskKeys } from '../tasks/queries';

/** Query keys of the checkpoints feature. */
export const checkpointKeys = {
  all: ['checkpoints'] as const,
  list: (project: string) => [...checkpointKeys.all, project, 'list'] as const,
};

/** A checkpoint as listed. */
export type CheckpointItem = MethodOutput<'checkpoints.list'>[number];
/** A rollback request without the project. */
export type RollbackChoice = Omit<MethodInput<'checkpoints.rollback'>, 'project'>;
/** What a rollback would change. */
export type RollbackPreview = MethodOutput<'checkpoints.preview'>;
/** What a rollback did. */
export type RollbackResult = MethodOutput<'checkpoints.rollback'>;

/** The project's checkpoints, newest first. */
export function useCheckpoints(project: string) {
  const rpc = useRpc();
  return useQuery({ queryKey: checkpointKeys.list(project), queryFn: () => rpc.invoke('checkpoints.list', { project }) });
}

/** Records the working tree and task table now. */
export function useCreateCheckpoint(project: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<CheckpointItem, Error, string>({
    mutationFn: (description) => rpc.invoke('checkpoints.create', { project, description }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: checkpointKeys.list(project) }),
  });
}

/** Deletes a checkpoint's refs. */
export function useDeleteCheckpoint(project: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<{ deleted: boolean }, Error, string>({
    mutationFn: (id) => rpc.invoke('checkpoints.delete', { project, id }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: checkpointKeys.list(project) }),
  });
}

/** What a rollback would change; asked on demand, so a mutation rather than a cached query. */
export function usePreviewRollback(project: string) {
  const rpc = useRpc();
  return useMutation<RollbackPreview, Error, RollbackChoice>({ mutationFn: (choice) => rpc.invoke('checkpoints.preview', { project, ...choice }) });
}

/** Rolls back; the host's tasks.reset event refetches every client's tasks, and this one refetches at once when it answers. */
export function useRollback(project: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<RollbackResult, Error, RollbackChoice>({
    mutationFn: (choice) => rpc.invoke('checkpoints.rollback', { project, ...choice }),
    onSettled: async () => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: checkpointKeys.list(project) }), queryClient.invalidateQueries({ queryKey: taskKeys.project(project) })]);
    },
  });
}
