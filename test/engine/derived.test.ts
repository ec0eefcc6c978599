// Derived answers: an omitted anti-indicator the rule set knows how to compute from a
// number (002: insufficient data is "Less than 1,000 quality examples"; low volume is
// "Few hundred queries/month").
import { describe, expect, it } from 'vitest';
import { validateAnswers } from '../../src/answers/validate';
import { InputError } from '../../src/util/errors';
import { candidateAnswers } from '../helpers/answers';
import { defaultRules, run } from '../helpers/engine';

const omitInsufficient = (examples: number) => candidateAnswers({ antiIndicators: { insufficientData: undefined }, data: { examples } });

describe('insufficientData derived from data.examples', () => {
  it.each([
    [999, true],
    [500, true],
    [1000, false],
    [20000, false],
  ])('%i examples -> derived %s, listed, marked and traced', async (examples, value) => {
    const r = await run(omitInsufficient(examples), { whatIf: false });
    const d = r.derived.find((x) => x.path === 'antiIndicators.insufficientData');
    expect(d).toBeDefined();
    expect(d!.value).toBe(value);
    // The reason quotes the count it was derived from.
    expect(d!.because.replace(/,/g, '')).toContain(String(examples));
    const factor = r.framework.factors.find((f) => f.path === 'antiIndicators.insufficientData');
    expect(factor).toMatchObject({ derived: true, present: value, kind: 'anti-indicator' });
    const trace = r.trace.filter((t) => t.kind === 'derived');
    expect(trace.some((t) => t.because.includes('antiIndicators.insufficientData'))).toBe(true);
    // The answers as given stay as given: the derivation is reported, not written back.
    expect((r.answers.antiIndicators as Record<string, unknown>).insufficientData).toBeUndefined();
  });

  it('no other factor is marked derived when everything else was answered', async () => {
    const r = await run(omitInsufficient(500), { whatIf: false });
    expect(r.framework.factors.filter((f) => f.derived).map((f) => f.path)).toEqual(['antiIndicators.insufficientData']);
    expect(r.derived.map((d) => d.path)).toEqual(['antiIndicators.insufficientData']);
  });
});

describe('an explicit answer wins over the derivation', () => {
  it.each([
    // [explicit, examples, contradicts the count?]
    [false, 500, true], //  says enough data, but 500 < 1,000
    [true, 5000, true], //  says too little, but 5,000 >= 1,000
    [false, 5000, false],
    [true, 500, false],
  ])('insufficientData: %s with %i examples (contradiction: %s)', async (explicit, examples, contradicts) => {
    const r = await run(candidateAnswers({ antiIndicators: { insufficientData: explicit }, data: { examples } }), { whatIf: false });
    const factor = r.framework.factors.find((f) => f.path === 'antiIndicators.insufficientData')!;
    expect(factor.present).toBe(explicit);
    expect(factor.derived).toBe(false);
    expect(r.derived.map((d) => d.path)).not.toContain('antiIndicators.insufficientData');
    expect(r.trace.some((t) => t.kind === 'derived')).toBe(false);
    expect(r.warningItems.some((w) => w.id === 'warn.insufficient-data-contradicts-count')).toBe(contradicts);
  });

  it('the explicit answer changes the count: explicit false with 500 examples keeps 0 anti-indicators', async () => {
    const explicit = await run(candidateAnswers({ antiIndicators: { insufficientData: false }, data: { examples: 500 } }), { whatIf: false });
    const derived = await run(omitInsufficient(500), { whatIf: false });
    expect(explicit.framework.antiIndicators).toBe(0);
    expect(derived.framework.antiIndicators).toBe(1);
  });
});

describe('insufficientData omitted without data.examples', () => {
  const invalid = [
    ['no data section', candidateAnswers({ antiIndicators: { insufficientData: undefined }, data: undefined })],
    ['a data section without any count', candidateAnswers({ antiIndicators: { insufficientData: undefined }, data: { examples: undefined } })],
  ] as const;

  it.each(invalid)('%s: validateAnswers throws an InputError at antiIndicators.insufficientData pointing at data.examples', async (_name, answers) => {
    const rules = await defaultRules();
    let error: unknown;
    try {
      validateAnswers(answers, rules, { file: 'answers.yaml' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const problems = (error as InputError).problems;
    const problem = problems.find((p) => p.path === 'antiIndicators.insufficientData');
    expect(problem).toBeDefined();
    expect(problem!.hint).toMatch(/data\.examples/);
    expect(problem!.file).toBe('answers.yaml');
  });

  it.each([
    // [needs, data, derived insufficientData, because]
    [['behavior'], { preferencePairs: 12000 }, true, /no count of labelled examples/],
    [['safety'], { preferencePairs: 12000 }, false, /12,000 preference pairs/], // DPO counts pairs (10K+)
    [['safety'], { preferencePairs: 9999, examples: 5000 }, false, /5,000 labelled examples/], // DPO falls back to SFT
    [['safety'], { preferencePairs: 9999 }, true, /no count of labelled examples/],
    [['vocabulary'], { documents: 100000 }, false, /100,000 domain documents/], // continued pretraining counts documents
    [['vocabulary'], { documents: 99999, examples: 999 }, true, /999 labelled examples/],
    [['cost'], { examples: 0 }, false, /generates/], // distillation: the large model generates the data
    [['latency', 'cost'], { examples: 0 }, false, /generates/],
  ] as [string[], Record<string, number>, boolean, RegExp][])("needs %j with %j: insufficientData derived %s, counted in the primary objective's unit", async (needs, data, value, because) => {
    const r = await run(candidateAnswers({ needs, antiIndicators: { insufficientData: undefined }, data: { examples: undefined, ...data } }), { whatIf: false });
    const d = r.derived.find((x) => x.path === 'antiIndicators.insufficientData')!;
    expect(d.value).toBe(value);
    expect(d.because).toMatch(because);
  });

  it('partial (interactive drafts) accepts the omission', async () => {
    const rules = await defaultRules();
    expect(() => validateAnswers(invalid[0][1], rules, { partial: true })).not.toThrow();
  });
});

describe('lowVolume derived from usage.requestsPerDay (002: "Few hundred queries/month"; 30-day month)', () => {
  const usage = (requestsPerDay: number) => ({ requestsPerDay, promptTokens: 700, inputTokens: 200, tunedPromptTokens: 20 });
  it.each([
    [33, true], //  33 x 30 = 990 a month: a few hundred
    [34, false], // 34 x 30 = 1,020
    [10000, false], // the tutor's 300,000 a month
  ])('%i requests a day -> lowVolume %s', async (perDay, value) => {
    const r = await run(candidateAnswers({ antiIndicators: { lowVolume: undefined }, usage: usage(perDay) }), { whatIf: false });
    expect(r.derived.find((d) => d.path === 'antiIndicators.lowVolume')?.value).toBe(value);
    expect(r.framework.factors.find((f) => f.path === 'antiIndicators.lowVolume')).toMatchObject({ derived: true, present: value });
  });

  it('omitted without usage: an InputError pointing at usage.requestsPerDay', async () => {
    const rules = await defaultRules();
    expect(() => validateAnswers(candidateAnswers({ antiIndicators: { lowVolume: undefined } }), rules)).toThrow(InputError);
    try {
      validateAnswers(candidateAnswers({ antiIndicators: { lowVolume: undefined } }), rules);
    } catch (e) {
      const p = (e as InputError).problems.find((x) => x.path === 'antiIndicators.lowVolume');
      expect(p?.hint).toMatch(/usage\.requestsPerDay/);
    }
  });
});

describe('answers the framework cannot derive must be given', () => {
  it.each([['ceiling.fewShot'], ['indicators.brandVoice'], ['antiIndicators.explorationPhase']])('%s omitted -> InputError at that path', async (path) => {
    const [section, field] = path.split('.') as [string, string];
    const rules = await defaultRules();
    let error: unknown;
    try {
      validateAnswers(candidateAnswers({ [section]: { [field]: undefined } }), rules);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems.map((p) => p.path)).toContain(path);
  });
});

describe('the data checklist item "Minimum 500 high-quality examples" derived from data.examples (001)', () => {
  it.each([
    [499, false],
    [500, true],
  ])('%i examples -> %s', async (examples, value) => {
    const r = await run(candidateAnswers({ data: { examples }, antiIndicators: { insufficientData: undefined }, dataChecklist: { noPii: true } }), { whatIf: false });
    expect(r.derived.find((d) => d.path === 'dataChecklist.minimumExamples')?.value).toBe(value);
    const item = r.dataReadiness!.checklist!.find((c) => c.id === 'minimumExamples');
    expect(item).toMatchObject({ done: value, derived: true });
    // A checklist item is not a framework factor.
    expect(r.framework.factors.some((f) => f.path === 'dataChecklist.minimumExamples')).toBe(false);
  });
});
