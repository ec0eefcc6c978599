// A decision record: the line JSON Lines output carries per use case. Batches run to
// tens of thousands of use cases a second, and a full report (~20 KB) mostly repeats the
// rule set's own texts (factor labels and sources, risks, resolutions, the evaluation
// plan). A record keeps everything the public contract names for `--format json`, plus
// the answers and derived values that `ft-advisor diff` explains changes with; the full
// report of any one use case is a `assess --answers <file> --format json` away.
import type { Report } from '../engine/assess';

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

export type DecisionRecord = Pick<Report, Exclude<(typeof RECORD_FIELDS)[number], 'framework'>> & {
  framework: Omit<Report['framework'], 'factors'>;
};

export function decisionRecord(report: Report): DecisionRecord {
  const { factors: _factors, ...framework } = report.framework;
  const record = {} as Record<string, unknown>;
  for (const key of RECORD_FIELDS) record[key] = key === 'framework' ? framework : report[key];
  return record as DecisionRecord;
}
