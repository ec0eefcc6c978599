// `assess` on many use cases: several files, a folder, or JSON Lines (a file ending in
// .jsonl, or standard input with one answers document per line). One result per use
// case; a bad input is reported by name and the others still run.
//
// JSON Lines is the throughput path (CI over a whole portfolio): lines are parsed with
// JSON.parse, checked with the quick conformance walk, assessed synchronously, and
// written in large chunks. A stream longer than some 30,000 lines starts worker
// threads (pool.ts, worker.ts); the results come back in order.
import { knownWidth } from '../util/width';
import fs from 'node:fs';
import { resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { namesEvidenceFiles } from '../answers/data-files';
import type { Answers } from '../answers/schema';
import type { Report } from '../engine/assess';
import type { ReportDiff } from '../report/diff';
import type { PortfolioResult } from '../report/portfolio';
import type { RuleSet } from '../rules/schema';
import { InputError, UsageError, type Problem } from '../util/errors';
import { ANSWERS_MAX_BYTES, formatBytes, readInputFile, startsAsUtf16, UTF16_PROBLEM } from '../util/read-input';
import { parseStructured } from '../util/safe-yaml';
import { stripTerminalControls } from '../util/sanitize';
import { EXIT, useColor, type CliIO } from '../cli/io';
import { inputsNamedByOptions, refuseOutputOntoInputs, type Format } from '../cli/output';
import { finishAssessment, type AssessOptions } from '../cli/commands/assess-finish';
import { loadEvidence } from './load-evidence';
import { expandInputs, isFolder, peekStdin, STDIN_LABEL, STDIN_UTF16, type Chunks, type Input, type StdinPeek } from './inputs';
import { Pool } from './pool';
import { formatEntry, makeProcessor, NEEDS_AWAIT, type Outcome, type ProcessConfig } from './process';
import { reportStream } from './reports';
import { answersValidator } from './validator';
import { BATCH_LINES, helperNice, processBatch, workerEntry, workerPlan, type WorkerResult } from './worker';
import { Sink } from './writer';

export async function batchAssess(files: string[], rules: RuleSet, options: AssessOptions, io: CliIO): Promise<number> {
  const args = files.length ? files : [options.answers ?? '-'];
  if (args.filter((a) => a === '-').length > 1) throw new UsageError('standard input (-) can be read only once');
  const toStdout = !options.output || options.output === '-';
  const { checkWritable, openAtomicWrite } = await import('../util/atomic-write');
  if (!toStdout) {
    const reason = await checkWritable(resolve(io.cwd, options.output!));
    if (reason) throw new InputError({ file: options.output!, message: `cannot write the report: ${reason}`, hint: 'nothing was assessed; choose another --output path' });
  }

  const { inputs, problems: folderProblems, skipped } = await expandInputs(args, io.cwd);
  for (const file of skipped) io.stderr.write(`ft-advisor: skipped ${stripTerminalControls(file)}: a JSON Schema, not answers\n`);
  if (!toStdout)
    await refuseOutputOntoInputs(options.output!, [...args.filter((a) => a !== '-'), ...inputs.filter((i) => i.kind !== 'stdin').map((i) => i.file), ...inputsNamedByOptions(options)], io);
  const stdinPeek = inputs.some((i) => i.kind === 'stdin') ? await peekStdin(io.stdin, options.format === 'jsonl') : undefined;
  // Without --format, JSON Lines in give JSON Lines out: a decision record per line, for
  // batches of any size. Full text reports of thousands of use cases serve nobody.
  const allLines = inputs.length > 0 && inputs.every((i) => i.kind === 'lines' || (i.kind === 'stdin' && stdinPeek?.kind === 'lines'));
  const format: Format = options.format ?? (allLines && !folderProblems.length ? 'jsonl' : 'text');
  const opts: AssessOptions = { ...options, format };
  // One document alone (one file argument, or one document on standard input) is exactly
  // `assess --answers`: one report, not a list of one.
  if (format !== 'jsonl' && inputs.length === 1 && !folderProblems.length && args.length === 1) {
    const only = inputs[0]!;
    const text =
      only.kind === 'document' && !(await isFolder(resolve(io.cwd, args[0]!)))
        ? await readInputFile(only.file, { cwd: io.cwd, maxBytes: ANSWERS_MAX_BYTES, what: 'answers' })
        : only.kind === 'stdin' && stdinPeek?.kind === 'document' && stdinPeek.text.trim()
          ? stdinPeek.text
          : undefined;
    if (only.kind === 'stdin' && stdinPeek?.kind === 'utf16') throw new InputError(STDIN_UTF16);
    if (only.kind === 'stdin' && stdinPeek?.kind === 'too-big') {
      throw new InputError({
        file: STDIN_LABEL,
        message: `standard input is over ${formatBytes(ANSWERS_MAX_BYTES)}; answers input is capped there`,
        hint: 'for many use cases, send JSON Lines (one JSON document per line) with --format jsonl',
      });
    }
    if (text !== undefined) {
      const data = await parseStructured(text, { file: only.file, kind: 'answers', maxBytes: ANSWERS_MAX_BYTES });
      if (opts.evidence?.length || namesEvidenceFiles(data)) return (await loadEvidence()).assessWithEvidence(data, only.file, rules, opts, io);
      const problems = await answersValidator(rules).problems(data, only.file);
      if (problems.length) throw new InputError(problems);
      return finishAssessment(rules, data as Answers, opts, io);
    }
  }

  // The output is streamed: to standard output, or into a temporary file renamed over
  // --output at the end (removed if the run fails). Memory stays flat whatever the size.
  const target = toStdout ? undefined : await openOutput(openAtomicWrite, opts.output!, io);
  try {
    const code = await runBatch(args, inputs, folderProblems, stdinPeek, rules, opts, format, io, target ? new Sink(target.stream, { reuseBuffers: target.direct }) : new Sink(io.stdout));
    if (target) {
      await target.commit().catch((error: Error) => {
        throw writeFailure(opts.output!, error);
      });
      io.stderr.write(`ft-advisor: report written to ${opts.output}\n`);
    }
    return code;
  } catch (error) {
    await target?.abort();
    // A write that failed (a full disk) is the output's problem, worded as such: exit 2.
    if (target && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string') throw writeFailure(opts.output!, error as Error);
    throw error;
  }
}

async function openOutput(open: (typeof import('../util/atomic-write'))['openAtomicWrite'], output: string, io: CliIO) {
  try {
    return await open(resolve(io.cwd, output));
  } catch (error) {
    throw writeFailure(output, error as Error);
  }
}

function writeFailure(output: string, error: Error): InputError {
  return new InputError({ file: output, message: `cannot write the report: ${stripTerminalControls(error.message)}`, hint: 'nothing was written' });
}

async function runBatch(
  args: string[],
  inputs: Input[],
  folderProblems: { file: string; problems: Problem[] }[],
  stdinPeek: StdinPeek | undefined,
  rules: RuleSet,
  opts: AssessOptions,
  format: Format,
  io: CliIO,
  sink: Sink,
): Promise<number> {
  const toStdout = !opts.output || opts.output === '-';
  const summary = Boolean(io.env.GITHUB_STEP_SUMMARY);
  const fullRows = format === 'text' || format === 'markdown';
  const cfg: ProcessConfig = {
    format,
    whatIf: opts.whatIf !== false,
    expect: opts.expect,
    rows: fullRows || summary,
    fullRows,
    fullReports: Boolean(opts.baseline),
    ...(opts.configFile ? { config: opts.configFile } : {}),
    ...(opts.evidence?.length ? { evidence: opts.evidence } : {}),
    ...(opts.strictEvidence ? { strictEvidence: true } : {}),
    ...(toStdout ? {} : { output: resolve(io.cwd, opts.output!) }),
    cwd: io.cwd,
  };
  const proc = makeProcessor(rules, cfg);
  const results: PortfolioResult[] = [];
  let errText = '';
  let count = 0;
  let invalid = 0;
  let gateFailures = 0;
  let fileProblems = 0;
  let readsOutput = 0;
  let first = true;

  let baseline: ((r: Report & { file?: string; line?: number }) => ReportDiff | undefined) | undefined;
  let diffText: ((d: ReportDiff, title: string) => string) | undefined;
  const baselineMissing: string[] = [];
  if (opts.baseline) {
    const [{ batchBaseline }, { renderDiffText }] = await Promise.all([import('../cli/commands/diff'), import('../report/diff')]);
    baseline = await batchBaseline(opts.baseline, io);
    const color = useColor(io, opts, io.stderr);
    diffText = (d, title) => renderDiffText(d, { color, title });
  }

  // Text and Markdown: each report is rendered as it comes and only its portfolio row kept.
  const color = toStdout && format === 'text' && useColor(io, opts);
  const reports = fullRows ? await reportStream(format, sink, { color, width: knownWidth(io.stdout.columns, io.env) }) : undefined;

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
    if (o.fileProblems) fileProblems++;
    if (o.readsOutput) readsOutput++;
    errText += o.err;
    if (o.entry !== undefined) emit(o.entry);
    else if (o.body !== undefined) emit(formatEntry(format, file, line, o.body));
    else if (reports && o.report) reports.add(o.report as Report, line === undefined ? file : `${file}:${line}`);
    if (o.row) results.push(o.row);
  };

  const takeWorkerResult = (r: WorkerResult) => {
    count += r.count;
    for (const bytes of r.bytes) emit(bytes);
    for (const row of r.rows) results.push(row);
    invalid += r.invalid;
    gateFailures += r.gateFailures;
    fileProblems += r.fileProblems;
    readsOutput += r.readsOutput;
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
        pool = new Pool(entry, workers.count, { rules, cfg }, takeWorkerResult, workers.shareWithMain ? (job) => processBatch(proc, format, job) : undefined);
      }
      if (pool) {
        await pool.submit(file, start, lines);
        return;
      }
      for (let i = 0; i < lines.length; i++) {
        let o = proc.line(file, start + i, lines[i]!);
        if (o === NEEDS_AWAIT) o = await proc.settledLine(file, start + i, lines[i]!);
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
        // A whole line over the cap in one chunk is refused as one that arrives in pieces is.
        if (nl - start > ANSWERS_MAX_BYTES && !skipping) await refuseOversized();
        if (push(skipping ? '' : pending.slice(start, nl))) await dispatch();
        start = nl + 1;
      }
      pending = start ? pending.slice(start) : pending;
      if (pending.length > ANSWERS_MAX_BYTES && !skipping) await refuseOversized();
      if (skipping) pending = '';
    };
    /** Records the next line as over the cap; the rest of it is skipped (push keeps its number with a blank). */
    const refuseOversized = async () => {
      await dispatch();
      await pool?.drain();
      take(
        file,
        lineNo + 1,
        await proc.settledDoc(file, lineNo + 1, undefined, [
          { file, line: lineNo + 1, message: `the line is over ${ANSWERS_MAX_BYTES / (1024 * 1024)} MiB; one answers document per line is expected` },
        ]),
      );
      skipping = true;
      batchStart = lineNo + 1;
    };

    await drain();
    for await (const chunk of stream) {
      pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      await drain();
      flushErr();
      await (reports ?? sink).maybeFlush();
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
        else if (peek.kind === 'too-big')
          take(
            STDIN_LABEL,
            undefined,
            await proc.settledDoc(STDIN_LABEL, undefined, undefined, [
              { file: STDIN_LABEL, message: 'standard input is over 1 MiB; expected one answers document, or JSON Lines (one JSON document per line)' },
            ]),
          );
        else if (peek.kind === 'utf16') take(STDIN_LABEL, undefined, await proc.settledDoc(STDIN_LABEL, undefined, undefined, [STDIN_UTF16]));
        else if (!peek.text.trim()) {
          const problem: Problem = {
            file: STDIN_LABEL,
            message: 'standard input is empty; expected an answers document (YAML or JSON) or JSON Lines',
            hint: 'pipe answers in: cat answers.jsonl | ft-advisor assess --answers - --format jsonl',
          };
          if (args.length === 1) throw new InputError(problem);
          take(STDIN_LABEL, undefined, await proc.settledDoc(STDIN_LABEL, undefined, undefined, [problem]));
        } else await handleDocument(STDIN_LABEL, () => Promise.resolve(peek.text));
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
      await (reports ?? sink).maybeFlush();
      if (sink.closed) break;
    }
  } catch (error) {
    await reports?.discard();
    throw error;
  } finally {
    await pool?.close();
  }
  if (count === 0) {
    await reports?.discard();
    throw new InputError({ file: args.join(', '), message: 'no answers found; expected answers files, a folder of them, or JSON Lines' });
  }
  // A use case's evidence file is the --output file: the report must not replace it.
  if (readsOutput) {
    await reports?.discard();
    flushErr();
    throw new InputError({
      file: opts.output!,
      message: `is an evidence file that ${readsOutput === 1 ? 'a use case reads' : `${readsOutput} use cases read`} (see above); writing the report there would destroy it`,
      hint: 'nothing was written; choose another --output path',
    });
  }

  if (format === 'json') sink.push(first ? ']\n' : '\n]\n');
  if (reports) {
    const { portfolioLines } = await import('../report/portfolio');
    await reports.finish(portfolioLines(results, { format: format as 'text' | 'markdown', color, width: knownWidth(io.stdout.columns, io.env), expect: opts.expect }));
  }
  flushErr();
  if (baselineMissing.length) {
    io.stderr.write(
      `ft-advisor: no baseline report for ${baselineMissing.length} use case${baselineMissing.length === 1 ? '' : 's'} (${baselineMissing.slice(0, 3).join(', ')}${baselineMissing.length > 3 ? ', …' : ''}); they are new\n`,
    );
  }
  await sink.flush();
  if (summary) {
    const { appendStepSummary } = await import('../cli/step-summary');
    await appendStepSummary([], io, { results, expect: opts.expect });
  }
  if (invalid && count > 1) {
    const ok = count - invalid;
    io.stderr.write(`ft-advisor: ${invalid} of ${count} inputs could not be assessed (see above)${ok ? `; the other ${ok} ${ok === 1 ? 'was' : 'were'} assessed` : ''}\n`);
  }
  return invalid || fileProblems ? EXIT.usage : gateFailures ? EXIT.gate : EXIT.ok;
}
