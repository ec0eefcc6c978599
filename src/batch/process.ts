// One use case of a batch, on whichever thread has it (the main thread or a worker):
// parse, check, assess, format the result and the portfolio row.
import { namesEvidenceFiles } from '../answers/data-files';
import type { Answers } from '../answers/schema';
import { filesRead, type EvidenceResult } from '../evidence/types';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { stripTerminalControls } from '../util/sanitize';
import { assessAnswers, assessCore, type Report, type ReportCore } from '../engine/assess';
import { decisionRecordLine, textsNeedNoEscaping } from '../report/record';
import type { PortfolioReport, PortfolioResult } from '../report/portfolio';
import type { RuleSet } from '../rules/schema';
import { InputError, type Problem } from '../util/errors';
import { hasDuplicateKeys } from '../util/json-duplicates';
import { jsonDuplicateKeyPath } from '../util/safe-yaml';
import { EXIT, printProblems, type CliIO } from '../cli/io';
import type { Format } from '../cli/output';
import { expectGate } from '../cli/commands/assess-finish';
import type { EvidenceCache } from './evidence';
import { loadEvidence } from './load-evidence';
import { answersValidator } from './validator';

export interface ProcessConfig {
  format: Format;
  whatIf: boolean;
  expect?: string;
  /** Keep portfolio rows (text, markdown, job summaries). */
  rows: boolean;
  /** Build full reports (text, markdown: each is rendered as it comes; the rows keep only what the portfolio shows). */
  fullRows: boolean;
  /**
   * Build full reports even for JSON Lines: a baseline comparison explains drift with the
   * parts a decision record leaves out (the decision path). Else jsonl builds only what
   * its records carry (assessCore).
   */
  fullReports?: boolean;
  /** The project config the options came from, named in each full report. */
  config?: string;
  /** Eval-results files every use case reads (--evidence), beside the ones each names under `evidence:`. */
  evidence?: string[];
  /** A use case whose evidence contradicts an explicit answer fails its gate (exit 1). */
  strictEvidence?: boolean;
  /** Where relative paths start: --evidence files, and those of answers on standard input. */
  cwd: string;
  /** The --output file (absolute), which no use case's evidence may be. */
  output?: string;
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
  /** The use case's training file had lines the inspector could not read (exit 2 at the end). */
  fileProblems?: boolean;
  /** The use case reads the --output file as evidence: the run writes nothing (exit 2). */
  readsOutput?: boolean;
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
    recommendation: {
      approach: report.recommendation.approach,
      title: report.recommendation.title,
      confidence: report.recommendation.confidence,
      method: m && { objective: m.objective, technique: m.technique, distillation: m.distillation },
    },
    framework: {
      score: report.framework.score,
      scoreBand: report.framework.scoreBand,
      difference: report.framework.difference,
      differenceBand: report.framework.differenceBand,
      indicators: report.framework.indicators,
      antiIndicators: report.framework.antiIndicators,
    },
  };
}

export function makeProcessor(rules: RuleSet, cfg: ProcessConfig) {
  const validator = answersValidator(rules);
  const err = textCollector();
  const errIO = { stderr: err.stream } as CliIO;
  const json = cfg.format === 'json' || cfg.format === 'jsonl';
  const coreOnly = cfg.format === 'jsonl' && !cfg.fullRows && !cfg.fullReports;
  const readsEvidence = Boolean(cfg.evidence?.length);
  /** Whether a document's use case reads evidence files: its own, or the batch's --evidence. */
  const wantsEvidence = (data: unknown) => readsEvidence || namesEvidenceFiles(data);
  const bodyOf = cfg.format === 'json' ? (x: unknown) => JSON.stringify(x, null, 2).replace(/\n/g, '\n  ') : (x: unknown) => JSON.stringify(x).slice(1, -1);

  /**
   * One answers document, already parsed (or the problems that stopped it). NEEDS_AWAIT
   * when it cannot be settled synchronously: it names evidence files to read, or it is
   * invalid and the full validation is not loaded yet (settledDoc does either and asks again).
   */
  const doc = (file: string, line: number | undefined, data: unknown, known?: Problem[], jsonText?: string): Outcome | typeof NEEDS_AWAIT => {
    if (!known && wantsEvidence(data)) return NEEDS_AWAIT;
    const problems = known ?? validator.check(data, file);
    if (!problems) return NEEDS_AWAIT;
    if (problems.length) return rejected(file, line, problems);
    return assessed(file, line, data as Answers, jsonText);
  };

  const rejected = (file: string, line: number | undefined, found: Problem[]): Outcome => {
    const problems = line === undefined ? found : found.map((p) => (p.line === undefined ? { ...p, line } : p));
    printProblems(new InputError(problems), errIO);
    const listed = problems.map(({ file: _f, line: l, ...p }) => (l === undefined || l === line ? p : { ...p, line: l }));
    return { body: json ? bodyOf({ error: { problems: listed } }) : undefined, err: err.take(), row: cfg.rows ? { file, line, problems } : undefined, invalid: true, gateFailed: false };
  };

  /** Valid answers (with what their evidence files said, if any) to a result. */
  const assessed = (file: string, line: number | undefined, answers: Answers, jsonText?: string, evidence?: EvidenceResult): Outcome => {
    const options = evidence ? { whatIf: cfg.whatIf, evidence } : { whatIf: cfg.whatIf };
    const report = coreOnly ? assessCore(rules, answers, options) : assessAnswers(rules, answers, options);
    if (cfg.config && !coreOnly) (report as Report).config = cfg.config;
    const label = line === undefined ? file : `${file}:${line}`;
    const failedGates: string[] = [];
    if (cfg.expect && expectGate(report, cfg.expect, errIO, label) !== EXIT.ok) {
      failedGates.push(`expected ${cfg.expect}, got ${report.recommendation.approach}`);
    }
    if (cfg.strictEvidence && evidence && strictEvidence) {
      const failure = strictEvidence(report);
      if (failure) {
        errIO.stderr.write(failure.replace(/^ft-advisor: /, `ft-advisor: ${stripTerminalControls(label)}: `));
        failedGates.push('evidence contradicts an answer');
      }
    }
    return {
      body: json && cfg.format !== 'jsonl' ? bodyOf(report) : undefined,
      // With evidence the answers are the filled ones: the record writes them, not the line as read.
      entry: cfg.format === 'jsonl' ? `${decisionRecordLine(report, file, line, evidence ? undefined : jsonText, textsNeedNoEscaping(rules, answers))}\n` : undefined,
      err: err.take(),
      report,
      row: cfg.rows ? { file, line, report: slim(report), failedGates } : undefined,
      invalid: false,
      gateFailed: failedGates.length > 0,
    };
  };

  /** Evidence files are read once for the whole batch (and once per worker thread). */
  const cache: { files?: EvidenceCache } = {};
  let strictEvidence: ((report: Pick<Report, 'evidence'>) => string | undefined) | undefined;
  const evidenceIO = { cwd: cfg.cwd, env: {}, stderr: err.stream } as unknown as CliIO;

  /** Whether a file read as evidence is the --output file (by device and inode: links and other spellings too). */
  const output = cfg.output === undefined ? undefined : statSync(cfg.output, { throwIfNoEntry: false });
  const sameAsOutput = new Map<string, boolean>();
  const isOutput = (name: string): boolean => {
    if (!output?.isFile()) return false;
    const path = resolve(cfg.cwd, name);
    let same = sameAsOutput.get(path);
    if (same === undefined) {
      const info = statSync(path, { throwIfNoEntry: false });
      sameAsOutput.set(path, (same = info !== undefined && info.dev === output.dev && info.ino === output.ino));
    }
    return same;
  };

  /** A document that names evidence files (or a batch given --evidence): read them, then assess. */
  const withEvidence = async (file: string, line: number | undefined, data: unknown): Promise<Outcome> => {
    const { useCaseEvidence, evidenceCache, fileProblemsExit, strictEvidenceFailure } = await loadEvidence();
    strictEvidence = strictEvidenceFailure;
    cache.files ??= evidenceCache();
    const { result, problems } = await useCaseEvidence(data, file, rules, cfg.evidence, evidenceIO, cache.files);
    if (problems) return rejected(file, line, problems);
    const onOutput = result.evidence && filesRead(result.evidence).find(isOutput);
    if (onOutput !== undefined) {
      const o = rejected(file, line, [{ file, message: `reads ${onOutput}, which is the --output file; writing the report there would destroy it` }]);
      o.readsOutput = true;
      return o;
    }
    const o = assessed(file, line, result.answers, undefined, result.evidence);
    if (result.report && fileProblemsExit(result.report, errIO) !== EXIT.ok) {
      o.err += err.take();
      o.fileProblems = true;
    }
    return o;
  };

  /** One line of JSON Lines; undefined for a blank line (NEEDS_AWAIT: see doc). */
  const line = (file: string, lineNo: number, raw: string): Outcome | undefined | typeof NEEDS_AWAIT => {
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
    /** doc for callers that can wait: reads evidence files, or loads the full validation, when the document needs it. */
    async settledDoc(file: string, lineNo: number | undefined, data: unknown, known?: Problem[]): Promise<Outcome> {
      const o = doc(file, lineNo, data, known);
      if (o !== NEEDS_AWAIT) return o;
      if (!known && wantsEvidence(data)) return withEvidence(file, lineNo, data);
      await validator.load();
      return doc(file, lineNo, data, known) as Outcome;
    },
    /** line, likewise. */
    async settledLine(file: string, lineNo: number, raw: string): Promise<Outcome | undefined> {
      const o = line(file, lineNo, raw);
      if (o !== NEEDS_AWAIT) return o;
      // Only a line that parsed reaches here (a line that does not is a known problem).
      const data: unknown = JSON.parse(raw);
      if (wantsEvidence(data)) return withEvidence(file, lineNo, data);
      await validator.load();
      return line(file, lineNo, raw) as Outcome | undefined;
    },
  };
}

/**
 * What doc and line return for a document they cannot settle synchronously: it names
 * evidence files, or it is invalid while the full validation is not loaded.
 */
export const NEEDS_AWAIT = Symbol('needs settledDoc or settledLine');

/**
 * One result as output: `file` (and `line`) first, then the body's keys. For json, an
 * array element preceded by its separator (`,` is dropped before the first one).
 */
export function formatEntry(format: Format, file: string, line: number | undefined, body: string): string {
  if (format === 'jsonl') return `{"file":${JSON.stringify(file)},${line === undefined ? '' : `"line":${line},`}${body}}\n`;
  return `,\n  {\n    "file": ${JSON.stringify(file)},\n${line === undefined ? '' : `    "line": ${line},\n`}${body.slice(2)}`;
}
