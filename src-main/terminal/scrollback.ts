/** What a terminal session keeps of its output by default, for a client that attaches late (about 2,000 lines of 100 columns). */
export const DEFAULT_SCROLLBACK_CHARS = 200_000;

/**
 * The newest output of a terminal, bounded in characters: chunks are appended as they come and the
 * oldest dropped (the first one cut) once the total passes the limit, so a program that prints
 * megabytes costs the host at most `limit` characters. A cut may fall inside an escape sequence;
 * xterm.js skips what it cannot parse.
 */
export class ScrollbackBuffer {
  private chunks: string[] = [];
  private size = 0;

  constructor(readonly limit: number = DEFAULT_SCROLLBACK_CHARS) {
    if (!Number.isInteger(limit) || limit <= 0) throw new RangeError('A scrollback limit is a positive number of characters.');
  }

  /** Appends output, dropping the oldest beyond the limit. */
  append(text: string): void {
    if (text.length === 0) return;
    if (text.length >= this.limit) {
      this.chunks = [text.slice(text.length - this.limit)];
      this.size = this.limit;
      return;
    }
    this.chunks.push(text);
    this.size += text.length;
    while (this.size > this.limit) {
      const first = this.chunks[0] ?? '';
      const excess = this.size - this.limit;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.slice(excess);
        this.size -= excess;
      }
    }
  }

  /** Everything kept, oldest first. */
  text(): string {
    if (this.chunks.length > 1) this.chunks = [this.chunks.join('')];
    return this.chunks[0] ?? '';
  }

  /** Characters kept. */
  get length(): number {
    return this.size;
  }
}
