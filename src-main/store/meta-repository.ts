import type { SqliteDatabase } from './database';

/** A rate-limit pause of a worker pool, as stored for other processes (`co status`) to see. */
export interface StoredPoolPause {
  /** Epoch ms. */
  readonly until: number;
  readonly reason: string;
}

const POOL_PAUSED_UNTIL = 'pool.pausedUntil';
const POOL_PAUSE_REASON = 'pool.pauseReason';

/** The meta key/value table (goal, master plan, pool pause, ...). */
export class MetaRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** A stored value, or undefined. */
  get(key: string): string | undefined {
    return this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value;
  }

  /** Stores or replaces a value. */
  set(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Removes a value (nothing happens when it is absent). */
  delete(key: string): void {
    this.db.prepare('DELETE FROM meta WHERE key = ?').run(key);
  }

  /** The stored pool pause, or null when none is stored or it is unreadable. */
  getPoolPause(): StoredPoolPause | null {
    const until = Number(this.get(POOL_PAUSED_UNTIL) ?? Number.NaN);
    return Number.isFinite(until) ? { until, reason: this.get(POOL_PAUSE_REASON) ?? '' } : null;
  }

  /** Records that a pool is paused until `until`; call inside a write. */
  setPoolPause(pause: StoredPoolPause): void {
    this.set(POOL_PAUSED_UNTIL, String(pause.until));
    this.set(POOL_PAUSE_REASON, pause.reason);
  }

  /** Forgets the pool pause; call inside a write. */
  clearPoolPause(): void {
    this.delete(POOL_PAUSED_UNTIL);
    this.delete(POOL_PAUSE_REASON);
  }
}
