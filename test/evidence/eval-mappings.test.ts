// The default rule set's evidence mappings, each at its threshold: measured facts in,
// settled answers (or findings) out. Thresholds live in rules/default.yaml.
import { describe, expect, it } from 'vitest';
import { applyEvidence } from '../../src/evidence/apply';
import { checkRuleSet } from '../../src/rules/check';
import { evalFacts, summarize, type EvalRow } from '../../src/evidence/eval/summary';
import { withTargets } from '../../src/evidence/eval/targets';
import type { Measurements } from '../../src/evidence/types';
import { defaultRules } from '../helpers/engine';

const row = (prompt: string, provider: string, passRate: number, extra: Partial<EvalRow> = {}): EvalRow => ({
  prompt,
  promptKey: prompt,
  provider,
  tests: 100,
  passed: passRate,
  failed: 100 - passRate,
  errors: 0,
  passRate,
  meanLatencyMs: null,
  p95LatencyMs: null,
  promptTokens: null,
  completionTokens: null,
  costPerRequest: null,
  ...extra,
});

async function settle(rows: EvalRow[], answers: Record<string, unknown> = {}) {
  const rules = await defaultRules();
  const m: Measurements = { file: 'r.json', kind: 'test', facts: evalFacts(summarize('test', rows)) };
  return applyEvidence(rules, answers, withTargets(rules, answers, [m]));
}
const filled = (r: Awaited<ReturnType<typeof settle>>, path: string) => r.filled.find((f) => f.path === path)?.value;

describe('the default evidence mappings at their thresholds', () => {
  it.each([
    [4, false],
    [5, true],
  ])('ceiling.promptVariations: %i distinct prompts -> %s', async (n, expected) => {
    const rows = Array.from({ length: n }, (_, i) => row(`p${i}`, 'm', 50 + i));
    expect(filled(await settle(rows), 'ceiling.promptVariations')).toBe(expected);
  });

  it.each([
    [1, false],
    [2, true],
  ])('ceiling.multipleModels: %i distinct providers -> %s', async (n, expected) => {
    const rows = Array.from({ length: n }, (_, i) => row('p', `m${i}`, 60));
    expect(filled(await settle(rows), 'ceiling.multipleModels')).toBe(expected);
  });

  it.each([
    [79.9, undefined, false],
    [80, undefined, true],
    [89, 90, false],
    [90, 90, true],
  ])('antiIndicators.promptsWorking: best pass rate %f%% against a target of %s (default 80) -> %s', async (best, target, expected) => {
    const answers = target === undefined ? {} : { evalTargets: { passRate: target } };
    const r = await settle([row('a', 'm', best), row('b', 'm', 40)], answers);
    expect(filled(r, 'antiIndicators.promptsWorking')).toBe(expected);
    expect(r.filled.find((f) => f.path === 'antiIndicators.promptsWorking')!.because).toBe(`the best prompt passes ${best}% of the tests against a target of ${target ?? 80}%`);
  });

  it.each([
    [1000, 1000, false],
    [1001, 1000, true],
    [1001, undefined, undefined],
  ])('indicators.latency: mean %i ms against a budget of %s ms -> %s', async (latency, budget, expected) => {
    const answers = budget === undefined ? {} : { evalTargets: { latencyMs: budget } };
    expect(filled(await settle([row('a', 'm', 70, { meanLatencyMs: latency })], answers), 'indicators.latency')).toBe(expected);
  });

  it.each([
    [0.002, 0.002, false],
    [0.0021, 0.002, true],
    [0.0021, undefined, undefined],
  ])('indicators.costOptimization: %f a request against a budget of %s -> %s', async (cost, budget, expected) => {
    const answers = budget === undefined ? {} : { evalTargets: { costPerRequest: budget } };
    expect(filled(await settle([row('a', 'm', 70, { costPerRequest: cost })], answers), 'indicators.costOptimization')).toBe(expected);
  });

  it.each([
    // best prompt, median prompt over three prompts; gap <= 5 points is a plateau
    [[75, 70, 60], true],
    [[76, 70, 60], false],
  ])('the plateau finding: prompt pass rates %j -> %s', async (rates, expected) => {
    const r = await settle(rates.map((p, i) => row(`p${i}`, 'm', p)));
    expect(r.findings!.map((f) => f.finding)).toEqual(expected ? ['plateau'] : []);
  });

  it('no plateau with two prompts, however close', async () => {
    const r = await settle([row('a', 'm', 70), row('b', 'm', 70)]);
    expect(r.findings).toEqual([]);
  });

  it('usage.promptTokens copies the measured mean, and agrees with an answer within 10%', async () => {
    const rows = [row('a', 'm', 70, { promptTokens: 1039.4, completionTokens: 147 })];
    const usage = { requestsPerDay: 1000, inputTokens: 0, tunedPromptTokens: 20 };
    expect(filled(await settle(rows, { usage }), 'usage.promptTokens')).toBe(1039);
    expect((await settle(rows, { usage: { ...usage, promptTokens: 950 } })).confirmed.map((c) => c.path)).toEqual(['usage.promptTokens']);
    expect((await settle(rows, { usage: { ...usage, promptTokens: 900 } })).contradictions.map((c) => [c.path, c.answered, c.value])).toEqual([['usage.promptTokens', 900, 1039]]);
  });

  it('usage.promptTokens is the measured prompt less the answered user tokens (an eval counts both as prompt)', async () => {
    const rows = [row('a', 'm', 70, { promptTokens: 1039, completionTokens: 147 })];
    const usage = { requestsPerDay: 1000, inputTokens: 200, tunedPromptTokens: 20 };
    const r = await settle(rows, { usage });
    expect(filled(r, 'usage.promptTokens')).toBe(839);
    expect(r.filled.find((f) => f.path === 'usage.promptTokens')!.because).toBe(
      'the best prompt sends 1,039 prompt tokens a request on average; less the 200 user tokens answered, 839 are instructions',
    );
    // 700 instruction + 200 user = 900 sent, against 1,039 measured: 839 vs 700 is outside 10%.
    expect((await settle(rows, { usage: { ...usage, promptTokens: 700 } })).contradictions.map((c) => [c.path, c.answered, c.value])).toEqual([['usage.promptTokens', 700, 839]]);
    expect(filled(await settle(rows, { usage: { ...usage, inputTokens: 2000 } }), 'usage.promptTokens')).toBe(0);
  });

  it('usage.completionTokens copies the measured mean completion, and agrees with an answer within 10%', async () => {
    const rows = [row('a', 'm', 70, { promptTokens: 1000, completionTokens: 147.4 })];
    const usage = { requestsPerDay: 1000, promptTokens: 1000, inputTokens: 0, tunedPromptTokens: 20 };
    expect(filled(await settle(rows, { usage }), 'usage.completionTokens')).toBe(147);
    expect((await settle(rows, { usage: { ...usage, completionTokens: 160 } })).confirmed.map((c) => c.path)).toContain('usage.completionTokens');
    expect((await settle(rows, { usage: { ...usage, completionTokens: 170 } })).contradictions.map((c) => [c.path, c.answered, c.value])).toEqual([['usage.completionTokens', 170, 147]]);
  });

  // The cost of a request is prompt x input price + completion x output price. Without an
  // output price the rule set's ratio (economics.outputPriceRatio, 4) splits it.
  it.each([
    // [cost per request, prompt tokens, completion tokens, answered output price, input price, output price]
    [0.0045, 1000, 100, undefined, 3.214, 12.86], // 0.0045 / (1000 + 4 x 100) x 1e6
    [0.0045, 1000, 0, undefined, 4.5, 18],
    [0.0045, 1000, 100, 15, 3, 15], // (0.0045 - 100 x 15e-6) / 1000 x 1e6
    [0.001, 1000, 100, 15, undefined, undefined], // the output alone costs more than the request: no split
  ])('a cost of %f a request over %i prompt and %i completion tokens, output price %s -> input price %s', async (cost, promptTokens, completionTokens, output, input, outputPrice) => {
    const usage = { requestsPerDay: 1000, promptTokens, inputTokens: 0, tunedPromptTokens: 20, ...(output === undefined ? {} : { pricePerMillionOutputTokens: output }) };
    const r = await settle([row('a', 'm', 70, { promptTokens, completionTokens, costPerRequest: cost })], { usage });
    expect(filled(r, 'usage.pricePerMillionTokens')).toBe(input);
    if (input !== undefined) {
      expect(r.filled.find((f) => f.path === 'usage.pricePerMillionTokens')!.because).toBe(
        `the best prompt costs ${cost} a request for ${promptTokens.toLocaleString('en-US')} prompt and ${completionTokens} completion tokens: ${input} per million input tokens, with output tokens at ${outputPrice}`,
      );
    }
  });

  it('a price worked out from the cost agrees with an answered price within 25%, and is not derived without completion tokens', async () => {
    const rows = [row('a', 'm', 70, { promptTokens: 1000, completionTokens: 100, costPerRequest: 0.0045 })];
    const usage = { requestsPerDay: 1000, promptTokens: 1000, inputTokens: 0, tunedPromptTokens: 20 };
    expect((await settle(rows, { usage: { ...usage, pricePerMillionTokens: 2.5 } })).confirmed.map((c) => c.path)).toContain('usage.pricePerMillionTokens');
    expect((await settle(rows, { usage: { ...usage, pricePerMillionTokens: 2.4 } })).contradictions.map((c) => c.path)).toEqual(['usage.pricePerMillionTokens']);
    const noCompletion = await settle([row('a', 'm', 70, { promptTokens: 1000, costPerRequest: 0.0045 })], { usage });
    expect(filled(noCompletion, 'usage.pricePerMillionTokens')).toBeUndefined();
  });

  it('does not start the token economics from a measured count alone (its other questions would be missing)', async () => {
    const r = await settle([row('a', 'm', 70, { promptTokens: 800 })]);
    expect(r.filled.map((f) => f.path)).not.toContain('usage.promptTokens');
    expect(r.answers.usage).toBeUndefined();
  });
});

describe('rules check of finding mappings', () => {
  const plateau = { id: 'e.plateau', finding: 'plateau', when: { fact: 'eval.plateauGap', lte: 5 }, because: 'gap {eval.plateauGap}', source: 'ft-advisor' };
  it.each([
    [{ ...plateau }, undefined],
    [{ ...plateau, answer: 'ceiling.promptVariations' }, 'expected exactly one of `answer`'],
    [{ id: 'e.x', when: plateau.when, because: 'b', source: 'ft-advisor' }, 'expected exactly one of `answer`'],
    [{ id: 'e.x', finding: 'plateau', value: 'eval.plateauGap', because: 'b', source: 'ft-advisor' }, 'a `finding` needs `when`'],
    [{ ...plateau, when: { fact: 'eval.plateauGapp', lte: 5 } }, 'reads unknown evidence fact'],
  ])('%# %j', async (mapping, problem) => {
    const problems = checkRuleSet({ ...(await defaultRules()), evidence: [mapping] });
    if (problem === undefined) expect(problems).toEqual([]);
    else expect(problems.map((p) => p.message).join('\n')).toContain(problem);
  });
});
