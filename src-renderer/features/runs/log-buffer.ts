/** One line of a worker's log as the Run view keeps it. */
export interface LogLine {
  readonly attemptId: string;
  readonly taskId: string;
  readonly seq: number;
  readonly at: number;
  readonly kind: string;
  readonly text: string;
}

interface Slot {
  readonly line: LogLine;
  /** Position of the line among its attempt's lines, counting from 0. */
  readonly ordinal: number;
}

interface AttemptCursor {
  /** Ordinal of the attempt's oldest line still kept. */
  firstKept: number;
  /** Ordinal the next line of the attempt gets. */
  next: number;
}

/**
 * Keeps the most recent log lines in bounded memory: at most `perAttempt` lines of any one
 * attempt and `overall` lines in total, oldest dropped first. Lines dropped because their
 * attempt is over its limit are removed lazily and compacted away in batches.
 */
export class LogRingBuffer {
  private slots: Slot[] = [];
  private head = 0;
  private readonly attempts = new Map<string, AttemptCursor>();
  private kept = 0;

  constructor(
    readonly perAttempt = 5_000,
    readonly overall = 20_000,
  ) {
    if (perAttempt < 1 || overall < 1) throw new RangeError('log buffer limits must be positive');
  }

  /** Number of lines kept. */
  get size(): number {
    return this.kept;
  }

  /** Number of lines kept of one attempt. */
  sizeOf(attemptId: string): number {
    const cursor = this.attempts.get(attemptId);
    return cursor === undefined ? 0 : cursor.next - cursor.firstKept;
  }

  /** Adds a line, dropping the oldest ones beyond the limits. */
  push(line: LogLine): void {
    let cursor = this.attempts.get(line.attemptId);
    if (cursor === undefined) {
      cursor = { firstKept: 0, next: 0 };
      this.attempts.set(line.attemptId, cursor);
    }
    this.slots.push({ line, ordinal: cursor.next });
    cursor.next += 1;
    this.kept += 1;
    if (cursor.next - cursor.firstKept > this.perAttempt) {
      cursor.firstKept += 1;
      this.kept -= 1;
    }
    while (this.kept > this.overall) this.dropOldest();
    if (this.slots.length > 2 * this.overall) this.compact();
  }

  /** The kept lines, oldest first; of one attempt when `attemptId` is given. */
  lines(attemptId?: string): ReadonlyArray<LogLine> {
    const out: LogLine[] = [];
    for (let index = this.head; index < this.slots.length; index += 1) {
      const slot = this.slots[index] as Slot;
      if (attemptId !== undefined && slot.line.attemptId !== attemptId) continue;
      if (this.isKept(slot)) out.push(slot.line);
    }
    return out;
  }

  /** Forgets every line. */
  clear(): void {
    this.slots = [];
    this.head = 0;
    this.attempts.clear();
    this.kept = 0;
  }

  private isKept(slot: Slot): boolean {
    const cursor = this.attempts.get(slot.line.attemptId);
    return cursor !== undefined && slot.ordinal >= cursor.firstKept;
  }

  private dropOldest(): void {
    while (this.head < this.slots.length) {
      const slot = this.slots[this.head] as Slot;
      this.head += 1;
      if (!this.isKept(slot)) continue;
      // The oldest kept line overall is also the oldest kept line of its attempt.
      const cursor = this.attempts.get(slot.line.attemptId) as AttemptCursor;
      cursor.firstKept = slot.ordinal + 1;
      this.kept -= 1;
      return;
    }
  }

  private compact(): void {
    this.slots = this.slots.slice(this.head).filter((slot) => this.isKept(slot));
    this.head = 0;
  }
}
