// The confidence score (002 step 4) and the difference rule (002 phase 4), and how
// the rule set reconciles them (resolution 2, "bands disagree").
import { describe, expect, it } from 'vitest';
import type { RuleSet } from '../../src/rules/schema';
import { antiIndicatorsOn, baseAnswers, indicatorsOn } from '../helpers/answers';
import { defaultRules, run } from '../helpers/engine';

// 002 step 4: "> 0.5 = Strong", "0.2-0.5 = Moderate", "< 0.2 = Weak".
function scoreBand(score: number): string {
  return score > 0.5 ? 'strong' : score >= 0.2 ? 'moderate' : 'weak';
}
// 002 phase 4: "I - A > 2: Strong", "= 1-2: Moderate", "< 1: Weak".
function differenceBand(d: number): string {
  return d > 2 ? 'strong' : d >= 1 ? 'moderate' : 'weak';
}
// Resolution 2 ("bands disagree"): Phase 4's difference rule decides the action and the
// score qualifies it; the framework's own Task API verdict (0.36, difference 4) is
// "moderate-strong: fine-tuning is justified".
function confidenceOf(score: string, difference: string): string {
  if (difference === 'strong') return score === 'strong' ? 'strong' : score === 'moderate' ? 'moderate-strong' : 'moderate';
  return difference;
}
// 002 phase 4: strong -> "Proceed to fine-tuning", moderate -> "Pilot project recommended",
// weak -> "Explore alternatives"; the Task API verdict: "justified", with a caveat to monitor.
const ACTION: Record<string, RegExp> = { strong: /proceed/i, 'moderate-strong': /justified: proceed, and monitor/i, moderate: /pilot/i, weak: /alternative/i };

function answers(indicators: number, anti: number) {
  // With all five anti-indicators, insufficientData is true: keep the count consistent.
  return baseAnswers({ indicators: indicatorsOn(indicators), antiIndicators: antiIndicatorsOn(anti), data: { examples: anti >= 5 ? 500 : 5000 } });
}

describe('score = (I - A) / 11 and its band', () => {
  it.each([
    // [I, A, score by hand, score band]
    [6, 0, 0.545, 'strong'], //   6/11: the only strong score without anti-indicators
    [5, 0, 0.455, 'moderate'], // 5/11 is under 0.5
    [4, 0, 0.364, 'moderate'], // the Task API figure
    [3, 0, 0.273, 'moderate'],
    [2, 0, 0.182, 'weak'], //     2/11 is under 0.2
    [1, 0, 0.091, 'weak'],
    [0, 0, 0, 'weak'],
    [6, 1, 0.455, 'moderate'],
    [6, 3, 0.273, 'moderate'],
    [6, 4, 0.182, 'weak'],
    [6, 5, 0.091, 'weak'],
    [0, 2, -0.182, 'weak'],
    [0, 5, -0.455, 'weak'],
  ])('I=%i, A=%i -> %d (%s)', async (i, a, score, band) => {
    const r = await run(answers(i, a), { whatIf: false });
    expect(r.framework.totalFactors).toBe(11);
    expect(r.framework.indicators).toBe(i);
    expect(r.framework.antiIndicators).toBe(a);
    expect(r.framework.score).toBeCloseTo(score, 3);
    expect(r.framework.scoreBand).toBe(band);
    expect(band).toBe(scoreBand((i - a) / 11)); // the table agrees with the document's rule
  });
});

describe('difference I - A and its band', () => {
  it.each([
    // [I, A, difference, band]
    [6, 0, 6, 'strong'],
    [4, 0, 4, 'strong'],
    [3, 0, 3, 'strong'], // 3 > 2
    [2, 0, 2, 'moderate'], // "= 1-2"
    [3, 1, 2, 'moderate'],
    [1, 0, 1, 'moderate'],
    [4, 3, 1, 'moderate'],
    [0, 0, 0, 'weak'], // "< 1"
    [2, 2, 0, 'weak'],
    [0, 1, -1, 'weak'],
  ])('I=%i, A=%i -> %i (%s)', async (i, a, diff, band) => {
    const r = await run(answers(i, a), { whatIf: false });
    expect(r.framework.difference).toBe(diff);
    expect(r.framework.differenceBand).toBe(band);
    expect(band).toBe(differenceBand(diff));
  });
});

describe('confidence: the difference rule decides, the score qualifies (resolution 2)', () => {
  const cases: [number, number][] = [
    [6, 0],
    [5, 0],
    [4, 0],
    [3, 0],
    [2, 0],
    [1, 0],
    [0, 0],
    [6, 1],
    [5, 1],
    [6, 3],
    [6, 4],
    [4, 4],
  ];
  it.each(cases)('I=%i, A=%i', async (i, a) => {
    const sb = scoreBand((i - a) / 11);
    const db = differenceBand(i - a);
    const expected = confidenceOf(sb, db);
    const r = await run(answers(i, a), { whatIf: false });
    expect(r.framework.confidence).toBe(expected);
    expect(r.framework.bandsAgree).toBe(sb === db);
    // The resolution is shown exactly when the two bands disagree.
    expect(r.resolutions.some((x) => x.id === 'resolve.bands-disagree')).toBe(sb !== db);
    // Only a fine-tuning verdict carries a confidence and its action.
    if (r.recommendation.approach === 'fine-tune' || r.recommendation.approach === 'hybrid') {
      expect(r.recommendation.confidence).toBe(expected);
      expect(r.recommendation.action).toMatch(ACTION[expected]!);
    } else {
      expect(r.recommendation.confidence).toBeNull();
      expect(r.recommendation.action).not.toMatch(/proceed|pilot/i);
    }
  });

  it('6 indicators, 0 anti-indicators: both bands strong, so "proceed" and no disagreement to explain', async () => {
    const r = await run(answers(6, 0), { whatIf: false });
    expect(r.framework.scoreBand).toBe('strong');
    expect(r.framework.differenceBand).toBe('strong');
    expect(r.framework.confidence).toBe('strong');
    expect(r.recommendation.action).toMatch(/proceed/i);
    expect(r.resolutions.map((x) => x.id)).not.toContain('resolve.bands-disagree');
    expect(r.nextStepItems.map((x) => x.id)).not.toContain('next.pilot');
  });

  it('a strong difference with a moderate score is moderate-strong: justified, proceed and monitor, no pilot', async () => {
    const r = await run(answers(4, 1), { whatIf: false }); // 3/11 moderate, difference 3 strong
    expect(r.decisionPath.outcome).toBe('fine-tune-candidate');
    expect(r.recommendation.approach).toBe('fine-tune');
    expect(r.framework.confidence).toBe('moderate-strong');
    expect(r.recommendation.action).toMatch(/justified/);
    expect(r.nextStepItems.map((x) => x.id)).not.toContain('next.pilot');
  });

  it('a cap lowers moderate-strong to moderate, and the pilot follows', async () => {
    const r = await run({ ...answers(4, 0), data: { examples: 300 } }, { whatIf: false });
    expect(r.framework.bandsConfidence).toBe('moderate-strong');
    expect(r.framework.confidence).toBe('moderate');
    expect(r.trace.map((t) => t.rule)).toContain('cap.pilot-sized-data');
    expect(r.nextStepItems.map((x) => x.id)).toContain('next.pilot');
  });
});

describe('score band edges at exactly 0.2 and 0.5 (a rule set dividing by 10, as the Task API example does)', () => {
  // With 11 factors no score lands on 0.2 or 0.5 exactly; dividing by 10 (the example's
  // divisor) reaches both edges. "0.2-0.5 = Moderate" includes both ends; "> 0.5" is strong.
  async function rulesDividingBy10(): Promise<RuleSet> {
    const rules = structuredClone(await defaultRules());
    rules.framework.score.totalFactors = 10;
    return rules;
  }

  it.each([
    [1, 0.1, 'weak'],
    [2, 0.2, 'moderate'],
    [4, 0.4, 'moderate'], // the example's own "(4 - 0) / 10 = 0.4"
    [5, 0.5, 'moderate'],
    [6, 0.6, 'strong'],
  ])('I=%i, A=0 -> %d (%s)', async (i, score, band) => {
    const r = await run(answers(i, 0), { whatIf: false }, await rulesDividingBy10());
    expect(r.framework.totalFactors).toBe(10);
    expect(r.framework.score).toBeCloseTo(score, 3);
    expect(r.framework.scoreBand).toBe(band);
  });
});
