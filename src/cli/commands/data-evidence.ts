// `assess --data <file> [--holdout <file>]` and `data: { file, holdout }` in an answers
// file: the training file is inspected and its findings fill or check the data answers
// before the answers are validated, so a count the file gives need not be typed. Eval
// results (`--evidence`, `evidence:`) are read alongside, into the same evidence result.
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { answerProblems } from '../../answers/validate';
import { DATA_FILES, type Answers } from '../../answers/schema';
import { STDIN_NAME } from '../../answers/read';
import { prepareEvidence, wantsEvidence } from '../../evidence/eval/prepare';
import { dataMeasurements, type DataReport } from '../../evidence/data/report';
import { readEvalEvidence } from '../../evidence/eval/read';
import type { EvidenceResult, Measurements } from '../../evidence/types';
import type { RuleSet } from '../../rules/schema';
import { InputError, UsageError } from '../../util/errors';
import type { CliIO } from '../io';
import { readTrainingData } from './data';

/** Keys of the answers file's `data` section that name files rather than answer questions. */
export const DATA_FILE_KEYS = Object.keys(DATA_FILES.keys) as (keyof typeof DATA_FILES.keys)[];

export interface DataFiles {
  file: string;
  holdout?: string;
}

/**
 * Files read once for many use cases (a batch), by absolute path: most use cases of a
 * batch share their eval results or training file, and a training file can be gigabytes.
 */
export interface EvidenceCache {
  eval: Map<string, Promise<Measurements>>;
  data: Map<string, Promise<DataReport>>;
}

export function evidenceCache(): EvidenceCache {
  return { eval: new Map(), data: new Map() };
}

function once<T>(map: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let known = map.get(key);
  if (!known) map.set(key, (known = read()));
  return known;
}

export interface WithDataEvidence {
  answers: Answers;
  evidence?: EvidenceResult;
  report?: DataReport;
}

/**
 * The training files to read: `--data`/`--holdout` on the command line, else `data.file`
 * and `data.holdout` in the answers (relative to the answers file), with those keys taken
 * out of the answers. Undefined when neither names a file.
 */
export function dataFilesFrom(raw: unknown, answersFile: string, opts: { data?: string; holdout?: string }): { answers: unknown; files?: DataFiles } {
  let answers = raw;
  let fromAnswers: Partial<DataFiles> = {};
  const section = isObject(raw) ? raw[DATA_FILES.section] : undefined;
  if (isObject(raw) && isObject(section) && DATA_FILE_KEYS.some((k) => k in section)) {
    const rest: Record<string, unknown> = { ...section };
    for (const key of DATA_FILE_KEYS) {
      if (!(key in rest)) continue;
      const value = rest[key];
      delete rest[key];
      if (typeof value !== 'string' || value.trim() === '') {
        throw new InputError({
          file: answersFile,
          path: `data.${key}`,
          message: `expected the path of a JSONL ${key === 'file' ? 'training' : 'holdout'} file, got ${JSON.stringify(value)}`,
          hint: 'relative to the answers file, e.g. data/train.jsonl',
        });
      }
      fromAnswers[key] = relativeTo(answersFile, value);
    }
    answers = { ...raw };
    if (Object.keys(rest).length) (answers as Record<string, unknown>)[DATA_FILES.section] = rest;
    else delete (answers as Record<string, unknown>)[DATA_FILES.section];
  }
  // The command line names files relative to where it runs, and wins over the answers file.
  if (opts.data !== undefined) fromAnswers = { file: opts.data, ...(opts.holdout !== undefined ? { holdout: opts.holdout } : {}) };
  else if (opts.holdout !== undefined) fromAnswers.holdout = opts.holdout;
  if (fromAnswers.file === undefined) {
    if (fromAnswers.holdout !== undefined) throw new UsageError('a holdout file needs the training file it was held out from', 'add --data <train.jsonl>, or data: { file: ... } in the answers file');
    return { answers };
  }
  return { answers, files: fromAnswers as DataFiles };
}

/**
 * Reads the evidence files the answers or the command line name (eval results under
 * `evidence:` and `--evidence`, a training file under `data:` and `--data`), applies the
 * rule set's mappings to all of them at once (eval results first) and validates the answers.
 */
export async function withFileEvidence(
  raw: unknown,
  answersFile: string,
  rules: RuleSet,
  opts: { data?: string; holdout?: string; evidence?: readonly string[] },
  io: CliIO,
  cache?: EvidenceCache,
): Promise<WithDataEvidence> {
  const { answers, files } = dataFilesFrom(raw, answersFile, opts);
  if (!files && !wantsEvidence(answers, opts.evidence)) return { answers: validated(answers, answersFile, rules, new Set()) };
  const readData = (f: DataFiles) => readTrainingData(f.file, f.holdout, io, { ruleSet: rules });
  const report = files
    ? await (cache ? once(cache.data, `${resolve(io.cwd, files.file)}\0${files.holdout === undefined ? '' : resolve(io.cwd, files.holdout)}`, () => readData(files)) : readData(files))
    : undefined;
  const read = cache && ((name: string) => once(cache.eval, resolve(io.cwd, name), () => readEvalEvidence(name, { cwd: io.cwd })));
  const prepared = await prepareEvidence(rules, answers, { answersFile, files: opts.evidence, cwd: io.cwd, after: report ? [dataMeasurements(report)] : [], ...(read ? { read } : {}) });
  // A section the evidence opened (say dataChecklist, for its PII item) is not the team's: its other questions were not left out.
  const opened = new Set(Object.keys(prepared.evidence.answers).filter((s) => !isObject(answers) || !(s in answers)));
  return { answers: validated(prepared.data, answersFile, rules, opened), evidence: prepared.evidence, ...(report ? { report } : {}) };
}

function validated(answers: unknown, file: string, rules: RuleSet, opened: ReadonlySet<string>): Answers {
  const problems = answerProblems(answers, rules, { file }).filter((p) => !(p.message.startsWith('missing') && p.path !== undefined && opened.has(p.path.split('.')[0]!)));
  if (problems.length) throw new InputError(problems);
  return answers as Answers;
}

function relativeTo(answersFile: string, path: string): string {
  if (isAbsolute(path) || answersFile === STDIN_NAME || answersFile === '-') return path;
  return join(dirname(answersFile), path);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
