/** Splits a stream of text chunks into whole lines, keeping a partial last line until more arrives. */
export class LineSplitter {
  private pending = '';

  /** Adds a chunk; returns the lines it completed (without line endings). */
  push(chunk: string): string[] {
    const text = this.pending + chunk;
    const parts = text.split(/\r?\n/);
    this.pending = parts.pop() ?? '';
    return parts;
  }

  /** Returns what is left (a last line without a newline), if anything. */
  flush(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest.length > 0 ? [rest] : [];
  }
}
