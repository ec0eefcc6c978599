// A decision record: the line JSON Lines output carries per use case. Batches run to
// tens of thousands of use cases a second, and a full report (~20 KB) mostly repeats the
// rule set's own texts (factor labels and sources, risks, resolutions, the evaluation
// plan). A record keeps everything the public contract names for `--format json`, plus
// the answers and derived values that `ft-advisor diff` explains changes with, and
// leaves out every `source` (the rule set's citations: the same for every use case, and
// a sixth of a record). The full report of any one use case is a
// `assess --answers <file> --format json` away.
import type { Report, ReportCore } from '../engine/assess';
import type { Method } from '../engine/method';

export const RECORD_FIELDS = [
  'schemaVersion',
  'useCase',
  'rules',
  'recommendation',
  'framework',
  'trace',
  'nextSteps',
  'warnings',
  'economics',
  'rubric',
  'whatIf',
  'derived',
  'answers',
] as const satisfies readonly (keyof Report)[];

export type DecisionRecord = {
  /** Where the use case came from, in a batch's entries (left out of a record on its own). */
  file?: string;
  line?: number;
} & Pick<ReportCore, 'schemaVersion' | 'useCase' | 'rules' | 'framework' | 'nextSteps' | 'warnings' | 'economics' | 'rubric' | 'whatIf' | 'answers'> & {
  recommendation: Omit<Report['recommendation'], 'method'> & { method: Omit<Method, 'sources'> | null };
  trace: Omit<Report['trace'][number], 'source'>[];
  derived: Omit<Report['derived'][number], 'source'>[];
};

/** The framework figures without the per-factor list (a core has none to begin with). */
function withoutFactors(fw: Report['framework'] | ReportCore['framework']): ReportCore['framework'] {
  if (!('factors' in fw)) return fw;
  const { factors: _factors, ...figures } = fw;
  return figures;
}

/**
 * The record of a report, or of the core of one (engine/assess.ts assessCore, which batches
 * use). With `at`, a batch's entry: `file` and `line` first (JSON.stringify leaves them out
 * when they are undefined).
 */
export function decisionRecord(report: Report | ReportCore, at?: { file: string; line: number | undefined }): DecisionRecord {
  const { recommendation: rec, framework: fw } = report;
  const m = rec.method;
  // Built field by field, in RECORD_FIELDS order (test/cli/batch.test.ts holds the two together).
  return {
    file: at?.file,
    line: at?.line,
    schemaVersion: report.schemaVersion,
    useCase: report.useCase,
    rules: report.rules,
    recommendation: {
      approach: rec.approach,
      method: m && {
        objective: m.objective,
        technique: m.technique,
        distillation: m.distillation,
        why: m.why,
        objectiveLabel: m.objectiveLabel,
        techniqueLabel: m.techniqueLabel,
        compute: m.compute,
        phases: m.phases,
      },
      summary: rec.summary,
      title: rec.title,
      confidence: rec.confidence,
      action: rec.action,
    },
    framework: withoutFactors(fw),
    trace: report.trace.map((t) =>
      t.to === undefined ? { rule: t.rule, because: t.because, kind: t.kind }
      : t.from === undefined ? { rule: t.rule, because: t.because, kind: t.kind, to: t.to }
      : { rule: t.rule, because: t.because, kind: t.kind, from: t.from, to: t.to },
    ),
    nextSteps: report.nextSteps,
    warnings: report.warnings,
    economics: report.economics,
    rubric: report.rubric,
    whatIf: report.whatIf,
    derived: report.derived.map((d) => ({ path: d.path, value: d.value, because: d.because })),
    answers: report.answers,
  };
}

/**
 * A batch's entry for a use case: the record as a JSON object with `file` and `line` first
 * and without `answers`, and the answers' JSON, which goes last (Utf8Chunks.writeEntry
 * joins the two in the output buffer, so neither is copied into a longer string first).
 * With `answersText`, the answers are that text as given (a JSON Lines line that
 * JSON.parse read and the duplicate-key check passed): the same JSON value as the parsed
 * answers, and no serialising them again.
 */
export function decisionRecordEntry(report: Report | ReportCore, file: string, line: number | undefined, answersText?: string): RecordEntry {
  const record = decisionRecord(report, { file, line });
  // `answers` is the last field: JSON.stringify leaves an undefined one out.
  (record as { answers: unknown }).answers = undefined;
  return { json: JSON.stringify(record), answers: answersText === undefined ? JSON.stringify(report.answers) : answersText.trim() };
}

export interface RecordEntry {
  /** The record without `answers`: a JSON object, ending in its closing brace. */
  json: string;
  /** The answers as JSON. */
  answers: string;
}
