import { useStoredState } from '../../app/use-stored-state';

/** State mirrored into sessionStorage under a key, so it survives switching tabs and reloads of the page. */
export function useSessionState<T>(key: string, fallback: T): [T, (next: T) => void] {
  return useStoredState(key, fallback, 'session');
}

/** Storage keys of the PRD feature, per project. */
export const prdStorageKeys = {
  draft: (project: string) => `prd:${project}:text`,
  imported: (project: string) => `prd:${project}:imported`,
  plan: (project: string) => `prd:${project}:plan`,
};
