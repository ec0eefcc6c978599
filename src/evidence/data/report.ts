// A data report: the training file's findings, the holdout's, and what they add up to
// (the holdout's share, the quality verdict), plus the facts an assessment reads.
import type { FactValue } from '../../engine/conditions';
import { interpolate } from '../../engine/template';
import type { Measurements } from '../types';
import type { DataFindings } from './inspect';
import { PII_KINDS } from './pii';
import { formatBytes } from '../../util/read-input';
import type { DataInspectionSettings } from './settings';

export const DATA_REPORT_VERSION = 1;

export interface DataReport {
  schemaVersion: 1;
  file: string;
  findings: DataFindings;
  holdout?: { file: string; findings: DataFindings; examples: number; share: number; target: number; meetsTarget: boolean };
  quality: { duplicateShare: number; problemShare: number; maxDuplicateShare: number; maxProblemShare: number; passes: boolean; warning?: string; source: string };
  /** Problems with the file itself (a line over the cap): the command exits 2 after the report. */
  fileProblems: string[];
  /** What `assess --data` reads: the trainingData.* facts. */
  facts: Record<string, FactValue>;
}

/** Examples of any format: lines in a format (with or without problems). */
export function exampleCount(f: DataFindings): number {
  return f.formats.chat + f.formats.preference + f.formats.completion + f.formats.text;
}

export function buildDataReport(file: string, findings: DataFindings, settings: DataInspectionSettings, holdout?: { file: string; findings: DataFindings }): DataReport {
  const examples = exampleCount(findings);
  const nonBlank = findings.lines - findings.blankLines;
  const q = settings.quality;
  const duplicateShare = examples ? findings.duplicates.count / examples : 0;
  const problemShare = nonBlank ? findings.problems.lines / nonBlank : 0;
  const passes = duplicateShare <= q.maxDuplicateShare && problemShare <= q.maxProblemShare;
  const percent = (x: number) => Math.round(x * 1000) / 10;

  const facts: Record<string, FactValue> = {
    'trainingData.file': file,
    'trainingData.format': findings.format,
    'trainingData.lines': findings.lines,
    'trainingData.problemLines': findings.problems.lines,
    'trainingData.problemPercent': percent(problemShare),
    'trainingData.duplicates': findings.duplicates.count,
    'trainingData.duplicatePercent': percent(duplicateShare),
    'trainingData.qualityWarning': !passes,
    'trainingData.maxDuplicatePercent': percent(q.maxDuplicateShare),
    'trainingData.maxProblemPercent': percent(q.maxProblemShare),

    'trainingData.tokensP95': findings.tokens.p95,
    'trainingData.overContextLimit': findings.tokens.overLimit.count,
  };
  // A file of which no line could be read says nothing about PII.
  if (examples > 0) Object.assign(facts, { 'trainingData.piiLines': findings.pii.lines, 'trainingData.piiSummary': piiSummary(findings) });
  // A count is a fact only for the formats the file has: a chat file says nothing about documents.
  const { formats: n, usable: u } = findings;
  if (n.chat + n.completion > 0) facts['trainingData.examples'] = u.chat + u.completion;
  if (n.preference > 0) facts['trainingData.preferencePairs'] = u.preference;
  if (n.text > 0) facts['trainingData.documents'] = u.text;

  const report: DataReport = {
    schemaVersion: DATA_REPORT_VERSION,
    file,
    findings,
    quality: { duplicateShare, problemShare, maxDuplicateShare: q.maxDuplicateShare, maxProblemShare: q.maxProblemShare, passes, source: q.source },
    fileProblems: [],
    facts,
  };
  if (holdout) {
    const held = exampleCount(holdout.findings);
    const share = held + examples ? held / (held + examples) : 0;
    const leaked = findings.leakage?.count ?? 0;
    // A holdout that shares examples with training does not test what training did not see.
    const meetsTarget = share >= settings.holdout.share && leaked === 0;
    report.holdout = { file: holdout.file, findings: holdout.findings, examples: held, share, target: settings.holdout.share, meetsTarget };
    Object.assign(facts, {
      'trainingData.holdoutExamples': held,
      'trainingData.holdoutPercent': percent(share),
      'trainingData.holdoutTargetPercent': percent(settings.holdout.share),
      'trainingData.leakedExamples': leaked,
      'trainingData.holdoutMeetsTarget': meetsTarget,
    });
  }
  if (!passes) report.quality.warning = interpolate(q.warning, new Map(Object.entries(facts)));
  const tooLong = findings.problems.byKind['line-too-long'];
  if (tooLong)
    report.fileProblems.push(
      `${tooLong.count} line${tooLong.count === 1 ? '' : 's'} over the ${formatBytes(findings.maxLineBytes)} cap could not be read (line ${tooLong.lines.join(', ')}); the rest of the file was inspected`,
    );
  return report;
}

function piiSummary(f: DataFindings): string {
  const parts = Object.entries(f.pii.byKind).map(([kind, listed]) => `${PII_KINDS[kind as keyof typeof PII_KINDS]}: ${listed.count}`);
  return parts.length ? parts.join(', ') : 'none found';
}

/** The report as evidence for an assessment: its facts, and the quality warning when it fires. */
export function dataMeasurements(report: DataReport): Measurements {
  const m: Measurements = { file: report.file, kind: `training data (${report.findings.format ?? 'no known format'} JSONL)`, facts: report.facts };
  if (report.holdout) m.holdout = report.holdout.file;
  if (report.quality.warning) m.warnings = [{ id: 'evidence.data.quality', text: report.quality.warning, source: report.quality.source, file: report.file }];
  return m;
}
