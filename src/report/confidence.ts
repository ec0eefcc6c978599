// How a report explains its confidence, shared by the text and markdown reports.
import type { Report } from '../engine/assess';

/** Where the confidence comes from: caps that lowered it, floors that raised it, the two bands agreeing, or the table. */
export function confidenceOrigin(report: Report): string {
  const fw = report.framework;
  // A cap or floor that moved the confidence says so (" -> ") in its trace line.
  const moved = (kind: 'cap' | 'floor') => report.trace.filter((t) => t.kind === kind && t.because.includes(' -> ')).map((t) => t.rule);
  const lowered = moved('cap');
  const raised = moved('floor');
  if (lowered.length || raised.length) {
    const parts = [
      ...(lowered.length ? [`lowered from ${fw.bandsConfidence} by ${lowered.join(' and ')}`] : []),
      ...(raised.length ? [`raised${lowered.length ? '' : ` from ${fw.bandsConfidence}`} by ${raised.join(' and ')}`] : []),
    ];
    return parts.join(', then ');
  }
  if (fw.bandsAgree) return `score and difference rule both ${fw.scoreBand}`;
  return `difference rule ${fw.differenceBand}, score ${fw.scoreBand}: see the resolutions`;
}
