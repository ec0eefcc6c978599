// One report, one story: invariants every report keeps, in text, JSON and markdown, for
// random valid answers. A report never contradicts itself or the answers it was given.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Answers } from '../../src/answers/schema';
import { validateAnswers } from '../../src/answers/validate';
import { assessAnswers, type Report } from '../../src/engine/assess';
import { renderMarkdown } from '../../src/report/markdown';
import { renderText } from '../../src/report/text';
import { loadDefaultRules } from '../../src/rules/load';
import type { RuleSet } from '../../src/rules/schema';

let rules: RuleSet;
beforeAll(async () => {
  rules = await loadDefaultRules();
});

const section = (id: string) => rules.sections.find((s) => s.id === id)!;
// Leaning towards the ceiling passed and few anti-indicators, where the decision turns.
const ceilingArb = () => fc.record(Object.fromEntries(section('ceiling').fields!.map((f) => [f.id, fc.constantFrom(true, true, true, false)])));
const booleans = (id: string, ...weights: boolean[]) => fc.record(Object.fromEntries(section(id).fields!.map((f) => [f.id, weights.length ? fc.constantFrom(...weights) : fc.boolean()])));
const count = fc.oneof(fc.constantFrom(0, 10, 99, 100, 499, 500, 999, 1000, 9999, 10_000, 99_999, 100_000), fc.nat({ max: 200_000 }));

function answersArb(): fc.Arbitrary<Answers> {
  const needIds = section('needs').choices!.map((c) => c.id);
  return fc
    .record(
      {
        version: fc.constant(1 as const),
        useCase: fc.record({ name: fc.string({ minLength: 1, maxLength: 20 }) }),
        needs: fc.shuffledSubarray(needIds, { minLength: 1, maxLength: 4 }),
        goalIndex: fc.option(fc.nat({ max: 3 }), { nil: undefined }),
        ceiling: ceilingArb(),
        alternatives: booleans('alternatives'),
        indicators: booleans('indicators'),
        antiIndicators: booleans('antiIndicators', false, false, false, true),
        knowledge: booleans('knowledge'),
        data: fc.record({ examples: count, preferencePairs: count, documents: count }, { requiredKeys: [] }),
        training: booleans('training'),
        usage: fc.record({
          requestsPerDay: fc.constantFrom(1, 33, 34, 100, 10_000),
          promptTokens: fc.constantFrom(150, 700),
          inputTokens: fc.constant(200),
          tunedPromptTokens: fc.constant(20),
          pricePerMillionTokens: fc.constantFrom(0.5, 3),
        }),
        roi: fc.record({
          upfrontHours: fc.constantFrom(0, 40, 60, 80, 120),
          hourlyRate: fc.constant(100),
          monthlyApiSavings: fc.constantFrom(0, 500, 999, 1000, 1500),
          monthlyQualityValue: fc.constantFrom(0, 500),
          monthlyOngoingCosts: fc.constantFrom(0, 500),
        }),
      },
      { requiredKeys: ['version', 'useCase', 'needs', 'ceiling', 'indicators', 'antiIndicators', 'data'] },
    )
    .map(({ goalIndex, ...a }) => {
      const answers = a as unknown as Record<string, any>;
      if (goalIndex !== undefined) answers.goal = { primary: answers.needs[goalIndex % answers.needs.length] };
      // insufficientData is derived from a data count; without one it must be answered.
      if (Object.keys(answers.data).length === 0) answers.antiIndicators.insufficientData ??= false;
      else delete answers.antiIndicators.insufficientData;
      return answers as Answers;
    });
}

const TUNING = new Set(['fine-tune', 'hybrid']);
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

/** Every invariant of points 10-14, for one report in its three formats. */
function expectOneStory(r: Report): void {
  const text = plain(renderText(r, { color: false, width: 100 }));
  const md = renderMarkdown(r);
  const json = JSON.stringify(r);
  const tuning = TUNING.has(r.recommendation.approach);
  const a = r.answers as Record<string, any>;
  const steps = r.nextStepItems.map((s) => s.id);
  const everything = [text, md, json];

  // 10. The summary never carries a label the verdict contradicts.
  if (!tuning) expect(r.recommendation.summary).not.toContain(r.decisionPath.candidateLabel);
  if (tuning) for (const step of r.decisionPath.steps) expect(r.recommendation.summary).not.toContain(step.ifNo);

  // 9. Confidence and its action only qualify a fine-tuning verdict.
  if (!tuning) {
    expect(r.recommendation.confidence).toBeNull();
    for (const out of [text, md]) expect(out).not.toMatch(/proceed to fine-tuning|run a pilot/i);
  } else {
    expect(r.recommendation.confidence).toBe(r.framework.confidence);
  }

  // 11. Next steps never suggest what the answers say is done, nor contradict the verdict or method.
  if (a.ceiling?.multipleModels === true) expect(steps).not.toContain('next.other-model');
  if (a.ceiling?.fewShot === true) expect(r.nextSteps.filter((s) => /few-shot|^Put 5 or more examples/i.test(s))).toEqual([]);
  if (a.ceiling?.retrievalOptimized === true) expect(steps).not.toContain('next.rag-upgrades');
  if (a.alternatives?.declarativeOptimization === true) expect(r.nextSteps.filter((s) => /DSPy/.test(s))).toEqual([]);
  if (tuning) expect(r.nextSteps.filter((s) => /you are done/i.test(s))).toEqual([]);
  if (r.recommendation.method?.technique === 'full') {
    expect([...r.nextSteps, ...r.risks.map((x) => x.text)].filter((s) => /small adapter|LoRA adapter|prefer LoRA|adapter small/i.test(s))).toEqual([]);
  }
  if (r.dataReadiness?.generated || (r.recommendation.method?.distillation && r.answers.needs.every((n) => n === 'cost' || n === 'latency'))) {
    for (const out of everything) expect(out).not.toMatch(/use your 0 |short by 1,000 examples/);
  }

  // 12. Markdown's confidence says what set it; break-even stays at a glance when it is "never".
  if (tuning) {
    if (r.framework.confidence !== r.framework.bandsConfidence) {
      expect(md).toMatch(/Overall confidence: \*\*[a-z-]+\*\* \((lowered|raised) from/);
      expect(text).toMatch(/(lowered|raised) from/);
    }
    // A fine-tuning verdict never tells the team to explore the alternatives instead.
    expect(r.recommendation.action).not.toMatch(/explore the alternatives/i);
    expect(md).not.toMatch(/both bands agree/);
  }
  if (r.economics?.breakEvenVerdict) expect(md).toMatch(/\| Break-even \| (never|[\d.,]+ months) \(/);
  if (r.recommendation.method?.phases.some((p) => p.instead)) expect(text).toMatch(/→ [a-z-]+ instead/);

  // 13. What-if: the few nearest levers shown, team levers before new needs.
  const shown =
    text
      .split('What would change the verdict\n')[1]
      ?.split('\n\n')[0]
      ?.split('\n')
      .filter((l) => /^ {2}\S+: /.test(l)) ?? [];
  expect(shown.length).toBeLessThanOrEqual(r.whatIfShown);
  const lastLever = r.whatIf.findLastIndex((w) => /^(ceiling|alternatives|data|dataChecklist|usage|roi|training)\./.test(w.path) && !(w.from === true && w.value === false));
  const firstNeeds = r.whatIf.findIndex((w) => w.path === 'needs');
  if (lastLever !== -1 && firstNeeds !== -1) expect(lastLever).toBeLessThan(firstNeeds);

  // 14. Grammar.
  for (const out of everything) {
    expect(out).not.toMatch(/(?<!step )\b1 (indicators|anti-indicators|checks are|rules fired|other changes)\b/);
    expect(out).not.toMatch(/\ba (8\d*|11|18)(\.\d+)?%/);
    expect(out).not.toMatch(/\{[a-z]+\.[A-Za-z.]+(\|[^}]*)?\}/); // no placeholder left unfilled
    expect(out).not.toMatch(/\b(undefined|NaN|\[object Object\])\b/);
  }
}

describe('one report, one story', () => {
  it('every report keeps points 10-14 in text, JSON and markdown', () => {
    fc.assert(
      fc.property(answersArb(), (raw) => {
        expectOneStory(assessAnswers(rules, validateAnswers(raw, rules)));
      }),
      { numRuns: 200 },
    );
  }, 240_000);
});
