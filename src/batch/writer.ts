// The chunked writer: a batch's output in large chunks to standard output (minding
// back-pressure) or to --output's temporary file, renamed over the target at the end.
import type { Writable } from 'node:stream';
import { Utf8Chunks } from '../util/utf8-chunks';

const FLUSH_BYTES = 1 << 20;

/**
 * Standard output or --output's temporary file, in big chunks, minding back-pressure.
 * Takes text from this thread, encoded as it comes, and bytes from the workers. Memory
 * stays at about FLUSH_BYTES whatever the size of the batch.
 */
export class Sink {
  private readonly bytes = new Utf8Chunks();
  /** The reader went away (`| head`), or writing failed: nothing more is written, and the batch stops early. */
  closed = false;
  /** Why writing failed (a full disk): thrown by the next flush. A reader that went away is not a failure. */
  private failure: Error | undefined;
  /**
   * Whether a chunk's buffer may be written into again once `out` has called back for it.
   * Only for a stream on a file descriptor (process.stdout: a pipe, file or terminal; the
   * temporary file), whose callback means the bytes are with the operating system. Other
   * streams may still hold the chunk after their callback (a PassThrough nobody reads yet).
   */
  private readonly reuseBuffers: boolean;
  constructor(
    private readonly out: Writable & { fd?: unknown },
    options: { reuseBuffers?: boolean } = {},
  ) {
    this.reuseBuffers = options.reuseBuffers ?? typeof out.fd === 'number';
    // Without a listener, a closed pipe would crash the process with a stack trace.
    out.on?.('error', (error: NodeJS.ErrnoException) => {
      this.closed = true;
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') this.failure ??= error;
    });
  }
  push(chunk: string | Uint8Array): void {
    if (this.closed) return;
    if (typeof chunk === 'string') this.bytes.write(chunk);
    else this.bytes.append(chunk);
  }
  async maybeFlush(): Promise<void> {
    if (this.bytes.size >= FLUSH_BYTES) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.bytes.size === 0 || this.closed) return;
    let flowing = true;
    if (this.reuseBuffers) {
      for (const chunk of this.bytes.takeAll()) {
        flowing = this.out.write(chunk, (error?: Error | null) => {
          if (!error) this.bytes.recycle(chunk);
        });
      }
    } else {
      for (const chunk of this.bytes.take()) flowing = this.out.write(chunk);
    }
    if (!flowing) {
      // Wait for drain or close, and remove both listeners either way: once() per flush would
      // leave one behind each time, and a long batch flushes hundreds of times.
      const out = this.out;
      await new Promise<void>((resolve) => {
        const done = () => {
          out.off('drain', done);
          out.off('close', done);
          out.off('error', done);
          resolve();
        };
        out.on('drain', done);
        out.on('close', done);
        out.on('error', done);
      });
    }
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- set by callbacks during the await; TypeScript keeps its earlier narrowing to undefined
    if (this.failure) throw this.failure;
  }
}
