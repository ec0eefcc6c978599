// The questionnaire's offer to read the training data instead of asking the data
// questions: with --data, or when JSONL files sit in the working folder, the file's
// counts, PII and holdout settle those answers, and the questionnaire skips them.
import { readdir } from 'node:fs/promises';
import { applyEvidence } from '../../evidence/apply';
import { dataMeasurements, type DataReport } from '../../evidence/data/report';
import type { EvidenceResult } from '../../evidence/types';
import type { Ask } from '../../questionnaire/flow';
import { metaQuestion, type PartialAnswers } from '../../questionnaire/questions';
import type { RuleSet } from '../../rules/schema';
import { formatProblem, InputError } from '../../util/errors';
import { stripTerminalControls } from '../../util/sanitize';
import type { CliIO } from '../io';
import { readTrainingData } from './data';

export interface FromTrainingData {
  answers: PartialAnswers;
  evidence: EvidenceResult;
  /** Count questions the file does not measure (a chat file has no documents): not asked. */
  skipped: string[];
  report: DataReport;
}

/** JSON Lines files in a folder, sorted: what the offer suggests. */
export async function trainingFilesIn(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && /\.(jsonl|ndjson)$/i.test(e.name))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * Reads `--data` (and `--holdout`) without asking, or offers the JSONL files found in the
 * working folder. Undefined when there is nothing to read or the offer is declined.
 */
export async function offerTrainingData(
  rules: RuleSet,
  opts: { data?: string; holdout?: string },
  io: CliIO,
  ask: Ask,
  say: (text: string) => void,
  answers: PartialAnswers = {},
): Promise<FromTrainingData | undefined> {
  const ctx = { answers, editing: false };
  if (opts.data !== undefined) return settle(rules, await readTrainingData(opts.data, opts.holdout, io, { ruleSet: rules }), answers, say);
  const found = await trainingFilesIn(io.cwd);
  if (found.length === 0) return undefined;
  for (;;) {
    const value = await ask(
      metaQuestion('@dataFile', 'text', 'Read your training data (a JSONL file) instead of answering the data questions? Its path, or Enter to answer them yourself:', {
        label: 'Training file',
        hint: `JSONL files here: ${found.slice(0, 5).map(stripTerminalControls).join(', ')}${found.length > 5 ? ', ...' : ''}`,
        default: '',
        required: false,
      }),
      ctx,
    );
    const file = typeof value === 'string' ? value.trim() : '';
    if (!file) return undefined;
    const holdoutValue = await ask(
      metaQuestion('@holdoutFile', 'text', 'And the held-out test set, if you have one? Its path, or Enter for none:', { label: 'Holdout file', default: '', required: false }),
      ctx,
    );
    const holdout = typeof holdoutValue === 'string' && holdoutValue.trim() ? holdoutValue.trim() : undefined;
    try {
      return settle(rules, await readTrainingData(file, holdout, io, { ruleSet: rules }), answers, say);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      say(`Cannot read it: ${stripTerminalControls(error.problems.map(formatProblem).join('; '))}`);
    }
  }
}

function settle(rules: RuleSet, report: DataReport, answers: PartialAnswers, say: (text: string) => void): FromTrainingData {
  const evidence = applyEvidence(rules, answers, [dataMeasurements(report)]);
  const lines = evidence.filled.map((f) => `  ${f.path} = ${String(f.value)} (${f.because})`);
  say(`From ${stripTerminalControls(report.file)}:${lines.length ? `\n${stripTerminalControls(lines.join('\n'))}` : ' nothing the questions ask'}`);
  for (const w of evidence.warnings ?? []) say(`  ! ${stripTerminalControls(w.text)}`);
  const measured = new Set(
    evidence.filled
      .map((f) => f.path)
      .concat(
        evidence.confirmed.map((c) => c.path),
        evidence.contradictions.map((c) => c.path),
      ),
  );
  const skipped = ['data.examples', 'data.preferencePairs', 'data.documents'].filter((p) => !measured.has(p));
  return { answers: evidence.answers, evidence, skipped, report };
}
