// The five contradictions between the source documents (seeds README, items 1-5) and
// the deliberate resolution of each. Items 1 and 2 (factor count, bands) are also in
// task-api.test.ts and bands.test.ts.
import { describe, expect, it } from 'vitest';
import { BEHAVIOURAL_NEEDS, antiIndicatorsOn, baseAnswers, candidateAnswers, ceilingExcept, indicatorsOn } from '../helpers/answers';
import { approachOf, run } from '../helpers/engine';

const resolutionIds = (r: { resolutions: { id: string }[] }) => r.resolutions.map((x) => x.id);

describe('1. dividing by 10 or 11 factors', () => {
  it('always divides by the 11 factors asked, and says so', async () => {
    for (const n of [0, 4, 6]) {
      const r = await run(baseAnswers({ indicators: indicatorsOn(n) }), { whatIf: false });
      expect(r.framework.totalFactors).toBe(11);
      expect(r.framework.score).toBeCloseTo(n / 11, 3);
      expect(resolutionIds(r)).toContain('resolve.factor-count');
    }
  });
});

describe('2. score band vs difference band', () => {
  it('when they disagree (2 indicators: 0.182 weak vs difference 2 moderate), both are reported and the difference rule decides', async () => {
    const r = await run(baseAnswers({ indicators: indicatorsOn(2) }), { whatIf: false });
    expect(r.framework.scoreBand).toBe('weak');
    expect(r.framework.differenceBand).toBe('moderate');
    expect(r.framework.confidence).toBe('moderate');
    expect(resolutionIds(r)).toContain('resolve.bands-disagree');
    // The tree stopped at the indicator count: no verdict to qualify.
    expect(r.recommendation.confidence).toBeNull();
  });
});

describe('3. knowledge: retrieval, never fine-tuning for facts', () => {
  // 000: "Model lacks knowledge -> Use RAG"; 003: "RAG wins when the task is about what
  // the model knows"; 004: "Fine-tuning does not reliably inject factual knowledge".
  const states = {
    'a strong fine-tuning case (6 indicators, 0 anti)': { indicators: indicatorsOn(6) },
    'a moderate candidate (4 indicators)': { indicators: indicatorsOn(4) },
    'the ceiling not reached': { indicators: indicatorsOn(6), ceiling: ceilingExcept('fewShot') },
    'too few indicators (3)': { indicators: indicatorsOn(3) },
    'two anti-indicators': { indicators: indicatorsOn(6), antiIndicators: antiIndicatorsOn(2) },
  };

  describe.each(Object.entries(states))('with %s', (_name, state) => {
    it.each([[['knowledge']], [['knowledge', 'general']]])('needs %j -> rag', async (needs) => {
      const r = await run(baseAnswers({ ...state, needs }), { whatIf: false });
      expect(r.recommendation.approach).toBe('rag');
      expect(r.recommendation.method).toBeNull();
      expect(resolutionIds(r)).toContain('resolve.knowledge');
    });
  });

  it.each(BEHAVIOURAL_NEEDS.map((n) => [n]))('knowledge + %s on a fine-tune tree outcome -> hybrid (002 option 4: fine-tune for behaviour, RAG for knowledge)', async (need) => {
    const r = await run(candidateAnswers({ needs: ['knowledge', need], data: { examples: 5000, preferencePairs: 20000, documents: 200000 } }), { whatIf: false });
    expect(r.decisionPath.outcome).toBe('fine-tune-candidate');
    expect(r.recommendation.approach).toBe('hybrid');
    expect(r.recommendation.method).not.toBeNull();
    expect(r.recommendation.method!.phases.flatMap((p) => p.needs)).not.toContain('knowledge');
    expect(resolutionIds(r)).toContain('resolve.knowledge');
  });

  it('the same behavioural need without knowledge is plain fine-tuning, not hybrid', async () => {
    expect(await approachOf(candidateAnswers({ needs: ['style'] }))).toBe('fine-tune');
  });

  it('the domainKnowledge indicator still counts towards the framework (the resolution keeps it)', async () => {
    const r = await run(baseAnswers({ needs: ['knowledge', 'style'], indicators: indicatorsOn(4) }), { whatIf: false });
    expect(r.framework.factors.find((f) => f.id === 'domainKnowledge')?.present).toBe(true);
    expect(r.framework.indicators).toBe(4);
  });
});

describe('4. how much data is enough', () => {
  // A fine-tuning candidate (ceiling passed, 4 indicators, no explicit insufficientData)
  // with a varying number of labelled examples.
  const withExamples = (examples: number, override: Record<string, unknown> = {}) => candidateAnswers({ antiIndicators: { insufficientData: undefined }, data: { examples }, ...override });

  it.each([
    // [examples, approach, insufficientData derived, source]
    [0, 'prompt', true], //        nothing to train on
    [10, 'prompt', true], //       000: "You only have 10 examples -> use few-shot prompting"
    [50, 'prompt', true], //       004: "fewer than ~100 high-quality examples" -> loses
    [99, 'prompt', true], //       still under ~100
    [100, 'fine-tune', true], //   004: 50-100 minimum for behavioural tuning; 002: < 1,000 is an anti-indicator (1 < 2)
    [499, 'fine-tune', true],
    [500, 'fine-tune', true], //   001: "Minimum 500 ... (1000+ preferred)"; still under 002's 1,000
    [999, 'fine-tune', true],
    [1000, 'fine-tune', false], // 002: insufficient data is "Less than 1,000"
    [10000, 'fine-tune', false], // the Task API's 10K conversations
  ])('%i examples -> %s (insufficientData derived %s)', async (examples, approach, insufficient) => {
    const r = await run(withExamples(examples), { whatIf: false });
    expect(r.recommendation.approach).toBe(approach);
    const derived = r.derived.find((d) => d.path === 'antiIndicators.insufficientData');
    expect(derived?.value).toBe(insufficient);
    expect(r.framework.antiIndicators).toBe(insufficient ? 1 : 0);
    expect(resolutionIds(r)).toContain('resolve.data-minimums');
  });

  it.each([[10], [99]])('%i examples: the gate fires and the next step is to collect more, not few-shot the team already did', async (examples) => {
    const r = await run(withExamples(examples), { whatIf: false });
    expect(r.decisionPath.treeApproach).toBe('fine-tune'); // the framework alone would tune
    expect(r.trace.map((t) => t.rule)).toContain('gate.too-few-examples');
    expect(r.recommendation.reason).toBe('Too little data to train on');
    expect(r.nextSteps.find((s) => /^Collect more labelled examples/.test(s) && s.includes(String(examples)))).toBeDefined();
    expect(r.nextSteps.some((s) => /few-shot/i.test(s))).toBe(false); // ceiling.fewShot is answered yes
  });

  it.each([[10], [99]])('%i examples and no few-shot yet: the next step is to use them as few-shot examples', async (examples) => {
    const r = await run(withExamples(examples, { ceiling: ceilingExcept('fewShot') }), { whatIf: false });
    expect(r.nextSteps.find((s) => /few-shot/i.test(s) && s.includes(String(examples)))).toBeDefined();
  });

  it('10 examples with knowledge and behaviour: not hybrid (too few to tune) but rag for the facts', async () => {
    expect(await approachOf(withExamples(10, { needs: ['behavior', 'knowledge'] }))).toBe('rag');
  });

  it.each([[100], [250], [499]])('%i examples cap the confidence at a pilot even with all 6 indicators', async (examples) => {
    // Derived insufficientData makes 6 - 1 = 5: 5/11 = 0.455 moderate, difference 5 strong.
    const r = await run(withExamples(examples, { indicators: indicatorsOn(6) }), { whatIf: false });
    expect(r.recommendation.approach).toBe('fine-tune');
    expect(r.framework.score).toBeCloseTo(5 / 11, 3);
    expect(r.framework.bandsConfidence).toBe('moderate-strong');
    expect(r.framework.confidence).toBe('moderate');
    expect(r.recommendation.action).toMatch(/pilot/i);
  });

  it.each([[500], [999]])('%i examples: reliable (004: 500+) but still the insufficientData anti-indicator: moderate-strong, not strong', async (examples) => {
    const r = await run(withExamples(examples, { indicators: indicatorsOn(6) }), { whatIf: false });
    expect(r.framework.antiIndicators).toBe(1);
    expect(r.framework.confidence).toBe('moderate-strong');
    expect(r.recommendation.action).not.toMatch(/pilot/i);
  });

  // Resolution 4: "100-499 is enough only for a behavioural pilot" (004: "For reliable
  // results: 500+"). The count caps the confidence even when insufficientData is answered
  // false explicitly, so the action never says "proceed" on pilot-sized data.
  it.each([[150], [300], [499]])('%i examples with insufficientData answered false: still only a pilot, never "proceed" (resolution 4; 004: 500+ for reliable results)', async (examples) => {
    const r = await run(candidateAnswers({ indicators: indicatorsOn(6), antiIndicators: { insufficientData: false }, data: { examples } }), { whatIf: false });
    expect(r.recommendation.approach).toBe('fine-tune');
    expect(r.recommendation.action).toMatch(/pilot/i);
    expect(r.recommendation.action).not.toMatch(/proceed/i);
  });

  it('1,000 examples with all 6 indicators: 6/11 = 0.545, strong, proceed', async () => {
    const r = await run(withExamples(1000, { indicators: indicatorsOn(6) }), { whatIf: false });
    expect(r.framework.confidence).toBe('strong');
    expect(r.recommendation.action).toMatch(/proceed/i);
  });

  it('a count under 1,000 with one other anti-indicator makes two: address the anti-indicators first', async () => {
    const r = await run(withExamples(800, { antiIndicators: { insufficientData: undefined, explorationPhase: true } }), { whatIf: false });
    expect(r.framework.antiIndicators).toBe(2);
    expect(r.decisionPath.outcome).toBe('address-anti-indicators');
  });
});

describe('5. the rubric grades a project; the framework decides', () => {
  const ones = { decision: 1, dataQuality: 1, evaluation: 1, method: 1, cost: 1, versioning: 1, monitoring: 1 };
  const fives = { decision: 5, dataQuality: 5, evaluation: 5, method: 5, cost: 5, versioning: 5, monitoring: 5 };
  const sets = {
    prompt: baseAnswers({ indicators: indicatorsOn(3) }),
    rag: baseAnswers({ needs: ['knowledge'], indicators: indicatorsOn(6) }),
    'fine-tune': candidateAnswers(),
    hybrid: candidateAnswers({ needs: ['behavior', 'knowledge'] }),
    'ceiling not reached': candidateAnswers({ ceiling: ceilingExcept('promptVariations') }),
  };

  it.each(Object.entries(sets))('%s: rubric all 1s (premature) and all 5s (justified) give the same approach as no rubric', async (_name, answers) => {
    const none = await run(answers, { whatIf: false });
    const low = await run({ ...answers, rubric: ones }, { whatIf: false });
    const high = await run({ ...answers, rubric: fives }, { whatIf: false });
    expect(low.rubric!.band).toBe('premature'); // 7 < 21
    expect(high.rubric!.band).toBe('justified'); // 35 >= 28
    expect(low.recommendation.approach).toBe(none.recommendation.approach);
    expect(high.recommendation.approach).toBe(none.recommendation.approach);
    expect(low.recommendation.method).toEqual(none.recommendation.method);
    expect(high.framework.score).toBe(none.framework.score);
    expect(resolutionIds(low)).toContain('resolve.rubric-vs-framework');
    expect(resolutionIds(none)).not.toContain('resolve.rubric-vs-framework');
  });
});

describe('break-even: banded on its exact value; marginal caps the confidence, 12 months or never stops the tuning', () => {
  // Net benefit 100 a month (savings 100, quality 500, ongoing 500): break-even = upfront / 100.
  const withUpfront = (upfront: number, savings = 100) =>
    candidateAnswers({
      indicators: indicatorsOn(6),
      data: { examples: 5000 },
      roi: { upfrontHours: upfront, hourlyRate: 1, monthlyApiSavings: savings, monthlyQualityValue: 500, monthlyOngoingCosts: 500 },
    });

  it.each([
    // [upfront, months shown, band]
    [400, 4, 'justified'],
    [596, 5.96, 'justified'], //  one decimal would show 6.0, which reads as marginal
    [599, 5.99, 'justified'],
    [599.6, 5.996, 'justified'], // two decimals would still show 6.00
    [600, 6, 'marginal'], //      002: justified is "< 6 months"
    [1199, 11.99, 'marginal'],
  ])('upfront %d -> %d months (%s)', async (upfront, months, band) => {
    const r = await run(withUpfront(upfront), { whatIf: false });
    expect(r.economics!.breakEvenMonths).toBe(months);
    expect(r.economics!.breakEvenVerdict).toBe(band);
    expect(r.recommendation.approach).toBe('fine-tune');
    expect(r.framework.confidence).toBe(band === 'justified' ? 'strong' : 'moderate');
    expect(r.recommendation.action).toMatch(band === 'justified' ? /proceed/i : /pilot/i);
  });

  it.each([
    ['12 months', withUpfront(1200), 12],
    ['never (net benefit 0)', withUpfront(1200, 0), null],
  ])('%s: not justified, so the verdict is not fine-tuning, and the report says what would make it pay', async (_name, answers, months) => {
    const r = await run(answers, { whatIf: false });
    expect(r.economics!.breakEvenMonths).toBe(months);
    expect(r.economics!.breakEvenVerdict).toBe('not-justified');
    expect(r.recommendation.approach).toBe('prompt');
    expect(r.recommendation.decidedBy).toBe('gate.does-not-pay');
    expect(r.recommendation.confidence).toBeNull();
    expect(r.recommendation.action).toMatch(/monthly net benefit of at least 100 to pay back within 12 months, and 200 to count as justified \(under 6\); now (100|0)\./);
    expect(r.recommendation.summary).not.toMatch(/candidate/i);
    expect(r.nextStepItems.map((x) => x.id)).toContain('next.make-it-pay');
  });
});
