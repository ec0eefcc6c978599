// `--strict-evidence`: a CI gate like `--expect`. An explicit answer that evidence
// contradicts is kept (and warned about) in every run; with the flag it also fails it.
import type { Report } from '../engine/assess';

/** The gate's message when evidence contradicts an explicit answer, or undefined when nothing does. */
export function strictEvidenceFailure(report: Pick<Report, 'evidence'>): string | undefined {
  const contradictions = report.evidence?.contradictions ?? [];
  if (contradictions.length === 0) return undefined;
  const n = contradictions.length;
  const lines = contradictions.map((c) => `  ${c.path}: answered ${String(c.answered)}, but ${c.file} says ${String(c.value)} (${c.because})`);
  return `ft-advisor: --strict-evidence: ${n} explicit answer${n === 1 ? ' is' : 's are'} contradicted by evidence:\n${lines.join('\n')}\n  hint: correct the answer${n === 1 ? '' : 's'}, or leave ${n === 1 ? 'it' : 'them'} out so the evidence fills ${n === 1 ? 'it' : 'them'} in\n`;
}
