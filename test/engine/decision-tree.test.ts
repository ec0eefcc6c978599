// The framework document's (002) decision tree: ceiling test, "Indicators > 3?",
// "Anti-indicators < 2?".
import { describe, expect, it } from 'vitest';
import { ANTI_INDICATORS, CEILING, INDICATORS, antiIndicatorsOn, baseAnswers, candidateAnswers, ceilingExcept, indicatorsOn, indicatorsOnly } from '../helpers/answers';
import { FINE_TUNING, approachOf, run } from '../helpers/engine';

describe('ceiling test (002 "The Ceiling Test" / phase 1: "If any unchecked, address first")', () => {
  // Every other signal points at fine-tuning: 6 indicators, 0 anti-indicators.
  const strong = { indicators: indicatorsOn(6) };

  it('with all five checks done and a strong case, the tree reaches the candidate', async () => {
    const r = await run(candidateAnswers(strong), { whatIf: false });
    expect(r.framework.ceilingPassed).toBe(true);
    expect(r.decisionPath.outcome).toBe('fine-tune-candidate');
    expect(r.recommendation.approach).toBe('fine-tune');
    // No step ended the tree, so none says where it led.
    const tree = r.trace.filter((t) => t.kind === 'tree');
    expect(tree.length).toBeGreaterThan(3);
    expect(tree.every((t) => t.to === undefined)).toBe(true);
  });

  describe.each(CEILING.map((c) => [c]))('with %s unchecked', (open) => {
    it('stops at "keep optimising prompts" and recommends prompt', async () => {
      const r = await run(candidateAnswers({ ...strong, ceiling: ceilingExcept(open) }), { whatIf: false });
      expect(r.framework.ceilingPassed).toBe(false);
      expect(r.decisionPath.outcome).toBe('keep-optimising-prompts');
      // The later questions are not asked once the tree has stopped.
      expect(r.decisionPath.steps.slice(1).every((s) => s.answer === 'not reached')).toBe(true);
      expect(r.recommendation.approach).toBe('prompt');
      expect(r.recommendation.method).toBeNull();
      // The step that ended the tree says where it led (the steps not reached are not in the trace).
      expect(r.trace.filter((t) => t.kind === 'tree').map((t) => [t.rule, t.to])).toEqual([['tree.ceiling', 'prompt']]);
    });

    it('recommends rag instead when knowledge is a need (prompts cannot teach missing facts: 000, 003)', async () => {
      const r = await run(candidateAnswers({ ...strong, ceiling: ceilingExcept(open), needs: ['behavior', 'knowledge'] }), { whatIf: false });
      expect(r.decisionPath.outcome).toBe('keep-optimising-prompts');
      expect(r.recommendation.approach).toBe('rag');
    });
  });

  it('with every check unchecked, lists all five as open', async () => {
    const r = await run(candidateAnswers({ ...strong, ceiling: ceilingExcept(...CEILING) }), { whatIf: false });
    expect(r.framework.ceilingFailed).toHaveLength(5);
    expect(r.recommendation.approach).toBe('prompt');
  });
});

describe('"Indicators > 3?" (002 step 3)', () => {
  it.each([
    // [indicators present, candidate?]
    [0, false],
    [1, false],
    [2, false],
    [3, false], // exactly 3 is not "> 3"
    [4, true],
    [5, true],
    [6, true],
  ])('%i indicators, 0 anti-indicators -> candidate: %s', async (n, candidate) => {
    const r = await run(baseAnswers({ indicators: indicatorsOn(n) }), { whatIf: false });
    expect(r.framework.indicators).toBe(n);
    expect(r.decisionPath.outcome).toBe(candidate ? 'fine-tune-candidate' : 'consider-rag-or-model-switch');
    expect((FINE_TUNING as readonly string[]).includes(r.recommendation.approach)).toBe(candidate);
  });

  it('counts indicators, it does not add weights: 3 high-weight indicators are still only 3 (002: "Count how many indicators apply")', async () => {
    const r = await run(baseAnswers({ indicators: indicatorsOnly('consistentBehavior', 'domainKnowledge', 'dataSovereignty') }), { whatIf: false });
    expect(r.framework.indicators).toBe(3);
    expect(r.decisionPath.outcome).toBe('consider-rag-or-model-switch');
  });

  it('3 medium-weight indicators plus one more make 4, a candidate', async () => {
    const r = await run(baseAnswers({ indicators: indicatorsOnly('brandVoice', 'costOptimization', 'latency', 'consistentBehavior') }), { whatIf: false });
    expect(r.framework.indicators).toBe(4);
    expect(r.decisionPath.outcome).toBe('fine-tune-candidate');
  });

  it('3 indicators: the outcome names both alternatives of the tree, RAG improvements and a model switch', async () => {
    const r = await run(baseAnswers({ indicators: indicatorsOn(3) }), { whatIf: false });
    expect(r.decisionPath.outcomeLabel).toMatch(/RAG/);
    expect(r.decisionPath.outcomeLabel).toMatch(/model/i);
    // 002 option 2 is named in the outcome; the next steps do not repeat what the team did
    // (ceiling.multipleModels is answered yes).
    expect(r.nextStepItems.map((i) => i.id)).not.toContain('next.other-model');
    expect(r.recommendation.action).toMatch(/More than 3 indicators \(now 3\)/);
  });

  it.each(INDICATORS.map((i) => [i]))('each indicator counts once: 3 others + %s = 4, a candidate', async (indicator) => {
    const others = INDICATORS.filter((i) => i !== indicator).slice(0, 3);
    expect(await approachOf(baseAnswers({ indicators: indicatorsOnly(...others) }))).toBe('prompt');
    expect(await approachOf(baseAnswers({ indicators: indicatorsOnly(...others, indicator) }))).toBe('fine-tune');
  });
});

describe('"Anti-indicators < 2?" (002 step 3)', () => {
  it.each([
    // [anti-indicators present, outcome]
    [0, 'fine-tune-candidate'],
    [1, 'fine-tune-candidate'], // 1 < 2: still a candidate
    [2, 'address-anti-indicators'],
    [3, 'address-anti-indicators'],
    [4, 'address-anti-indicators'],
  ])('6 indicators and %i anti-indicators -> %s', async (n, outcome) => {
    const r = await run(baseAnswers({ indicators: indicatorsOn(6), antiIndicators: antiIndicatorsOn(n) }), { whatIf: false });
    expect(r.framework.antiIndicators).toBe(n);
    expect(r.decisionPath.outcome).toBe(outcome);
    expect(r.recommendation.approach).toBe(outcome === 'fine-tune-candidate' ? 'fine-tune' : 'prompt');
  });

  it.each(ANTI_INDICATORS.map((a) => [a]))('each anti-indicator counts: %s alone leaves a candidate, with one more it does not', async (anti) => {
    const other = ANTI_INDICATORS.find((a) => a !== anti && a !== 'insufficientData')!;
    const data = anti === 'insufficientData' ? { examples: 500 } : { examples: 5000 }; // keep the answer consistent with the count
    const one = baseAnswers({ indicators: indicatorsOn(4), antiIndicators: { [anti]: true }, data });
    const two = baseAnswers({ indicators: indicatorsOn(4), antiIndicators: { [anti]: true, [other]: true }, data });
    expect((await run(one, { whatIf: false })).decisionPath.outcome).toBe('fine-tune-candidate');
    const r2 = await run(two, { whatIf: false });
    expect(r2.decisionPath.outcome).toBe('address-anti-indicators');
    expect(r2.nextStepItems.map((i) => i.id)).toContain('next.address-anti-indicators');
  });

  it('"address anti-indicators first" with knowledge as a need still never fine-tunes: rag', async () => {
    const r = await run(baseAnswers({ needs: ['behavior', 'knowledge'], indicators: indicatorsOn(6), antiIndicators: antiIndicatorsOn(2) }), { whatIf: false });
    expect(r.decisionPath.outcome).toBe('address-anti-indicators');
    expect(r.recommendation.approach).toBe('rag');
  });
});

describe('prompts already working (anti-indicator "Success with Prompts"; 003: "If you get 80%+ ... you are done")', () => {
  it('as the only anti-indicator it leaves a candidate by the tree, but the contradiction with the ceiling is flagged and the 80% stop is advised', async () => {
    const r = await run(candidateAnswers({ antiIndicators: { promptsWorking: true } }), { whatIf: false });
    expect(r.decisionPath.outcome).toBe('fine-tune-candidate'); // 1 < 2
    expect(r.warningItems.map((w) => w.id)).toContain('warn.prompts-working-but-ceiling');
    expect(r.nextStepItems.map((i) => i.id)).toContain('next.stop-at-80');
  });

  it('with an open ceiling there is no contradiction to flag', async () => {
    const r = await run(candidateAnswers({ antiIndicators: { promptsWorking: true }, ceiling: ceilingExcept('fewShot') }), { whatIf: false });
    expect(r.recommendation.approach).toBe('prompt');
    expect(r.warningItems.map((w) => w.id)).not.toContain('warn.prompts-working-but-ceiling');
  });
});
