// The worker pool and its ordered merge: batches out to worker threads (or kept on the
// main thread when it shares the work), results handed on strictly in input order.
import type { Worker } from 'node:worker_threads';
import { BATCH_LINES, FIRST_JOB_LINES, WORKER_FLAG, workerThreads, type WorkerInit, type WorkerJob, type WorkerResult } from './worker';

/** Batches out to worker threads (or kept on the main thread), results back in input order. */
export class Pool {
  private readonly workers: { thread: Worker; ready: boolean; load: number; jobSize: number }[];
  private seq = 0;
  private nextOut = 0;
  private inFlight = 0;
  private readonly done = new Map<number, WorkerResult>();
  private waiting: (() => void)[] = [];
  private failure: Error | undefined;

  constructor(
    entry: URL,
    size: number,
    init: WorkerInit,
    private readonly onResult: (r: WorkerResult) => void,
    /** Processes a batch on the main thread, when it shares the work. */
    private readonly inline: ((job: WorkerJob) => Promise<WorkerResult>) | undefined,
  ) {
    this.workers = Array.from({ length: size }, () => {
      const { Worker: WorkerThread } = workerThreads();
      const worker = { thread: new WorkerThread(entry, { workerData: init, argv: [WORKER_FLAG] }), ready: false, load: 0, jobSize: inline ? FIRST_JOB_LINES : BATCH_LINES };
      worker.thread.on('message', (r: WorkerResult | 'ready') => {
        if (r === 'ready') {
          worker.ready = true;
          for (const wake of this.waiting.splice(0)) wake();
        } else {
          worker.load--;
          worker.jobSize = Math.min(BATCH_LINES, worker.jobSize * 2);
          this.receive(r);
        }
      });
      worker.thread.on('error', (e) => this.fail(e));
      worker.thread.on('exit', (code) => {
        if (code !== 0 && this.inFlight > 0) this.fail(new Error(`a batch worker stopped with exit code ${code}`));
      });
      return worker;
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const wake of this.waiting.splice(0)) wake();
  }

  private receive(r: WorkerResult): void {
    if (r.failure) return this.fail(new Error(r.failure));
    this.done.set(r.seq, r);
    this.inFlight--;
    while (this.done.has(this.nextOut)) {
      const next = this.done.get(this.nextOut)!;
      this.done.delete(this.nextOut++);
      this.onResult(next);
    }
    for (const wake of this.waiting.splice(0)) wake();
  }

  private async waitOne(): Promise<void> {
    await new Promise<void>((wake) => this.waiting.push(wake));
    if (this.failure) throw this.failure;
  }

  /**
   * Hands a batch to the least busy ready worker that has room (two batches queued keeps
   * it from idling between messages). With none, the main thread processes it now if it
   * shares the work, so no core waits while workers start or catch up; else it waits.
   */
  async submit(file: string, firstLine: number, lines: string[]): Promise<void> {
    if (this.failure) throw this.failure;
    let job: WorkerJob = { seq: this.seq++, file, firstLine, lines };
    this.inFlight++;
    for (;;) {
      let target: Pool['workers'][number] | undefined;
      for (const w of this.workers) if (w.ready && w.load < (w.jobSize < BATCH_LINES ? 1 : 2) && (!target || w.load < target.load)) target = w;
      if (target && target.jobSize < job.lines.length && this.inline) {
        // A worker still warming up takes the first few lines, and this thread the rest.
        const head: WorkerJob = { ...job, lines: job.lines.slice(0, target.jobSize) };
        job = { seq: this.seq++, file, firstLine: firstLine + head.lines.length, lines: job.lines.slice(head.lines.length) };
        this.inFlight++;
        target.load++;
        target.thread.postMessage(head);
        target = undefined;
      }
      if (target) {
        target.load++;
        target.thread.postMessage(job);
        break;
      }
      if (this.inline) {
        this.receive(await this.inline(job));
        break;
      }
      await this.waitOne();
    }
    // Let finished batches come in (and be written) before reading on.
    await new Promise<void>((resolve) => setImmediate(resolve));
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- set by callbacks during the await; TypeScript keeps its earlier narrowing to undefined
    if (this.failure) throw this.failure;
  }

  /** Waits until every submitted batch has come back (and was handed on, in order). */
  async drain(): Promise<void> {
    while (this.inFlight > 0) await this.waitOne();
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.thread.terminate()));
  }
}
