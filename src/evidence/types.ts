// Evidence: measurements read from the team's own files (eval results, training data)
// instead of ticked boxes. A reader turns a file into facts in its own namespace
// (`eval.distinctPrompts`, `trainingData.examples`); the rule set's `evidence` mappings
// turn those facts into answers, with their thresholds and sources in YAML.
import type { FactValue } from '../engine/conditions';
import type { EvalSummary } from './eval/summary';

/** What one evidence file measured, as facts a mapping can read. */
export interface Measurements {
  /** The file as the user named it. */
  file: string;
  /** What the file was read as, e.g. "promptfoo results (version 3)" or "chat SFT JSONL". */
  kind: string;
  facts: Record<string, FactValue>;
  /** What an eval-results file showed, for the report's evidence section. */
  eval?: EvalSummary;
  /** A training file's holdout, read with it. */
  holdout?: string;
  /** Warnings the reader raises about the file itself (e.g. data quality), texts from the rule set. */
  warnings?: EvidenceWarning[];
}

/** A warning about an evidence file, shown with the report's warnings. */
export interface EvidenceWarning {
  id: string;
  text: string;
  source: string;
  file: string;
}

/** An answer settled by evidence: filled when the team left it out, or compared with theirs. */
export interface EvidenceAnswer {
  /** The rule-set mapping that produced it. */
  rule: string;
  /** The answer's dot path, e.g. `ceiling.promptVariations`. */
  path: string;
  value: boolean | number;
  /** Why, with the numbers the file gave. */
  because: string;
  file: string;
  source: string;
}

/** An explicit answer that the evidence disagrees with: the explicit answer is kept. */
export interface EvidenceContradiction extends EvidenceAnswer {
  answered: FactValue;
}

/** A supporting fact the evidence shows (e.g. a plateau of prompt quality): reported, never an answer. */
export interface EvidenceFinding {
  rule: string;
  finding: string;
  because: string;
  file: string;
  source: string;
}

export interface EvidenceResult {
  /** The answers with the evidence's values filled in where the team gave none. */
  answers: Record<string, unknown>;
  files: { file: string; kind: string; eval?: EvalSummary; holdout?: string }[];
  /** Answers the evidence filled in. */
  filled: EvidenceAnswer[];
  /** Explicit answers the evidence agrees with. */
  confirmed: EvidenceAnswer[];
  contradictions: EvidenceContradiction[];
  /** Supporting facts the rule set's `finding` mappings found. */
  findings?: EvidenceFinding[];
  /** The files' own warnings (absent when there are none). */
  warnings?: EvidenceWarning[];
}

/** Every file the evidence was read from, as named: what a report must never be written over. */
export function filesRead(evidence: Pick<EvidenceResult, 'files'>): string[] {
  return evidence.files.flatMap((f) => (f.holdout === undefined ? [f.file] : [f.file, f.holdout]));
}
