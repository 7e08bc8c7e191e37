import { useCallback, useState } from 'react';

/** Reads a JSON value kept in sessionStorage, or the fallback when absent or unreadable. */
function readStored<T>(key: string, fallback: T): T {
  try {
    const raw = window.sessionStorage.getItem(key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

/** Writes (or, for null, removes) a JSON value in sessionStorage; a full storage only loses the copy, not the state. */
function writeStored(key: string, value: unknown): void {
  try {
    if (value === null) window.sessionStorage.removeItem(key);
    else window.sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Quota exceeded or storage disabled: the value still lives in React state.
  }
}

/** State mirrored into sessionStorage under a key, so it survives switching tabs and reloads of the page. */
export function useSessionState<T>(key: string, fallback: T): [T, (next: T) => void] {
  const [state, setState] = useState<{ key: string; value: T }>(() => ({ key, value: readStored(key, fallback) }));
  const value = state.key === key ? state.value : readStored(key, fallback);
  const set = useCallback(
    (next: T) => {
      writeStored(key, next);
      setState({ key, value: next });
    },
    [key],
  );
  return [value, set];
}

/** Storage keys of the PRD feature, per project. */
export const prdStorageKeys = {
  draft: (project: string) => `prd:${project}:text`,
  imported: (project: string) => `prd:${project}:imported`,
  plan: (project: string) => `prd:${project}:plan`,
};
