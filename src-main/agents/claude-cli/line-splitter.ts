/**
 * Splits a stream of text chunks into whole lines, keeping a partial last line until more arrives.
 * Linear in the input: each chunk is searched once for line ends, and a line longer than a chunk is
 * kept as a list of its pieces (joined once, when it ends), never re-scanned or re-copied per chunk.
 */
export class LineSplitter {
  private pieces: string[] = [];

  /** Adds a chunk; returns the lines it completed (without line endings). */
  push(chunk: string): string[] {
    const lines: string[] = [];
    let start = 0;
    let end = chunk.indexOf('\n');
    while (end !== -1) {
      this.pieces.push(chunk.slice(start, end));
      lines.push(withoutCarriageReturn(this.take()));
      start = end + 1;
      end = chunk.indexOf('\n', start);
    }
    if (start < chunk.length) this.pieces.push(chunk.slice(start));
    return lines;
  }

  /** Returns what is left (a last line without a newline), if anything. */
  flush(): string[] {
    const rest = this.take();
    return rest.length > 0 ? [rest] : [];
  }

  private take(): string {
    const line = this.pieces.length === 1 ? (this.pieces[0] ?? '') : this.pieces.join('');
    this.pieces = [];
    return line;
  }
}

function withoutCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
