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
