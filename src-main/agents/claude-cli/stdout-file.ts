import { closeSync, openSync } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

/** Read in pieces of this size, one per turn of the event loop, so a burst of output never holds the host for long. */
const READ_CHUNK_BYTES = 64 * 1024;
const POLL_INTERVAL_MS = 50;

/**
 * Claude Code's stdout, written to a temporary file that is read as it grows.
 *
 * Why not a pipe: Claude Code exits right after printing its `result` line without waiting for
 * stdout to drain. Through a pipe, whatever the reader had not taken yet is lost: a 2 MB line
 * (base64 of an image, a minified bundle) takes long enough to read that the `result` event after
 * it vanished, and every such attempt failed with "exited with code 0 without a result". Writes to
 * a file complete before the CLI moves on, so nothing is lost however busy this process is. The
 * child gets the file descriptor itself (execa's `{ file }` option would pipe through this process).
 */
export class StdoutFile {
  private position = 0;
  private readonly decoder = new StringDecoder('utf8');
  private readonly buffer = Buffer.alloc(READ_CHUNK_BYTES);
  private reading: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failure: unknown;

  private constructor(
    private readonly folder: string,
    /** The descriptor the child writes to; pass it as execa's `stdout`. */
    readonly fd: number,
    private readonly handle: FileHandle,
    private readonly onText: (text: string) => void,
  ) {}

  /** Creates the empty file and starts following it; `onText` gets the decoded text in order. */
  static async create(onText: (text: string) => void): Promise<StdoutFile> {
    const folder = await mkdtemp(join(tmpdir(), 'co-claude-stdout-'));
    const path = join(folder, 'stdout.jsonl');
    const fd = openSync(path, 'w');
    const handle = await open(path, 'r');
    const file = new StdoutFile(folder, fd, handle, onText);
    file.schedule();
    return file;
  }

  /** Reads what is left once the child has exited (its descriptor, which this process also holds, is closed here), then closes and removes the file. Rethrows an error of `onText`. */
  async finish(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    try {
      await this.readMore();
      if (this.failure === undefined) this.deliver(this.decoder.end());
    } finally {
      closeSync(this.fd);
      await this.handle.close().catch(() => undefined);
      await rm(this.folder, { recursive: true, force: true });
    }
    if (this.failure !== undefined) throw this.failure;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.readMore().then(() => this.schedule());
    }, POLL_INTERVAL_MS);
  }

  /** Reads to the current end of the file, one chunk per turn of the event loop. */
  private readMore(): Promise<void> {
    this.reading = this.reading.then(async () => {
      try {
        while (this.failure === undefined) {
          const { bytesRead } = await this.handle.read(this.buffer, 0, this.buffer.length, this.position);
          if (bytesRead === 0) return;
          this.position += bytesRead;
          this.deliver(this.decoder.write(this.buffer.subarray(0, bytesRead)));
        }
      } catch (error) {
        this.failure ??= error;
      }
    });
    return this.reading;
  }

  private deliver(text: string): void {
    if (text === '' || this.failure !== undefined) return;
    try {
      this.onText(text);
    } catch (error) {
      this.failure = error;
    }
  }
}
