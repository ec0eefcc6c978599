// Batch worker threads: batches of JSON Lines in, formatted outcomes out. A stream longer
// than some 30,000 lines starts them (one per core but one); pool.ts hands out the
// batches and puts the results back in input order.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PortfolioResult } from '../report/portfolio';
import { findPackageRoot } from '../rules/default-rules';
import type { RuleSet } from '../rules/schema';
import type { Format } from '../cli/output';
import { Utf8Chunks } from '../util/utf8-chunks';
import { formatEntry, makeProcessor, NEEDS_AWAIT, type ProcessConfig } from './process';

/** Lines per message to a worker. */
export const BATCH_LINES = 128;
/**
 * Lines the main thread assesses alone before workers start (FT_ADVISOR_WORKERS_AFTER
 * changes it). A worker starts cold: its first thousand use cases run several times slower
 * than a warm thread's, it compiles the engine again, and on a two-core machine it takes
 * CPU from the main thread meanwhile. Measured on one (Node 20, 2 vCPUs, 2026-11-22): with
 * workers after 4,096 lines, 8,000 lines took 20% longer than on one thread and 20,000
 * lines 25% longer; 100,000 lines 15-30% less. A stream that has run this long is likely
 * to run as long again, which is what a worker needs to pay for itself
 * (docs/performance.md).
 */
const WORKERS_AFTER_LINES = 32_768;
/** See helperNice. */
const HELPER_NICE = 10;
/**
 * Lines in a worker's first job when the main thread shares the work; each job it
 * finishes doubles the next, up to BATCH_LINES. A cold worker is several times slower
 * than the warm main thread, and at the end of a stream everything waits for its last
 * job: small jobs keep that wait short.
 */
export const FIRST_JOB_LINES = 8;
export interface WorkerInit {
  rules: RuleSet;
  cfg: ProcessConfig;
}

export interface WorkerJob {
  seq: number;
  file: string;
  firstLine: number;
  lines: string[];
}

export interface WorkerResult {
  seq: number;
  /** Use cases in the batch (non-blank lines). */
  count: number;
  /**
   * The batch's output, formatted (see formatEntry) and encoded here, so the UTF-8
   * encoding of megabytes of reports is spread over the workers and the buffers move to
   * the main thread without a copy.
   */
  bytes: Uint8Array[];
  rows: PortfolioResult[];
  err: string;
  invalid: number;
  gateFailures: number;
  /** Use cases whose training file had lines the inspector could not read. */
  fileProblems: number;
  /** Use cases that read the --output file as evidence. */
  readsOutput: number;
  failure?: string;
}

/**
 * One batch of lines, processed on whichever thread has it: a worker, or the main thread
 * when the workers are busy. Synchronous but for loading the full validation, once.
 */
export async function processBatch(proc: ReturnType<typeof makeProcessor>, format: Format, job: WorkerJob): Promise<WorkerResult> {
  const result: WorkerResult = { seq: job.seq, count: 0, bytes: [], rows: [], err: '', invalid: 0, gateFailures: 0, fileProblems: 0, readsOutput: 0 };
  const out = new Utf8Chunks();
  try {
    for (let i = 0; i < job.lines.length; i++) {
      const lineNo = job.firstLine + i;
      let o = proc.line(job.file, lineNo, job.lines[i]!);
      if (o === NEEDS_AWAIT) o = await proc.settledLine(job.file, lineNo, job.lines[i]!);
      if (!o) continue;
      result.count++;
      if (o.entry !== undefined) out.write(o.entry);
      else if (o.body !== undefined) out.write(formatEntry(format, job.file, lineNo, o.body));
      if (o.row) result.rows.push(o.row);
      result.err += o.err;
      if (o.invalid) result.invalid++;
      if (o.gateFailed) result.gateFailures++;
      if (o.fileProblems) result.fileProblems++;
      if (o.readsOutput) result.readsOutput++;
    }
    result.bytes = out.takeAll();
  } catch (error) {
    result.failure = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  return result;
}

/**
 * node:worker_threads, loaded when first needed: a few milliseconds of start-up that a
 * batch short enough for one thread (most CI runs) never spends. Both builds have a
 * `require` (the start-up bundle is CommonJS; the ES module build defines one).
 */
export function workerThreads(): typeof import('node:worker_threads') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate: see above
  return require('node:worker_threads') as typeof import('node:worker_threads');
}

/** A batch worker thread's life: batches of lines in, results out. bin/ starts it (main.ts startBatchWorker). */
export function runBatchWorker(): void {
  const threads = workerThreads();
  const parentPort = threads.parentPort;
  const init = threads.workerData as WorkerInit;
  const proc = makeProcessor(init.rules, init.cfg);
  parentPort!.on('message', (job: WorkerJob) => {
    void processBatch(proc, init.cfg.format, job).then((result) => {
      // Utf8Chunks' buffers are its own (never Node's shared pool), so they can be moved.
      parentPort!.postMessage(result, [...new Set(result.bytes.map((b) => b.buffer as ArrayBuffer))]);
    });
  });
  parentPort!.postMessage('ready');
}

/** What bin/ is given to run a batch worker rather than a command. */
export const WORKER_FLAG = '--ft-advisor-batch-worker';

/**
 * The file a worker thread runs: bin/, which loads the start-up bundle with its code cache
 * and calls startBatchWorker (main.ts), whichever build started it. None when running from
 * source (the tests), which has no built JavaScript for a worker to load.
 */
export function workerEntry(): URL | undefined {
  if (import.meta.url.endsWith('.ts')) return undefined;
  return pathToFileURL(join(findPackageRoot(), 'bin', 'ft-advisor.cjs'));
}

/**
 * The worker threads a long JSON Lines stream gets. By default one per core but one,
 * started after WORKERS_AFTER_LINES (or FT_ADVISOR_WORKERS_AFTER), and the main thread
 * takes batches too whenever the workers are busy (or still starting).
 * FT_ADVISOR_WORKERS=N sets N dedicated workers that take every batch from the first (0:
 * none at all).
 */
export function workerPlan(env: Record<string, string | undefined>): { count: number; shareWithMain: boolean; afterLines: number } {
  const asked = integerSetting(env.FT_ADVISOR_WORKERS);
  if (asked !== undefined) return { count: Math.max(0, Math.min(asked, 64)), shareWithMain: false, afterLines: 0 };
  const after = integerSetting(env.FT_ADVISOR_WORKERS_AFTER);
  return { count: Math.min(availableParallelism() - 1, 16), shareWithMain: true, afterLines: after !== undefined && after >= 0 ? after : WORKERS_AFTER_LINES };
}

/**
 * How far a JSON Lines batch lowers the priority of the process's helper threads (nice
 * steps; FT_ADVISOR_HELPER_NICE, 0 to leave them alone). V8 compiles hot code and
 * collects garbage on four helper threads; on a two-core machine they took CPU from the
 * thread assessing the lines, which then ran slower code for longer. Measured on one
 * (Node 20, 2 vCPUs, 2026-11-22): 1,000 lines 13% faster, 5,000 10%, 20,000 7%, 100,000
 * unchanged (docs/performance.md). At 10, four helpers weigh less than the main thread
 * (so it keeps a core), yet on a machine busy with other work they still get a tenth of
 * a fair share instead of next to nothing, as at 19.
 */
export function helperNice(env: Record<string, string | undefined>): number {
  const asked = integerSetting(env.FT_ADVISOR_HELPER_NICE);
  return asked === undefined ? HELPER_NICE : Math.max(0, Math.min(asked, 19));
}

/** An environment variable's whole number, or undefined when it is unset, empty or not one. */
function integerSetting(value: string | undefined): number | undefined {
  return value !== undefined && value !== '' && Number.isInteger(Number(value)) ? Number(value) : undefined;
}
