// What an eval-results file measured, whatever tool wrote it: one row per prompt x
// provider, and the facts the rule set's evidence mappings read. Pure: readers build
// the rows, this file does the arithmetic.
import type { FactValue } from '../../engine/conditions';

export interface EvalRow {
  /** The prompt as shown: its label, or the start of its text. */
  prompt: string;
  /** What makes two rows the same prompt (promptfoo's prompt id, else the label). */
  promptKey: string;
  provider: string;
  tests: number;
  passed: number;
  failed: number;
  errors: number;
  /** Passed tests in percent of all tests (errors count as not passed); null with no tests. */
  passRate: number | null;
  meanLatencyMs: number | null;
  p95LatencyMs: number | null;
  /** Mean tokens per request. */
  promptTokens: number | null;
  completionTokens: number | null;
  costPerRequest: number | null;
}

export interface EvalSummary {
  /** e.g. "promptfoo results (version 3)". */
  kind: string;
  tool?: string;
  description?: string;
  /** Sorted by pass rate, best first. */
  rows: EvalRow[];
  /** Each distinct prompt's pass rate over every provider it ran on, best first. */
  prompts: { prompt: string; passRate: number | null; tests: number }[];
  /** The best row: the prompt x provider a team would ship. */
  best: EvalRow | null;
  /** The best prompt's pass rate against the median prompt's (percentage points). */
  plateau: { best: number; median: number; gap: number } | null;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const roundSig = (n: number) => Number(n.toPrecision(6));

export function passRate(passed: number, tests: number): number | null {
  return tests > 0 ? round1((passed / tests) * 100) : null;
}

/** Ranks rows: higher pass rate first, then cheaper, then faster, then as given. */
function compareRows(a: EvalRow, b: EvalRow): number {
  const pa = a.passRate ?? -1;
  const pb = b.passRate ?? -1;
  if (pa !== pb) return pb - pa;
  const ca = a.costPerRequest ?? Infinity;
  const cb = b.costPerRequest ?? Infinity;
  if (ca !== cb) return ca < cb ? -1 : 1;
  const la = a.meanLatencyMs ?? Infinity;
  const lb = b.meanLatencyMs ?? Infinity;
  if (la !== lb) return la < lb ? -1 : 1;
  return 0;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const tidy = (n: number | null, round: (n: number) => number): number | null => (n === null || !Number.isFinite(n) ? null : round(n));

export function summarize(kind: string, given: EvalRow[], extra: { tool?: string; description?: string } = {}): EvalSummary {
  const rows = given.map((r) => ({
    ...r,
    meanLatencyMs: tidy(r.meanLatencyMs, round1),
    p95LatencyMs: tidy(r.p95LatencyMs, round1),
    promptTokens: tidy(r.promptTokens, round1),
    completionTokens: tidy(r.completionTokens, round1),
    costPerRequest: tidy(r.costPerRequest, roundSig),
  }));
  const sorted = rows
    .map((r, i) => ({ r, i }))
    .sort((x, y) => compareRows(x.r, y.r) || x.i - y.i)
    .map((x) => x.r);
  // A prompt's pass rate over its providers, weighted by their tests (equally when a
  // neutral file gives no test counts).
  const byPrompt = new Map<string, { prompt: string; rate: number; weight: number; tests: number }>();
  for (const r of rows) {
    const p = byPrompt.get(r.promptKey) ?? { prompt: r.prompt, rate: 0, weight: 0, tests: 0 };
    if (r.passRate !== null) {
      const w = r.tests || 1;
      p.rate += r.passRate * w;
      p.weight += w;
    }
    p.tests += r.tests;
    byPrompt.set(r.promptKey, p);
  }
  const prompts = [...byPrompt.values()]
    .map((p) => ({ prompt: p.prompt, passRate: p.weight ? round1(p.rate / p.weight) : null, tests: p.tests }))
    .sort((a, b) => (b.passRate ?? -1) - (a.passRate ?? -1));
  const rates = prompts.map((p) => p.passRate).filter((r): r is number => r !== null);
  const plateau = rates.length >= 2 ? { best: rates[0]!, median: round1(median(rates)), gap: round1(rates[0]! - median(rates)) } : null;
  const best = sorted.find((r) => r.passRate !== null) ?? null;
  return { kind, ...extra, rows: sorted, prompts, best, plateau };
}

/** The facts the rule set's evidence mappings read (src/evidence/eval/facts.ts lists them). */
export function evalFacts(summary: EvalSummary): Record<string, FactValue> {
  const facts: Record<string, FactValue> = {
    'eval.distinctPrompts': new Set(summary.rows.map((r) => r.promptKey)).size,
    'eval.distinctProviders': new Set(summary.rows.map((r) => r.provider)).size,
    'eval.tests': summary.rows.reduce((n, r) => n + r.tests, 0),
  };
  const set = (fact: string, value: number | null | undefined, round: (n: number) => number = (n) => n) => {
    if (value !== null && value !== undefined && Number.isFinite(value)) facts[fact] = round(value);
  };
  const best = summary.best;
  set('eval.bestPassRate', best?.passRate);
  if (summary.plateau) {
    set('eval.medianPromptPassRate', summary.plateau.median);
    set('eval.plateauGap', summary.plateau.gap);
  }
  set('eval.meanPromptTokens', best?.promptTokens, Math.round);
  set('eval.meanCompletionTokens', best?.completionTokens, Math.round);
  set('eval.meanLatencyMs', best?.meanLatencyMs, Math.round);
  set('eval.p95LatencyMs', best?.p95LatencyMs, Math.round);
  set('eval.costPerRequest', best?.costPerRequest, roundSig);
  return facts;
}

/** The 95th percentile by the nearest-rank method (no interpolation between two latencies). */
export function p95(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)]!;
}

export { roundSig, round1 };
