// How a report explains its confidence, shared by the text and markdown reports.
import type { Report } from '../engine/assess';

/** The default rule set's confidences, strongest first: enough to say which way a cap or floor moved one. */
const CONFIDENCE_ORDER = ['strong', 'moderate-strong', 'moderate', 'weak'];

/** Where the confidence comes from: a cap that lowered it, the two bands agreeing, or the table. */
export function confidenceOrigin(report: Report): string {
  const fw = report.framework;
  const caps = report.trace.filter((t) => t.kind === 'cap' && t.because.includes(' -> '));
  if (fw.confidence !== fw.bandsConfidence && caps.length) {
    const raised = CONFIDENCE_ORDER.indexOf(fw.confidence) < CONFIDENCE_ORDER.indexOf(fw.bandsConfidence);
    return `${raised ? 'raised' : 'lowered'} from ${fw.bandsConfidence} by ${caps.map((t) => t.rule).join(' and ')}`;
  }
  if (fw.bandsAgree) return `score and difference rule both ${fw.scoreBand}`;
  return `difference rule ${fw.differenceBand}, score ${fw.scoreBand}: see the resolutions`;
}
