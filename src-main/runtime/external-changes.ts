import type { Store } from '../store/store';

/** How often a project's database is asked whether another process wrote to it. */
const POLL_MS = 1_000;

/**
 * Watches a project's database for writes made by other processes — `co add` or `co mcp` in a
 * terminal, a `co run`, the app on the same project — and calls `onChange` at most once per poll
 * after one, so an open app shows them without a reload (their writes raise no event here).
 * SQLite's `data_version` changes only for commits by other connections, so this process's own
 * writes never trigger it; asking costs a few microseconds. Returns the stop function.
 */
export function watchExternalChanges(store: Store, onChange: () => void, pollMs = POLL_MS): () => void {
  let seen = store.dataVersion();
  const timer = setInterval(() => {
    let now: number;
    try {
      now = store.dataVersion();
    } catch {
      // Closed under us (the project is closing): nothing more to watch.
      clearInterval(timer);
      return;
    }
    if (now === seen) return;
    seen = now;
    onChange();
  }, pollMs);
  timer.unref();
  return () => clearInterval(timer);
}
