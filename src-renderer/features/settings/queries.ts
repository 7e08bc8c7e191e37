import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MethodOutput } from '../../../src-shared/rpc/contract';
import { useRpc } from '../../rpc/RpcContext';

/** Keychain secrets the app can store. */
export type SecretName = 'anthropic-api-key' | 'slack-webhook-url';

/** Query keys of the settings feature. */
export const settingsKeys = {
  all: ['settings'] as const,
  config: (project: string) => [...settingsKeys.all, project, 'config'] as const,
  secrets: (project: string | null) => [...settingsKeys.all, project, 'secrets'] as const,
  setup: (project: string | null) => [...settingsKeys.all, project, 'setup'] as const,
};

/** The project's config file content with defaults filled. */
export function useProjectConfig(project: string) {
  const rpc = useRpc();
  return useQuery({ queryKey: settingsKeys.config(project), queryFn: () => rpc.invoke('config.get', { project }) });
}

/** Validates and writes the whole config; the cache is replaced with what was written. */
export function useUpdateConfig(project: string) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<MethodOutput<'config.update'>, Error, Record<string, unknown>>({
    mutationFn: (config) => rpc.invoke('config.update', { project, config }),
    onSuccess: (written) => {
      queryClient.setQueryData<MethodOutput<'config.get'>>(settingsKeys.config(project), { file: written.file, exists: true, config: written.config });
      void queryClient.invalidateQueries({ queryKey: settingsKeys.setup(project) });
    },
  });
}

/** Where the API key and the Slack webhook come from (masked). */
export function useSecretsStatus(project: string | null) {
  const rpc = useRpc();
  return useQuery({ queryKey: settingsKeys.secrets(project), queryFn: () => rpc.invoke('secrets.status', project === null ? {} : { project }) });
}

/** Saves a secret to the keychain. */
export function useSetSecret(project: string | null) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<unknown, Error, { readonly name: SecretName; readonly value: string }>({
    mutationFn: ({ name, value }) => rpc.invoke('secrets.set', { name, value }),
    onSettled: () => invalidateKeys(queryClient, project),
  });
}

/** Removes a secret from the keychain. */
export function useDeleteSecret(project: string | null) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  return useMutation<{ deleted: boolean }, Error, SecretName>({
    mutationFn: (name) => rpc.invoke('secrets.delete', { name }),
    onSettled: () => invalidateKeys(queryClient, project),
  });
}

/** Checks proposed from the project's files (on demand: reading them is not free, and the user asks for it). */
export function useProposeChecks(project: string) {
  const rpc = useRpc();
  return useMutation<MethodOutput<'checks.propose'>, Error, void>({ mutationFn: () => rpc.invoke('checks.propose', { project }) });
}

/** The first-run checks (claude CLI, git, API key, keychain…). */
export function useSetupCheck(project: string | null) {
  const rpc = useRpc();
  return useQuery({ queryKey: settingsKeys.setup(project), queryFn: () => rpc.invoke('setup.check', project === null ? {} : { project }) });
}

function invalidateKeys(queryClient: ReturnType<typeof useQueryClient>, project: string | null): void {
  void queryClient.invalidateQueries({ queryKey: settingsKeys.secrets(project) });
  void queryClient.invalidateQueries({ queryKey: settingsKeys.setup(project) });
}
