import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { ProjectSummary } from '../../../src-shared/rpc/contract';
import { useRpc } from '../../rpc/RpcContext';

/** Query keys of the projects feature. */
export const projectKeys = {
  all: ['projects'] as const,
  list: () => [...projectKeys.all, 'list'] as const,
};

/** Recent projects, kept fresh by the host's `projects.changed` event. */
export function useRecentProjects() {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  useEffect(
    () => rpc.subscribe('projects.changed', () => void queryClient.invalidateQueries({ queryKey: projectKeys.list() })),
    [rpc, queryClient],
  );
  return useQuery({ queryKey: projectKeys.list(), queryFn: () => rpc.invoke('projects.list', {}) });
}

/** Opens a project folder by path. */
export function useOpenProject() {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<ProjectSummary, Error, string>({
    mutationFn: (path) => rpc.invoke('projects.open', { path }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: projectKeys.list() }),
  });
}

/** Removes a project from the recent list (the folder itself is untouched). */
export function useForgetProject() {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<{ removed: boolean }, Error, string>({
    mutationFn: (path) => rpc.invoke('projects.forget', { path }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: projectKeys.list() }),
  });
}
