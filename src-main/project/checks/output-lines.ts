/** Longest line passed on, in characters; the rest of a longer line is counted, not kept. */
export const MAX_LINE_LENGTH = 4_096;

/** Characters of output kept as the tail of a command (about 8 KB). */
export const OUTPUT_TAIL_LENGTH = 8_192;

/**
 * Splits a stream of text chunks into lines of at most `maxLength` characters. A longer line is
 * cut with a note saying how much was left out, and its rest is never held in memory: a 2 MB line
 * costs `maxLength` characters, not 2 MB.
 */
export class BoundedLineSplitter {
  private pending = '';
  private dropped = 0;

  constructor(private readonly maxLength: number = MAX_LINE_LENGTH) {}

  /** Adds a chunk; returns the lines it completed (without line endings). */
  push(chunk: string): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let newline = chunk.indexOf('\n', start); newline !== -1; newline = chunk.indexOf('\n', start)) {
      this.take(chunk.slice(start, newline));
      lines.push(this.finishLine());
      start = newline + 1;
    }
    this.take(chunk.slice(start));
    return lines;
  }

  /** Returns what is left (a last line without a newline), if anything. */
  flush(): string[] {
    return this.pending === '' && this.dropped === 0 ? [] : [this.finishLine()];
  }

  private take(part: string): void {
    const room = this.maxLength - this.pending.length;
    if (part.length <= room) {
      this.pending += part;
      return;
    }
    this.pending += part.slice(0, Math.max(0, room));
    this.dropped += part.length - Math.max(0, room);
  }

  private finishLine(): string {
    const text = this.pending.endsWith('\r') ? this.pending.slice(0, -1) : this.pending;
    const line = this.dropped > 0 ? `${text}… [${this.dropped} more characters]` : text;
    this.pending = '';
    this.dropped = 0;
    return line;
  }
}

/** The last `limit` characters of a command's output, kept line by line. */
export class OutputTail {
  private readonly lines: string[] = [];
  private length = 0;
  private omitted = false;

  constructor(private readonly limit: number = OUTPUT_TAIL_LENGTH) {}

  /** Adds one (already bounded) line. */
  push(line: string): void {
    this.lines.push(line);
    this.length += line.length + 1;
    while (this.length > this.limit && this.lines.length > 1) {
      this.length -= (this.lines.shift() ?? '').length + 1;
      this.omitted = true;
    }
  }

  /** The kept output, with a first line saying when earlier output was left out. */
  text(): string {
    let body = this.lines.join('\n');
    if (body.length > this.limit) {
      body = body.slice(body.length - this.limit);
      this.omitted = true;
    }
    return this.omitted ? `[… earlier output omitted]\n${body}` : body;
  }
}
