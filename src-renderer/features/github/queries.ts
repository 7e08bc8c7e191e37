import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MethodInput, MethodOutput } from '../../../src-shared/rpc/contract';
import { useRpc } from '../../rpc/RpcContext';
import { taskKeys } from '../tasks/queries';

/** Query keys of the GitHub feature. */
export const gitHubKeys = {
  token: ['github', 'token'] as const,
};

/** Where the GitHub token comes from (masked) and the API base in use. */
export function useGitHubTokenStatus() {
  const rpc = useRpc();
  return useQuery({ queryKey: gitHubKeys.token, queryFn: () => rpc.invoke('github.tokenStatus', {}) });
}

/** Saves or removes the GitHub token in the keychain; the token status is read again after. */
export function useGitHubTokenChange() {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<unknown, Error, { readonly value: string | null }>({
    mutationFn: ({ value }) => (value === null ? rpc.invoke('secrets.delete', { name: 'github-token' }) : rpc.invoke('secrets.set', { name: 'github-token', value })),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: gitHubKeys.token }),
  });
}

/** Lists the repository's issues (on demand: it calls GitHub). */
export function useListIssues(project: string) {
  const rpc = useRpc();
  return useMutation<MethodOutput<'github.issues'>, Error, Omit<MethodInput<'github.issues'>, 'project'>>({
    mutationFn: (input) => rpc.invoke('github.issues', { project, ...input }),
  });
}

/** Imports the chosen issues as tasks; the task list is read again after. */
export function useImportIssues(project: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<MethodOutput<'github.importIssues'>, Error, { readonly repo?: string; readonly numbers: ReadonlyArray<number> }>({
    mutationFn: ({ repo, numbers }) => rpc.invoke('github.importIssues', { project, numbers: [...numbers], ...(repo === undefined ? {} : { repo }) }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: taskKeys.project(project) }),
  });
}

/** Pushes a run's work and opens its pull request (or, dry, only composes it). */
export function useCreatePullRequest(project: string) {
  const rpc = useRpc();
  return useMutation<MethodOutput<'github.pullRequest'>, Error, Omit<MethodInput<'github.pullRequest'>, 'project'>>({
    mutationFn: (input) => rpc.invoke('github.pullRequest', { project, ...input }),
  });
}
