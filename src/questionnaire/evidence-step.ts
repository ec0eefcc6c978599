// The questionnaire's first step: eval results instead of answers. Given a results file,
// it asks the team's targets, shows what the file settles and puts those answers in, so
// the questionnaire skips them. At the end the evidence is applied again to the final
// answers (a target answered later, or an answer changed in the review, still counts),
// with the training file's measurements when one was read too.
import { applyEvidence } from '../evidence/apply';
import { readEvalEvidence } from '../evidence/eval/read';
import { withTargets } from '../evidence/eval/targets';
import { dataMeasurements, type DataReport } from '../evidence/data/report';
import type { EvidenceResult, Measurements } from '../evidence/types';
import type { RuleSet } from '../rules/schema';
import { InputError, formatProblem } from '../util/errors';
import { stripTerminalControls } from '../util/sanitize';
import type { Ask, Style } from './flow';
import { formatAnswer, metaQuestion, type PartialAnswers, type Question } from './questions';

/** The section whose answers are the targets eval results are measured against. */
export const TARGETS_SECTION = 'evalTargets';

export interface EvidenceStep {
  answers: PartialAnswers;
  measurements: Measurements[];
  /** Answers the evidence filled, so the end can count them as filled, not answered. */
  filled: { path: string; value: boolean | number }[];
  /** Target questions left empty, so the questionnaire does not ask them again. */
  skipped: string[];
  /** The files read, as named (relative to the working folder): saved answers name them again. */
  files: EvidenceFiles;
}

export interface EvidenceFiles {
  eval: string[];
  data?: { file: string; holdout?: string };
}

/**
 * Reads the files given with --evidence, or asks for one (Enter skips). A file that cannot
 * be read is explained and asked for again.
 */
export async function evidenceStep(
  rules: RuleSet,
  ask: Ask,
  say: (s: string) => void,
  style: Style,
  cwd: string,
  initial: PartialAnswers,
  files: readonly string[] | undefined,
): Promise<EvidenceStep> {
  const measurements: Measurements[] = [];
  const ctx = { answers: initial, editing: false };
  if (files?.length) {
    for (const f of files) measurements.push(await readEvalEvidence(f, { cwd }));
  } else {
    for (;;) {
      const q = metaQuestion('@evidence', 'text', 'Eval results to start from? (a promptfoo results.json or an ft-advisor evidence file; Enter to skip)', {
        label: 'Eval results',
        hint: 'Measured answers instead of ticked boxes: prompts tried, models tested, pass rate, tokens, latency.',
        default: '',
        required: false,
      });
      const value = await ask(q, ctx);
      if (typeof value !== 'string' || value.trim() === '') break;
      try {
        measurements.push(await readEvalEvidence(value.trim(), { cwd }));
        break;
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        say(`Cannot use it: ${stripTerminalControls(formatProblem(error.problems[0]!))}`);
      }
    }
  }
  if (!measurements.length) return { answers: initial, measurements, filled: [], skipped: [], files: { eval: [] } };

  let answers: PartialAnswers = initial;
  let skipped: string[] = [];
  const section = rules.sections.find((s) => s.id === TARGETS_SECTION);
  if (section && initial[TARGETS_SECTION] === undefined) {
    const targets: Record<string, number> = {};
    skipped = [];
    for (const field of section.fields ?? []) {
      if (field.type !== 'number' && field.type !== 'integer') continue;
      const q: Question = metaQuestion(`${TARGETS_SECTION}.${field.id}`, 'number', field.prompt, {
        label: field.label ?? field.id,
        required: false,
        section: { id: section.id, title: section.title, optional: true },
        ...(field.hint ? { hint: field.hint } : {}),
        ...(field.default !== undefined ? { default: field.default } : {}),
        ...(field.min !== undefined ? { min: field.min } : {}),
        ...(field.max !== undefined ? { max: field.max } : {}),
      });
      const v = await ask(q, { answers, editing: false });
      if (typeof v === 'number') targets[field.id] = v;
      else skipped.push(q.path);
    }
    if (Object.keys(targets).length) answers = { ...answers, [TARGETS_SECTION]: targets };
    else skipped = [TARGETS_SECTION];
  }

  const result = applyEvidence(rules, answers, withTargets(rules, answers, measurements));
  for (const m of measurements) say(`${style.bold(stripTerminalControls(m.file))}: ${stripTerminalControls(m.kind)}`);
  for (const f of result.filled) say(`  ${f.path} = ${formatAnswer({ kind: typeof f.value === 'boolean' ? 'boolean' : 'number' }, f.value)} ${style.dim(`(${stripTerminalControls(f.because)})`)}`);
  for (const f of result.findings ?? []) say(`  ${stripTerminalControls(f.because)}`);
  if (result.filled.length) say(style.dim(`The questionnaire skips ${result.filled.length === 1 ? 'this answer' : `these ${result.filled.length} answers`}.`));
  return { answers: result.answers, measurements, filled: result.filled.map((f) => ({ path: f.path, value: f.value })), skipped, files: { eval: measurements.map((m) => m.file) } };
}

/**
 * The step with a training file read after it (the questionnaire's offer): its measurements
 * join the eval results', so the end applies both to the final answers in one result.
 */
export function withTrainingData(step: EvidenceStep | undefined, fromData: { answers: PartialAnswers; evidence: EvidenceResult; report: DataReport }): EvidenceStep {
  return {
    answers: fromData.answers,
    measurements: [...(step?.measurements ?? []), dataMeasurements(fromData.report)],
    filled: [...(step?.filled ?? []), ...fromData.evidence.filled.map((f) => ({ path: f.path, value: f.value }))],
    skipped: step?.skipped ?? [],
    files: { eval: step?.files.eval ?? [], data: { file: fromData.report.file, ...(fromData.report.holdout ? { holdout: fromData.report.holdout.file } : {}) } },
  };
}

/**
 * The evidence for the final answers: answers the first steps filled count as filled again;
 * one changed in the review is the team's answer, which the evidence confirms or contradicts.
 */
export function finalEvidence(rules: RuleSet, answers: Record<string, unknown>, step: EvidenceStep): { answers: Record<string, unknown>; evidence: EvidenceResult } {
  const open = teamAnswers(answers, step);
  const evidence = applyEvidence(rules, open, withTargets(rules, open, step.measurements));
  return { answers: evidence.answers, evidence };
}

/**
 * The answers without those the evidence filled and the review left as filled: what the
 * team answered itself. With `dropEmptied`, a section left empty goes too (the evidence
 * opened it; a saved file that kept it empty would be missing its other questions).
 */
export function teamAnswers(answers: Record<string, unknown>, step: Pick<EvidenceStep, 'filled'>, dropEmptied = false): Record<string, unknown> {
  const open: Record<string, unknown> = { ...answers };
  for (const { path, value } of step.filled) {
    const [sectionId, fieldId] = path.split('.') as [string, string];
    const section = open[sectionId];
    // Changed in the review: then it is the team's answer, compared with the evidence.
    if (!section || typeof section !== 'object' || (section as Record<string, unknown>)[fieldId] !== value) continue;
    const { [fieldId]: _filled, ...rest } = section as Record<string, unknown>;
    if (Object.keys(rest).length || !dropEmptied) open[sectionId] = rest;
    else delete open[sectionId];
  }
  return open;
}
