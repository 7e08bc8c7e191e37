import { criticalPathRanks } from '../../src-shared/graph/critical-path';
import type { Store } from '../store/store';

/** Recomputes every task's critical-path rank (unit durations) and stores the changed ones; call inside a write. */
export function refreshCriticalRanks(store: Store): void {
  store.tasks.setCriticalRanks(criticalPathRanks(store.dependencies.graph()));
}
