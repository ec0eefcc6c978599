// The framework document's (002) worked Task API example, end to end.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/engine/assess';
import { baseAnswers, ceilingExcept, indicatorsOnly, loadExample } from '../helpers/answers';
import { run } from '../helpers/engine';

// 002 "Example Calculation (Task API)": Consistent Behavior yes, Domain Knowledge yes,
// Brand Voice yes, Cost Optimization no, Latency yes, Data Sovereignty no; every
// anti-indicator no ("have 10K conversations"). "Indicators: 4, Anti-Indicators: 0".
const TASK_API_INDICATORS = indicatorsOnly('consistentBehavior', 'domainKnowledge', 'brandVoice', 'latency');

/** The framework's figures alone, with a behavioural need only (no knowledge). */
function taskApiFrameworkOnly() {
  return baseAnswers({
    needs: ['behavior', 'style', 'tools', 'safety'],
    indicators: TASK_API_INDICATORS,
    antiIndicators: { insufficientData: undefined }, // derived from 10K conversations
    data: { examples: 10000 },
  });
}

describe('Task API worked example (002)', () => {
  let report: Report;
  beforeAll(async () => {
    report = await run(loadExample('task-api.yaml'));
  });

  it('counts 4 indicators and 0 anti-indicators ("Indicators: 4", "Anti-Indicators: 0")', () => {
    expect(report.framework.ceilingPassed).toBe(true); // "Ceiling Reached"
    expect(report.framework.indicators).toBe(4);
    expect(report.framework.antiIndicators).toBe(0);
  });

  it("divides by the 11 factors the framework lists, not the example's 10 (resolution 1)", () => {
    // 002 step 1 lists 6 indicators, step 2 lists 5 anti-indicators: 11 factors.
    expect(report.framework.totalFactors).toBe(11);
    // (4 - 0) / 11 = 0.3636...; the contract shows 0.364.
    expect(report.framework.score).toBeCloseTo(4 / 11, 3);
    expect(report.framework.score).not.toBeCloseTo(0.4, 3); // the example's 4/10
  });

  it('rates the score moderate (0.2-0.5) and the difference 4 strong (> 2)', () => {
    // 002 step 4: "0.2-0.5 = Moderate candidate"; phase 4: "I - A > 2: Strong".
    expect(report.framework.scoreBand).toBe('moderate');
    expect(report.framework.difference).toBe(4);
    expect(report.framework.differenceBand).toBe('strong');
    expect(report.framework.bandsAgree).toBe(false);
  });

  it('reaches "FINE-TUNE CANDIDATE" in the decision tree', () => {
    // 002 step 3: ceiling yes -> indicators 4 > 3 yes -> anti-indicators 0 < 2 yes.
    expect(report.decisionPath.outcome).toBe('fine-tune-candidate');
    expect(report.decisionPath.treeApproach).toBe('fine-tune');
    expect(report.decisionPath.steps.map((s) => s.answer)).toEqual(['yes', 'yes', 'yes']);
  });

  it('traces each step with its numbers (contract: "why it fired, with the numbers")', () => {
    const because = (rule: string) => report.trace.find((t) => t.rule === rule)?.because ?? '';
    expect(because('tree.indicators')).toMatch(/\b4\b/);
    expect(because('tree.indicators')).toMatch(/\b3\b/);
    expect(because('tree.anti-indicators')).toMatch(/\b0\b/);
    expect(because('tree.anti-indicators')).toMatch(/\b2\b/);
    expect(because('framework.bands')).toContain('0.364');
    expect(because('framework.bands')).toContain('11');
  });

  it('recommends hybrid: knowledge is a need, so the facts go to retrieval (resolution 3)', () => {
    // examples/task-api.yaml needs [behavior, style, knowledge, tools, safety].
    // 000/003/004: facts are a job for retrieval; 002 option 4: "Fine-tune for behavior ... RAG for knowledge".
    expect(report.recommendation.approach).toBe('hybrid');
    expect(report.recommendation.method).not.toBeNull();
    // contract: "a hybrid verdict names both halves".
    expect(report.recommendation.summary).toMatch(/fine-tun/i);
    expect(report.recommendation.summary).toMatch(/retriev|RAG/i);
  });

  it('comes out as the document does: "fine-tuning is justified" (moderate-strong), with the low-volume caveat to monitor growth, not a pilot', () => {
    // 002: "Score: 0.4 (Moderate-Strong candidate). Verdict: Fine-tuning is justified, with the
    // caveat that initial volume is low. Monitor to ensure expected growth materializes."
    expect(report.framework.confidence).toBe('moderate-strong');
    expect(report.recommendation.confidence).toBe('moderate-strong');
    expect(report.recommendation.action).toMatch(/justified/i);
    expect(report.recommendation.action).not.toMatch(/pilot/i);
    expect(report.nextStepItems.map((i) => i.id)).not.toContain('next.pilot');
    expect(report.nextStepItems.map((i) => i.id)).toContain('next.monitor-growth');
    expect(report.nextSteps.join(' ')).toMatch(/growth/);
  });

  it('explains both the factor-count and the bands-disagree resolutions', () => {
    const ids = report.resolutions.map((r) => r.id);
    expect(ids).toContain('resolve.factor-count');
    expect(ids).toContain('resolve.bands-disagree');
    const factorCount = report.resolutions.find((r) => r.id === 'resolve.factor-count')!;
    expect(factorCount.decision).toContain('11');
    const bands = report.resolutions.find((r) => r.id === 'resolve.bands-disagree')!;
    expect(bands.decision).toContain('moderate');
  });

  it('plans the phases of the Task API fine-tuning plan: SFT, persona, function calling, DPO (P0-P3)', () => {
    const phases = report.recommendation.method!.phases.map((p) => p.objective);
    expect(phases).toEqual(['sft', 'persona', 'function-calling', 'dpo']);
    // The facts themselves never go into the weights (resolution 3).
    expect(report.recommendation.method!.phases.flatMap((p) => p.needs)).not.toContain('knowledge');
  });

  it('breaks even in 4 months on the example figures, so it is justified (002 break-even)', () => {
    // 60 h x $100 = $6,000; 1,500 + 500 - 500 = $1,500 a month; 6,000 / 1,500 = 4 < 6.
    expect(report.economics).not.toBeNull();
    expect(report.economics!.upfrontCost).toBe(6000);
    expect(report.economics!.monthlyNetBenefit).toBe(1500);
    expect(report.economics!.breakEvenMonths).toBe(4);
    expect(report.economics!.breakEvenVerdict).toBe('justified');
  });

  it('gives the same framework figures and a plain fine-tune verdict without the knowledge need', async () => {
    const r = await run(taskApiFrameworkOnly(), { whatIf: false });
    expect(r.framework.indicators).toBe(4);
    expect(r.framework.antiIndicators).toBe(0);
    expect(r.framework.score).toBeCloseTo(4 / 11, 3);
    expect(r.framework.confidence).toBe('moderate-strong');
    expect(r.recommendation.approach).toBe('fine-tune');
  });

  it('is no longer a candidate when any ceiling question is unanswered (002 phase 1: "If any unchecked, address first")', async () => {
    const r = await run({ ...(loadExample('task-api.yaml') as object), ceiling: ceilingExcept('multipleModels') }, { whatIf: false });
    expect(r.decisionPath.outcome).toBe('keep-optimising-prompts');
    expect(r.recommendation.approach).toBe('rag'); // knowledge still a need
  });
});
