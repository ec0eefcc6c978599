import { describe, expect, it } from 'vitest';
import { assessAnswers } from '../../src/engine/assess';
import { applyEvidence } from '../../src/evidence/apply';
import type { Measurements } from '../../src/evidence/types';
import { checkRuleSet } from '../../src/rules/check';
import type { RuleSet } from '../../src/rules/schema';
import { defaultRules, validated } from '../helpers/engine';
import { loadExample } from '../helpers/answers';

async function withMappings(evidence: RuleSet['evidence']): Promise<RuleSet> {
  return { ...(await defaultRules()), evidence };
}

const promptVariations = {
  id: 'evidence.prompt-variations',
  answer: 'ceiling.promptVariations',
  when: { fact: 'eval.distinctPrompts', gte: 5 },
  because: '{eval.distinctPrompts} distinct prompts; 5 or more counts as tried',
  source: 'framework: the ceiling test, question 1',
};
const file = (name: string, facts: Measurements['facts']): Measurements => ({ file: name, kind: 'test', facts });

describe('applyEvidence', () => {
  it.each([
    { prompts: 4, expected: false },
    { prompts: 5, expected: true },
    { prompts: 6, expected: true },
  ])('fills an unanswered yes/no answer at the threshold: $prompts prompts -> $expected', async ({ prompts, expected }) => {
    const rules = await withMappings([promptVariations]);
    const result = applyEvidence(rules, { ceiling: { fewShot: true } }, [file('results.json', { 'eval.distinctPrompts': prompts })]);
    expect(result.answers).toEqual({ ceiling: { fewShot: true, promptVariations: expected } });
    expect(result.filled).toEqual([
      expect.objectContaining({ path: 'ceiling.promptVariations', value: expected, file: 'results.json', because: `${prompts} distinct prompts; 5 or more counts as tried` }),
    ]);
    expect(result.contradictions).toEqual([]);
  });

  it.each([
    { answered: true, prompts: 2, contradicts: true },
    { answered: true, prompts: 7, contradicts: false },
    { answered: false, prompts: 7, contradicts: true },
  ])('never replaces an explicit answer ($answered, $prompts prompts): confirms or contradicts it', async ({ answered, prompts, contradicts }) => {
    const rules = await withMappings([promptVariations]);
    const answers = { ceiling: { promptVariations: answered } };
    const result = applyEvidence(rules, answers, [file('r.json', { 'eval.distinctPrompts': prompts })]);
    expect(result.answers).toEqual(answers);
    expect(result.contradictions.map((c) => [c.path, c.answered, c.value])).toEqual(contradicts ? [['ceiling.promptVariations', answered, prompts >= 5]] : []);
    expect(result.confirmed).toHaveLength(contradicts ? 0 : 1);
  });

  it('skips a mapping whose fact the file did not measure, and the first file to settle an answer wins', async () => {
    const rules = await withMappings([promptVariations]);
    const result = applyEvidence(rules, {}, [file('a.json', {}), file('b.json', { 'eval.distinctPrompts': 9 }), file('c.json', { 'eval.distinctPrompts': 1 })]);
    expect(result.filled.map((f) => [f.file, f.value])).toEqual([['b.json', true]]);
    expect(result.answers).toEqual({ ceiling: { promptVariations: true } });
  });

  it.each([
    { answered: 700, measured: 640, tolerance: 0.1, contradicts: false },
    { answered: 700, measured: 600, tolerance: 0.1, contradicts: true },
    { answered: 700, measured: 701, tolerance: undefined, contradicts: true },
  ])('compares numbers within the relative tolerance: $answered vs $measured (±$tolerance)', async ({ answered, measured, tolerance, contradicts }) => {
    const rules = await withMappings([{ id: 'e.tokens', answer: 'usage.promptTokens', value: 'eval.distinctPrompts', tolerance, because: 'measured', source: 'ft-advisor' }]);
    const result = applyEvidence(rules, { usage: { promptTokens: answered } }, [file('r.json', { 'eval.distinctPrompts': measured })]);
    expect(result.contradictions).toHaveLength(contradicts ? 1 : 0);
  });
});

describe('evidence in a report', () => {
  it('traces filled answers to their file and warns about contradictions, keeping the explicit answer', async () => {
    const rules = await withMappings([promptVariations, { ...promptVariations, id: 'evidence.models', answer: 'ceiling.multipleModels', when: { fact: 'eval.distinctPrompts', gte: 50 } }]);
    const answers = structuredClone(loadExample('task-api.yaml')) as Record<string, any>;
    delete answers.ceiling.promptVariations;
    const result = applyEvidence(rules, answers, [file('results.json', { 'eval.distinctPrompts': 6 })]);
    const report = assessAnswers(rules, await validated(result.answers, rules), { evidence: result, whatIf: false });
    expect(report.trace.filter((t) => t.kind === 'evidence').map((t) => t.rule)).toEqual(['evidence.ceiling.promptVariations']);
    expect(report.warnings.some((w) => w.startsWith('ceiling.multipleModels is answered true, but results.json says false'))).toBe(true);
    expect(report.evidence?.files).toEqual([{ file: 'results.json', kind: 'test' }]);
    expect(report.framework.ceilingPassed).toBe(true);
  });
});

describe('rules check of evidence mappings', () => {
  it.each([
    [{ ...promptVariations, answer: 'ceiling.promptVariaton' }, 'evidence[0].answer', 'promptVariations'],
    [{ ...promptVariations, when: { fact: 'eval.distinctPrompt', gte: 5 } }, 'evidence[0].when', 'eval.distinctPrompts'],
    [{ ...promptVariations, value: 'eval.distinctPrompts' }, 'evidence[0]', undefined],
    [{ id: 'x', answer: 'ceiling.fewShot', value: 'eval.distinctPrompts', because: 'b', source: 'ft-advisor' }, 'evidence[0].answer', undefined],
  ])('%# reports the problem at its dot path', async (mapping, path, hint) => {
    const problems = checkRuleSet(await withMappings([mapping]));
    const problem = problems.find((p) => p.path === path);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    if (hint) expect(problem!.hint).toContain(hint);
  });

  it('accepts a well-formed mapping', async () => {
    expect(checkRuleSet(await withMappings([promptVariations]))).toEqual([]);
  });
});
