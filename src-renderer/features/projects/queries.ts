import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { ProjectSummary } from '../../../src-shared/rpc/contract';
import { appKeys } from '../../app/HostStatus';
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

/** What the host can do: the desktop app has a native folder dialog, `co serve` does not. */
export function useHostCapabilities() {
  const rpc = useRpc();
  const info = useQuery({ queryKey: appKeys.info, queryFn: () => rpc.invoke('app.info', {}) });
  return info.data?.capabilities ?? { nativeFolderPicker: false };
}

/** Shows the desktop app's folder dialog; resolves with the chosen folder, or null when cancelled. */
export function usePickFolder() {
  const rpc = useRpc();
  return useMutation<string | null, Error, void>({
    mutationFn: async () => (await rpc.invoke('app.pickFolder', { title: 'Open a project folder' })).path,
  });
}

/** Makes the project folder a git repository (the user has confirmed); resolves with its new summary. */
export function useInitGit() {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<ProjectSummary, Error, string>({
    mutationFn: (project) => rpc.invoke('projects.initGit', { project }),
    // Everything the project showed was read from a folder without git (checkpoints, setup checks, run mode).
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
