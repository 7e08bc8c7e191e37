import { useCallback, useState } from 'react';

/** Where a value is kept: for this window's session (drafts), or across restarts (which tab a project was on). */
export type StateStorage = 'session' | 'local';

function storageOf(kind: StateStorage): Storage {
  return kind === 'local' ? window.localStorage : window.sessionStorage;
}

/** Reads a JSON value kept in storage, or the fallback when absent or unreadable. */
function readStored<T>(kind: StateStorage, key: string, fallback: T): T {
  try {
    const raw = storageOf(kind).getItem(key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

/** Writes (or, for null, removes) a JSON value in storage; a full storage only loses the copy, not the state. */
function writeStored(kind: StateStorage, key: string, value: unknown): void {
  try {
    if (value === null) storageOf(kind).removeItem(key);
    else storageOf(kind).setItem(key, JSON.stringify(value));
  } catch {
    // Quota exceeded or storage disabled: the value still lives in React state.
  }
}

/** State mirrored into web storage under a key, so it survives switching views and reloads of the page. */
export function useStoredState<T>(key: string, fallback: T, kind: StateStorage = 'session'): [T, (next: T) => void] {
  const [state, setState] = useState<{ key: string; value: T }>(() => ({ key, value: readStored(kind, key, fallback) }));
  const value = state.key === key ? state.value : readStored(kind, key, fallback);
  const set = useCallback(
    (next: T) => {
      writeStored(kind, key, next);
      setState({ key, value: next });
    },
    [key, kind],
  );
  return [value, set];
}
