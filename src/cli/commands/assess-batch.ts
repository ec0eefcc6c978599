// `assess` on many use cases: several files, a folder, or JSON Lines (a file ending in
// .jsonl, or standard input with one answers document per line). One result per use
// case; a bad input is reported by name and the others still run.
//
// JSON Lines is the throughput path (CI over a whole portfolio): lines are parsed with
// JSON.parse, checked with the quick conformance walk, assessed synchronously, and
// written in large chunks. A stream longer than some 30,000 lines starts worker
// threads (one per core but one); batches go to whichever thread is free, the main
// thread included, and come back in order, so a long stream uses every core.
import fs from 'node:fs';
import { availableParallelism } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StringDecoder } from 'node:string_decoder';
import type { Worker } from 'node:worker_threads';
import { answersAreValid } from '../../answers/conforms';
import { isJsonLinesPath } from '../../answers/read';
import type { Answers } from '../../answers/schema';
import { loadValidation } from '../../answers/load-validation';
import { assessAnswers, assessCore, type Report, type ReportCore } from '../../engine/assess';
import type { ReportDiff } from '../../report/diff';
import { decisionRecordLine, textsNeedNoEscaping } from '../../report/record';
import type { PortfolioReport, PortfolioResult } from '../../report/portfolio';
import { findPackageRoot } from '../../rules/default-rules';
import type { RuleSet } from '../../rules/schema';
import { InputError, UsageError, type Problem } from '../../util/errors';
import { ANSWERS_MAX_BYTES, formatBytes, readInputFile, startsAsUtf16, UTF16_PROBLEM } from '../../util/read-input';
import { hasDuplicateKeys } from '../../util/json-duplicates';
import { jsonDuplicateKeyPath, parseStructured } from '../../util/safe-yaml';
import { stripTerminalControls } from '../../util/sanitize';
import { Utf8Chunks } from '../../util/utf8-chunks';
import { knownWidth } from '../../util/width';
import { EXIT, printProblems, useColor, type CliIO } from '../io';
import { renderReport, writeReport, type Format } from '../output';
import { expectGate, finishAssessment, type AssessOptions } from './assess-finish';

export const STDIN_LABEL = '<stdin>';
const STDIN_UTF16: Problem = { file: STDIN_LABEL, message: `standard input ${UTF16_PROBLEM.message}`, hint: UTF16_PROBLEM.hint };
const ANSWER_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const FLUSH_BYTES = 1 << 20;
const NO_PROBLEMS: Problem[] = [];
/** Lines per message to a worker. */
const BATCH_LINES = 128;
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
const FIRST_JOB_LINES = 8;

/** The full validation, loaded when the first invalid document needs its problems worded. */
let fullValidation: Promise<typeof import('../../answers/validate')['answerProblems']> | undefined;
let answerProblems: typeof import('../../answers/validate')['answerProblems'] | undefined;

/**
 * A validator for many answers documents: the quick check (kept in lockstep with zod by
 * test/property/conforms.property.test.ts) passes valid documents, and only the ones that
 * fail get the full validation that words their problems. That one (zod) is loaded for
 * the first invalid document, so a batch of valid ones never loads it.
 */
export function answersValidator(rules: RuleSet) {
  /** The problems, or undefined when the full validation is needed and not loaded yet (`load`, then ask again). */
  const check = (data: unknown, file: string): Problem[] | undefined =>
    answersAreValid(data, rules) ? NO_PROBLEMS : answerProblems && answerProblems(data, rules, { file });
  const load = async (): Promise<void> => {
    answerProblems ??= await (fullValidation ??= loadValidation().then((m) => m.answerProblems));
  };
  return {
    check,
    load,
    async problems(data: unknown, file: string): Promise<Problem[]> {
      const problems = check(data, file);
      if (problems) return problems;
      await load();
      return check(data, file)!;
    },
  };
}


// ---------------------------------------------------------------------------------------
// One use case: shared by the main thread and the workers

export interface ProcessConfig {
  format: Format;
  whatIf: boolean;
  expect?: string;
  /** Keep portfolio rows (text, markdown, job summaries). */
  rows: boolean;
  /** Keep the full reports in the rows (text, markdown: they are rendered at the end). */
  fullRows: boolean;
  /**
   * Build full reports even for JSON Lines: a baseline comparison explains drift with the
   * parts a decision record leaves out (the decision path). Else jsonl builds only what
   * its records carry (assessCore).
   */
  fullReports?: boolean;
  /** The project config the options came from, named in each full report. */
  config?: string;
}

export interface Outcome {
  /**
   * The result as JSON, without `file` and `line`: for json an indented object, for jsonl
   * its members without the braces (formatEntry adds them, after `file` and `line`).
   */
  body?: string;
  /** A jsonl decision record instead of a body: the whole line, ready to write. */
  entry?: string;
  /** What goes to standard error: problems, failed gates. */
  err: string;
  row?: PortfolioResult;
  /** The report (for jsonl without a baseline, only its core: what the record carries). */
  report?: Report | ReportCore;
  invalid: boolean;
  gateFailed: boolean;
}

/** A stand-in for standard error that keeps what the gates and problem lists print. */
function textCollector(): { stream: CliIO['stderr']; take: () => string } {
  let text = '';
  const stream = {
    write(chunk: unknown) {
      text += String(chunk);
      return true;
    },
  } as unknown as CliIO['stderr'];
  return {
    stream,
    take: () => {
      const out = text;
      text = '';
      return out;
    },
  };
}

/** The parts of a report the portfolio table and job summary need (a batch can be large). */
function slim(report: Report | ReportCore): PortfolioReport {
  const m = report.recommendation.method;
  return {
    useCase: report.useCase,
    rules: report.rules,
    recommendation: { approach: report.recommendation.approach, title: report.recommendation.title, confidence: report.recommendation.confidence, method: m && { objective: m.objective, technique: m.technique, distillation: m.distillation } },
    framework: { score: report.framework.score, scoreBand: report.framework.scoreBand, difference: report.framework.difference, differenceBand: report.framework.differenceBand, indicators: report.framework.indicators, antiIndicators: report.framework.antiIndicators },
  };
}

export function makeProcessor(rules: RuleSet, cfg: ProcessConfig) {
  const validator = answersValidator(rules);
  const err = textCollector();
  const errIO = { stderr: err.stream } as CliIO;
  const json = cfg.format === 'json' || cfg.format === 'jsonl';
  const coreOnly = cfg.format === 'jsonl' && !cfg.fullRows && !cfg.fullReports;
  const bodyOf = cfg.format === 'json' ? (x: unknown) => JSON.stringify(x, null, 2).replace(/\n/g, '\n  ') : (x: unknown) => JSON.stringify(x).slice(1, -1);

  /**
   * One answers document, already parsed (or the problems that stopped it). NEEDS_VALIDATION
   * when it is invalid and the full validation is not loaded yet (settledDoc loads it and
   * asks again).
   */
  const doc = (file: string, line: number | undefined, data: unknown, known?: Problem[], jsonText?: string): Outcome | typeof NEEDS_VALIDATION => {
    let problems = known ?? validator.check(data, file);
    if (!problems) return NEEDS_VALIDATION;
    if (problems.length) {
      if (line !== undefined) problems = problems.map((p) => (p.line === undefined ? { ...p, line } : p));
      printProblems(new InputError(problems), errIO);
      const listed = problems.map(({ file: _f, line: l, ...p }) => (l === undefined || l === line ? p : { ...p, line: l }));
      return { body: json ? bodyOf({ error: { problems: listed } }) : undefined, err: err.take(), row: cfg.rows ? { file, line, problems } : undefined, invalid: true, gateFailed: false };
    }
    const report = coreOnly ? assessCore(rules, data as Answers, { whatIf: cfg.whatIf }) : assessAnswers(rules, data as Answers, { whatIf: cfg.whatIf });
    if (cfg.config && !coreOnly) (report as Report).config = cfg.config;
    const failedGates: string[] = [];
    if (cfg.expect && expectGate(report, cfg.expect, errIO, line === undefined ? file : `${file}:${line}`) !== EXIT.ok) {
      failedGates.push(`expected ${cfg.expect}, got ${report.recommendation.approach}`);
    }
    return {
      body: json && cfg.format !== 'jsonl' ? bodyOf(report) : undefined,
      entry: cfg.format === 'jsonl' ? `${decisionRecordLine(report, file, line, jsonText, textsNeedNoEscaping(rules, data))}\n` : undefined,
      err: err.take(),
      report,
      row: cfg.rows ? { file, line, report: cfg.fullRows ? report : slim(report), failedGates } : undefined,
      invalid: false,
      gateFailed: failedGates.length > 0,
    };
  };

  /** One line of JSON Lines; undefined for a blank line (NEEDS_VALIDATION: see doc). */
  const line = (file: string, lineNo: number, raw: string): Outcome | undefined | typeof NEEDS_VALIDATION => {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!text.trim()) return undefined;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      const reason = String((error as Error).message).replace(/\s*in JSON at position \d+.*$/s, '');
      return doc(file, lineNo, undefined, [{ file, line: lineNo, message: `not valid JSON (${reason}); expected one answers document per line (JSON Lines)` }]);
    }
    // As in a JSON file: a repeated key is refused, not silently the last one wins.
    if (hasDuplicateKeys(text, data)) {
      return doc(file, lineNo, undefined, [{ file, line: lineNo, path: jsonDuplicateKeyPath(text), message: 'duplicate key; each key may appear only once in an object' }]);
    }
    // The record echoes the line as its answers, unless a carriage return sits between its
    // tokens (JSON whitespace, but a line break to some readers of JSON Lines).
    return doc(file, lineNo, data, undefined, text.includes('\r') ? undefined : text);
  };

  return {
    doc,
    line,
    /** doc for callers that can wait: loads the full validation when the document needs it. */
    async settledDoc(file: string, lineNo: number | undefined, data: unknown, known?: Problem[]): Promise<Outcome> {
      const o = doc(file, lineNo, data, known);
      if (o !== NEEDS_VALIDATION) return o;
      await validator.load();
      return doc(file, lineNo, data, known) as Outcome;
    },
    /** line, likewise. */
    async settledLine(file: string, lineNo: number, raw: string): Promise<Outcome | undefined> {
      const o = line(file, lineNo, raw);
      if (o !== NEEDS_VALIDATION) return o;
      await validator.load();
      return line(file, lineNo, raw) as Outcome | undefined;
    },
  };
}

/** What doc and line return for an invalid document while the full validation is not loaded. */
export const NEEDS_VALIDATION = Symbol('needs the full validation');

/**
 * One result as output: `file` (and `line`) first, then the body's keys. For json, an
 * array element preceded by its separator (`,` is dropped before the first one).
 */
export function formatEntry(format: Format, file: string, line: number | undefined, body: string): string {
  if (format === 'jsonl') return `{"file":${JSON.stringify(file)},${line === undefined ? '' : `"line":${line},`}${body}}\n`;
  return `,\n  {\n    "file": ${JSON.stringify(file)},\n${line === undefined ? '' : `    "line": ${line},\n`}${body.slice(2)}`;
}

// ---------------------------------------------------------------------------------------
// Workers: batches of lines in, outcomes out, in order

interface WorkerInit {
  rules: RuleSet;
  cfg: ProcessConfig;
}

interface WorkerJob {
  seq: number;
  file: string;
  firstLine: number;
  lines: string[];
}

interface WorkerResult {
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
  failure?: string;
}

/**
 * One batch of lines, processed on whichever thread has it: a worker, or the main thread
 * when the workers are busy. Synchronous but for loading the full validation, once.
 */
async function processBatch(proc: ReturnType<typeof makeProcessor>, format: Format, job: WorkerJob): Promise<WorkerResult> {
  const result: WorkerResult = { seq: job.seq, count: 0, bytes: [], rows: [], err: '', invalid: 0, gateFailures: 0 };
  const out = new Utf8Chunks();
  try {
    for (let i = 0; i < job.lines.length; i++) {
      const lineNo = job.firstLine + i;
      let o = proc.line(job.file, lineNo, job.lines[i]!);
      if (o === NEEDS_VALIDATION) o = await proc.settledLine(job.file, lineNo, job.lines[i]!);
      if (!o) continue;
      result.count++;
      if (o.entry !== undefined) out.write(o.entry);
      else if (o.body !== undefined) out.write(formatEntry(format, job.file, lineNo, o.body));
      if (o.row) result.rows.push(o.row);
      result.err += o.err;
      if (o.invalid) result.invalid++;
      if (o.gateFailed) result.gateFailures++;
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
function workerThreads(): typeof import('node:worker_threads') {
  return require('node:worker_threads') as typeof import('node:worker_threads');
}

/** A batch worker thread's life: batches of lines in, results out. bin/ starts it (main.ts startBatchWorker). */
export function runBatchWorker(): void {
  const { parentPort, workerData } = workerThreads();
  const init = workerData as WorkerInit;
  const proc = makeProcessor(init.rules, init.cfg);
  parentPort!.on('message', async (job: WorkerJob) => {
    const result = await processBatch(proc, init.cfg.format, job);
    // Utf8Chunks' buffers are its own (never Node's shared pool), so they can be moved.
    parentPort!.postMessage(result, [...new Set(result.bytes.map((b) => b.buffer as ArrayBuffer))]);
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
function workerEntry(): URL | undefined {
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

/** Batches out to worker threads (or kept on the main thread), results back in input order. */
class Pool {
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

// ---------------------------------------------------------------------------------------
// Output

/**
 * Standard output (in big chunks, minding back-pressure) or a buffer for --output. Takes
 * text from this thread, encoded as it comes, and bytes from the workers.
 */
class Sink {
  private readonly bytes = new Utf8Chunks();
  /** The reader went away (`| head`): nothing more is written, and the batch stops early. */
  closed = false;
  /**
   * Whether a chunk's buffer may be written into again once `out` has called back for it.
   * Only for a stream on a file descriptor (process.stdout: a pipe, file or terminal), whose
   * callback means the bytes are with the operating system. Other streams may still hold
   * the chunk after their callback (a PassThrough nobody reads yet).
   */
  private readonly reuseBuffers: boolean;
  constructor(private readonly out: CliIO['stdout'] | undefined) {
    this.reuseBuffers = typeof (out as { fd?: unknown } | undefined)?.fd === 'number';
    // Without a listener, a closed pipe would crash the process with a stack trace.
    out?.on?.('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.closed = true;
    });
  }
  push(chunk: string | Uint8Array): void {
    if (this.closed) return;
    if (typeof chunk === 'string') this.bytes.write(chunk);
    else this.bytes.append(chunk);
  }
  async maybeFlush(): Promise<void> {
    if (this.out && this.bytes.size >= FLUSH_BYTES) await this.flush();
  }
  async flush(): Promise<void> {
    if (!this.out || this.bytes.size === 0 || this.closed) return;
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
    if (flowing) return;
    // Wait for drain or close, and remove both listeners either way: once() per flush would
    // leave one behind each time, and a long batch flushes hundreds of times.
    const out = this.out;
    await new Promise<void>((resolve) => {
      const done = () => {
        out.off('drain', done);
        out.off('close', done);
        resolve();
      };
      out.on('drain', done);
      out.on('close', done);
    });
  }
  text(): string {
    return Buffer.concat(this.bytes.take()).toString('utf8');
  }
}

// ---------------------------------------------------------------------------------------
// Inputs

interface Input {
  kind: 'document' | 'lines' | 'stdin';
  file: string;
}

/** Arguments to inputs: folders become their *.yaml, *.yml and *.json files, sorted, not recursive. */
async function expandInputs(args: readonly string[], cwd: string): Promise<{ inputs: Input[]; problems: { file: string; problems: Problem[] }[] }> {
  const inputs: Input[] = [];
  const problems: { file: string; problems: Problem[] }[] = [];
  const kindOf = (name: string): Input['kind'] => (isJsonLinesPath(name) ? 'lines' : 'document');
  for (const arg of args) {
    if (arg === '-') {
      inputs.push({ kind: 'stdin', file: STDIN_LABEL });
      continue;
    }
    if (!(await isFolder(resolve(cwd, arg)))) {
      // A missing file is worded by readInputFile when it is read.
      inputs.push({ kind: kindOf(arg), file: arg });
      continue;
    }
    const entries = await fs.promises.readdir(resolve(cwd, arg), { withFileTypes: true });
    const names = entries
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && ANSWER_EXTENSIONS.has(extname(e.name).toLowerCase()) && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (!names.length) {
      problems.push({ file: arg, problems: [{ file: arg, message: 'is a folder with no answers files in it; expected *.yaml, *.yml or *.json (subfolders are not searched)' }] });
      continue;
    }
    for (const name of names) inputs.push({ kind: 'document', file: join(arg, name) });
  }
  return { inputs, problems };
}

async function isFolder(path: string): Promise<boolean> {
  return fs.promises.stat(path).then(
    (i) => i.isDirectory(),
    () => false,
  );
}

type Chunks = AsyncIterable<Buffer | string>;
type StdinPeek = { kind: 'lines'; stream: Chunks; head: string } | { kind: 'document'; text: string } | { kind: 'too-big' } | { kind: 'utf16' };

/**
 * Reads standard input up to its first non-blank line. A line that is a whole JSON
 * object means JSON Lines (the rest is streamed); anything else is read whole as one
 * YAML or JSON document (capped at 1 MiB).
 *
 * @param jsonLines JSON Lines were asked for (--format jsonl): a first line that starts an
 *   object but runs past the cap is then that line's problem, and the lines after it are
 *   still assessed, as for an oversized line further on.
 */
async function peekStdin(stdin: CliIO['stdin'], jsonLines: boolean): Promise<StdinPeek> {
  const decoder = new StringDecoder('utf8');
  const iterator = stdin[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const decode = (chunk: Buffer | string) => (typeof chunk === 'string' ? chunk : decoder.write(chunk));
  let head = '';
  let done = false;
  // Plain string scans, not regular expressions: a megabyte without a newline made a
  // backtracking pattern quadratic.
  while (!hasCompleteLines(head, 1) && head.length <= ANSWERS_MAX_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      head += decoder.end();
      break;
    }
    if (!head && typeof next.value !== 'string' && startsAsUtf16(next.value)) {
      // Refused unread, as an over-long input is.
      stdin.destroy();
      return { kind: 'utf16' };
    }
    head += decode(next.value);
  }
  const rest = (async function* () {
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  })();
  const firstLine = firstNonBlankLine(head);
  if (jsonLines && head.length > ANSWERS_MAX_BYTES && firstLine.startsWith('{') && !hasCompleteLines(head, 1)) return { kind: 'lines', stream: rest, head };
  if (isJsonObjectLine(firstLine)) {
    // One JSON document on one line is still one document: look for a second line first.
    while (!done && !hasCompleteLines(head, 1, true) && head.length <= ANSWERS_MAX_BYTES) {
      const next = await iterator.next();
      if (next.done) {
        done = true;
        head += decoder.end();
      } else head += decode(next.value);
    }
    if (done && head.trim().split('\n').filter((l) => l.trim()).length === 1) return { kind: 'document', text: head };
    return { kind: 'lines', stream: rest, head };
  }
  let text = head;
  for await (const chunk of rest) {
    text += decode(chunk);
    if (text.length > ANSWERS_MAX_BYTES) break;
  }
  if (text.length > ANSWERS_MAX_BYTES) {
    // Refused unread: do not wait for a writer that may never stop.
    stdin.destroy();
    return { kind: 'too-big' };
  }
  text += decoder.end();
  return { kind: 'document', text };
}

/**
 * Whether `text` holds `count` complete non-blank lines (ended by a newline), or, with
 * `andMore`, that many plus the start of another non-blank line.
 */
function hasCompleteLines(text: string, count: number, andMore = false): boolean {
  let seen = 0;
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    const line = end === -1 ? text.slice(start) : text.slice(start, end);
    if (line.trim()) {
      if (seen >= count) return true; // reached only with andMore
      if (end === -1) return false;
      seen++;
      if (seen >= count && !andMore) return true;
    }
    if (end === -1) return false;
    start = end + 1;
  }
}

function firstNonBlankLine(text: string): string {
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    const line = (end === -1 ? text.slice(start) : text.slice(start, end)).trim();
    if (line || end === -1) return line;
    start = end + 1;
  }
}

/** A line that is a whole JSON object: the mark of JSON Lines. */
export function isJsonObjectLine(line: string): boolean {
  if (!line.startsWith('{') || !line.endsWith('}')) return false;
  try {
    const v = JSON.parse(line);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** Each report is a document of its own; inside the portfolio its headings go one level down. */
function demoteHeadings(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (line.startsWith('```')) fenced = !fenced;
      return !fenced && /^#{1,5} /.test(line) ? `#${line}` : line;
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------
// The command

export async function batchAssess(files: string[], rules: RuleSet, opts: AssessOptions, io: CliIO): Promise<number> {
  const format = opts.format;
  if (opts.saveAnswers) throw new UsageError('--save-answers saves the answers of an interactive run; it does not apply to answers files');
  const args = files.length ? files : [opts.answers ?? '-'];
  if (args.filter((a) => a === '-').length > 1) throw new UsageError('standard input (-) can be read only once');
  if (opts.output && opts.output !== '-') {
    // Loaded here, as the portfolio's renderer below: a JSON Lines run to standard output needs neither.
    const { checkWritable } = await import('../../util/atomic-write');
    const reason = await checkWritable(resolve(io.cwd, opts.output));
    if (reason) throw new InputError({ file: opts.output, message: `cannot write the report: ${reason}`, hint: 'nothing was assessed; choose another --output path' });
  }

  const { inputs, problems: folderProblems } = await expandInputs(args, io.cwd);
  const stdinPeek = inputs.some((i) => i.kind === 'stdin') ? await peekStdin(io.stdin, format === 'jsonl') : undefined;
  // One document alone (one file argument, or one document on standard input) is exactly
  // `assess --answers`: one report, not a list of one.
  if (format !== 'jsonl' && inputs.length === 1 && !folderProblems.length && args.length === 1) {
    const only = inputs[0]!;
    const text =
      only.kind === 'document' && !(await isFolder(resolve(io.cwd, args[0]!))) ? await readInputFile(only.file, { cwd: io.cwd, maxBytes: ANSWERS_MAX_BYTES, what: 'answers' })
      : only.kind === 'stdin' && stdinPeek?.kind === 'document' && stdinPeek.text.trim() ? stdinPeek.text
      : undefined;
    if (only.kind === 'stdin' && stdinPeek?.kind === 'utf16') throw new InputError(STDIN_UTF16);
    if (only.kind === 'stdin' && stdinPeek?.kind === 'too-big') {
      throw new InputError({ file: STDIN_LABEL, message: `standard input is over ${formatBytes(ANSWERS_MAX_BYTES)}; answers input is capped there`, hint: 'for many use cases, send JSON Lines (one JSON document per line) with --format jsonl' });
    }
    if (text !== undefined) {
      const data = await parseStructured(text, { file: only.file, kind: 'answers', maxBytes: ANSWERS_MAX_BYTES });
      const problems = await answersValidator(rules).problems(data, only.file);
      if (problems.length) throw new InputError(problems);
      return finishAssessment(rules, data as Answers, opts, io);
    }
  }

  const toStdout = !opts.output || opts.output === '-';
  const sink = new Sink(toStdout ? io.stdout : undefined);
  const summary = Boolean(io.env.GITHUB_STEP_SUMMARY);
  const fullRows = format === 'text' || format === 'markdown';
  const cfg: ProcessConfig = { format, whatIf: opts.whatIf !== false, expect: opts.expect, rows: fullRows || summary, fullRows, fullReports: Boolean(opts.baseline), ...(opts.configFile ? { config: opts.configFile } : {}) };
  const proc = makeProcessor(rules, cfg);
  const results: PortfolioResult[] = [];
  let errText = '';
  let count = 0;
  let invalid = 0;
  let gateFailures = 0;
  let first = true;

  let baseline: ((r: Report & { file?: string; line?: number }) => ReportDiff | undefined) | undefined;
  let diffText: ((d: ReportDiff, title: string) => string) | undefined;
  const baselineMissing: string[] = [];
  if (opts.baseline) {
    const [{ batchBaseline }, { renderDiffText }] = await Promise.all([import('./diff'), import('../../report/diff')]);
    baseline = await batchBaseline(opts.baseline, io);
    const color = useColor(io, opts, io.stderr);
    diffText = (d, title) => renderDiffText(d, { color, title });
  }

  /** Formatted entries, in order; the first json array element loses its comma. */
  const emit = (chunk: string | Uint8Array) => {
    if (!chunk.length) return;
    // One byte either way: the comma is ASCII.
    if (format === 'json' && first) chunk = typeof chunk === 'string' ? chunk.slice(1) : chunk.subarray(1);
    first = false;
    sink.push(chunk);
  };

  /** Records one outcome, in input order. */
  const take = (file: string, line: number | undefined, o: Outcome) => {
    count++;
    if (o.report && baseline) {
      const label = line === undefined ? file : `${file}:${line}`;
      const d = baseline({ ...(o.report as Report), file, line });
      if (!d) baselineMissing.push(label);
      else {
        o.err += diffText!(d, `ft-advisor: ${stripTerminalControls(label)} compared with ${opts.baseline}`);
        if (opts.failOnChange && d.changed) {
          if (!o.gateFailed) o.gateFailed = true;
          o.row?.failedGates?.push('changed since the baseline');
        }
      }
    }
    if (o.invalid) invalid++;
    if (o.gateFailed) gateFailures++;
    errText += o.err;
    if (o.entry !== undefined) emit(o.entry);
    else if (o.body !== undefined) emit(formatEntry(format, file, line, o.body));
    if (o.row) results.push(o.row);
  };

  const takeWorkerResult = (r: WorkerResult) => {
    count += r.count;
    for (const bytes of r.bytes) emit(bytes);
    for (const row of r.rows) results.push(row);
    invalid += r.invalid;
    gateFailures += r.gateFailures;
    errText += r.err;
  };

  const flushErr = () => {
    if (errText) io.stderr.write(errText);
    errText = '';
  };

  const workers = workerPlan(io.env);
  // Workers run the built JavaScript; they need every line's outcome to be independent
  // (no baseline to compare with) and no full reports kept on this side.
  const entry = workerEntry();
  const canUseWorkers = workers.count > 0 && !baseline && !fullRows && entry !== undefined;
  let pool: Pool | undefined;
  let helpersLowered = false;

  /** JSON Lines from a stream: one document per line; blank lines are skipped. */
  const readLines = async (stream: Chunks, file: string, startText = '') => {
    if (!helpersLowered) {
      // Once, before any worker thread of ours exists: new threads would be lowered too.
      helpersLowered = true;
      const nice = helperNice(io.env);
      if (nice > 0) io.lowerHelperThreads?.(nice);
    }
    const decoder = new StringDecoder('utf8');
    let pending = startText;
    let lineNo = 0;
    let skipping = false;
    let batch: string[] = [];
    let batchStart = 1;

    const dispatch = async () => {
      if (!batch.length) return;
      const lines = batch;
      const start = batchStart;
      batch = [];
      batchStart = start + lines.length;
      // A long stream: start the workers now; the main thread keeps processing until they are ready.
      if (!pool && canUseWorkers && lines.length >= BATCH_LINES && start > workers.afterLines) {
        pool = new Pool(entry!, workers.count, { rules, cfg }, takeWorkerResult, workers.shareWithMain ? (job) => processBatch(proc, format, job) : undefined);
      }
      if (pool) {
        await pool.submit(file, start, lines);
        return;
      }
      for (let i = 0; i < lines.length; i++) {
        let o = proc.line(file, start + i, lines[i]!);
        if (o === NEEDS_VALIDATION) o = await proc.settledLine(file, start + i, lines[i]!);
        if (o) take(file, start + i, o);
      }
    };
    /** Adds a line to the batch; true when the batch is full (then dispatch it). Not async: it runs for every line. */
    const push = (raw: string): boolean => {
      lineNo++;
      if (skipping) {
        // The rest of an oversized line: its outcome was recorded already.
        skipping = false;
        batch.push('');
        return false;
      }
      batch.push(raw);
      return batch.length >= BATCH_LINES;
    };
    const drain = async () => {
      // A byte order mark opens the stream, not the first document (editors on Windows
      // write one): JSON.parse would refuse line 1 over a character nobody can see.
      if (lineNo === 0 && pending.charCodeAt(0) === 0xfeff) pending = pending.slice(1);
      let start = 0;
      let nl: number;
      while ((nl = pending.indexOf('\n', start)) !== -1) {
        if (push(pending.slice(start, nl))) await dispatch();
        start = nl + 1;
      }
      pending = start ? pending.slice(start) : pending;
      if (pending.length > ANSWERS_MAX_BYTES && !skipping) {
        await dispatch();
        await pool?.drain();
        take(file, lineNo + 1, await proc.settledDoc(file, lineNo + 1, undefined, [{ file, line: lineNo + 1, message: `the line is over ${ANSWERS_MAX_BYTES / (1024 * 1024)} MiB; one answers document per line is expected` }]));
        skipping = true;
        batchStart = lineNo + 1;
      }
      if (skipping) pending = '';
    };

    await drain();
    for await (const chunk of stream) {
      pending += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
      await drain();
      flushErr();
      await sink.maybeFlush();
      if (sink.closed) return;
    }
    pending += decoder.end();
    if (pending) push(pending);
    await dispatch();
    await pool?.drain();
  };

  const handleDocument = async (file: string, read: () => Promise<string>) => {
    let data: unknown;
    try {
      data = await parseStructured(await read(), { file, kind: 'answers', maxBytes: ANSWERS_MAX_BYTES });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      take(file, undefined, await proc.settledDoc(file, undefined, undefined, error.problems));
      return;
    }
    take(file, undefined, await proc.settledDoc(file, undefined, data));
  };

  try {
    if (format === 'json') sink.push('[');
    for (const f of folderProblems) take(f.file, undefined, await proc.settledDoc(f.file, undefined, undefined, f.problems));
    for (const input of inputs) {
      if (input.kind === 'stdin') {
        const peek = stdinPeek!;
        if (peek.kind === 'lines') await readLines(peek.stream, STDIN_LABEL, peek.head);
        else if (peek.kind === 'too-big') take(STDIN_LABEL, undefined, await proc.settledDoc(STDIN_LABEL, undefined, undefined, [{ file: STDIN_LABEL, message: 'standard input is over 1 MiB; expected one answers document, or JSON Lines (one JSON document per line)' }]));
        else if (peek.kind === 'utf16') take(STDIN_LABEL, undefined, await proc.settledDoc(STDIN_LABEL, undefined, undefined, [STDIN_UTF16]));
        else if (!peek.text.trim()) {
          const problem: Problem = { file: STDIN_LABEL, message: 'standard input is empty; expected an answers document (YAML or JSON) or JSON Lines', hint: 'pipe answers in: cat answers.jsonl | ft-advisor assess --answers - --format jsonl' };
          if (args.length === 1) throw new InputError(problem);
          take(STDIN_LABEL, undefined, await proc.settledDoc(STDIN_LABEL, undefined, undefined, [problem]));
        } else await handleDocument(STDIN_LABEL, async () => peek.text);
      } else if (input.kind === 'lines') {
        let handle;
        try {
          handle = await fs.promises.open(resolve(io.cwd, input.file), 'r');
          if ((await handle.stat()).isDirectory()) throw new Error('EISDIR');
        } catch {
          await handle?.close();
          // readInputFile words the failure: no such file, permission denied, a folder.
          await handleDocument(input.file, () => readInputFile(input.file, { cwd: io.cwd, maxBytes: ANSWERS_MAX_BYTES, what: 'answers' }));
          continue;
        }
        const opening = Buffer.alloc(2);
        const { bytesRead } = await handle.read(opening, 0, 2, 0);
        if (startsAsUtf16(opening.subarray(0, bytesRead))) {
          await handle.close();
          take(input.file, undefined, await proc.settledDoc(input.file, undefined, undefined, [{ file: input.file, ...UTF16_PROBLEM }]));
          continue;
        }
        await readLines(handle.createReadStream(), input.file);
      } else {
        await handleDocument(input.file, () => readInputFile(input.file, { cwd: io.cwd, maxBytes: ANSWERS_MAX_BYTES, what: 'answers' }));
      }
      flushErr();
      await sink.maybeFlush();
      if (sink.closed) break;
    }
  } finally {
    await pool?.close();
  }
  if (count === 0) throw new InputError({ file: args.join(', '), message: 'no answers found; expected answers files, a folder of them, or JSON Lines' });

  if (format === 'json') sink.push(first ? ']\n' : '\n]\n');
  if (fullRows && (format === 'text' || format === 'markdown')) {
    const color = toStdout && format === 'text' && useColor(io, opts);
    const { renderPortfolio, resultLabel } = await import('../../report/portfolio');
    const portfolio = renderPortfolio(results, { format, color, width: knownWidth(io.stdout.columns, io.env), expect: opts.expect });
    if (format === 'markdown') sink.push(portfolio);
    for (const r of results) {
      if (!r.report) continue;
      const text = await renderReport(r.report as Report, format, { color, width: io.stdout.columns });
      const label = stripTerminalControls(resultLabel(r));
      if (format === 'markdown') sink.push(`\n---\n\n_Input: \`${label.replace(/\s+/g, ' ').replace(/`/g, "'")}\`_\n\n${demoteHeadings(text)}`);
      else sink.push(`${color ? '\x1b[2m' : ''}──── ${label} ${'─'.repeat(Math.max(4, 70 - label.length))}${color ? '\x1b[22m' : ''}\n${text}\n`);
    }
    if (format === 'text') sink.push(portfolio);
  }
  flushErr();
  if (baselineMissing.length) {
    io.stderr.write(`ft-advisor: no baseline report for ${baselineMissing.length} use case${baselineMissing.length === 1 ? '' : 's'} (${baselineMissing.slice(0, 3).join(', ')}${baselineMissing.length > 3 ? ', …' : ''}); they are new\n`);
  }
  if (toStdout) await sink.flush();
  else await writeReport(sink.text(), opts.output, io);
  if (summary) {
    const { appendStepSummary } = await import('../step-summary');
    await appendStepSummary([], io, { results, expect: opts.expect });
  }
  if (invalid && count > 1) {
    const ok = count - invalid;
    io.stderr.write(`ft-advisor: ${invalid} of ${count} inputs could not be assessed (see above)${ok ? `; the other ${ok} ${ok === 1 ? 'was' : 'were'} assessed` : ''}\n`);
  }
  return invalid ? EXIT.usage : gateFailures ? EXIT.gate : EXIT.ok;
}
