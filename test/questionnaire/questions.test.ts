import { beforeAll, describe, expect, it } from 'vitest';
import { validateAnswers } from '../../src/answers/validate';
import { answersYaml, cleanAnswers, draftSkipped, draftYaml } from '../../src/questionnaire/answers-file';
import { allQuestions, formatAnswer, labelFromId, planQuestions, progressLabel, sectionOrder, type PlanItem } from '../../src/questionnaire/questions';
import { loadDefaultRules } from '../../src/rules/load';
import type { RuleSet } from '../../src/rules/schema';
import { parseStructured } from '../../src/util/safe-yaml';
import { TASK_API_ANSWERS } from './scripted-ask';

let rules: RuleSet;
beforeAll(async () => {
  rules = await loadDefaultRules();
});

const plan = (answers: Record<string, unknown>, skipped: string[] = []) => planQuestions(rules, { answers, skipped: new Set(skipped) });
const byPath = (items: PlanItem[], path: string) => items.find((i) => i.question.path === path);

describe('sectionOrder', () => {
  it('asks data before the anti-indicators it derives from, keeping the rest in rule-set order', () => {
    const ids = sectionOrder(rules).map((s) => s.id);
    expect(ids.indexOf('data')).toBeLessThan(ids.indexOf('antiIndicators'));
    const rest = ids.filter((id) => id !== 'data');
    expect(rest).toEqual(rules.sections.map((s) => s.id).filter((id) => id !== 'data'));
  });

  it('does not move optional sections forward (they are offered at their place)', () => {
    const ids = sectionOrder(rules).map((s) => s.id);
    // lowVolume derives from usage, which stays after the anti-indicators.
    expect(ids.indexOf('usage')).toBeGreaterThan(ids.indexOf('antiIndicators'));
  });

  it('survives a dependency cycle', () => {
    const custom = structuredClone(rules);
    const a = custom.sections.find((s) => s.id === 'indicators')!;
    const b = custom.sections.find((s) => s.id === 'ceiling')!;
    a.askWhen = { fact: 'ceiling.fewShot', is: true };
    b.askWhen = { fact: 'indicators.latency', exists: true };
    const ids = sectionOrder(custom).map((s) => s.id);
    expect([...ids].sort()).toEqual(custom.sections.map((s) => s.id).sort());
  });
});

describe('planQuestions', () => {
  it('lists every required question pending, the knowledge section only when knowledge is a need', () => {
    const items = plan({});
    expect(items[0]!.question.path).toBe('useCase.name');
    expect(items.every((i) => i.status === 'pending')).toBe(true);
    expect(items.some((i) => i.question.section.id === 'knowledge')).toBe(false);
    expect(
      plan({ needs: ['knowledge'] })
        .filter((i) => i.question.section.id === 'knowledge')
        .map((i) => i.question.path),
    ).toEqual(['knowledge.changesOften', 'knowledge.mustCite']);
  });

  it('offers optional sections with one question, and lists their fields only once opened', () => {
    const closed = plan({});
    expect(closed.filter((i) => i.question.section.id === 'roi').map((i) => [i.question.kind, i.question.path])).toEqual([['offer', 'roi']]);
    const opened = plan({ roi: {} });
    expect(opened.filter((i) => i.question.section.id === 'roi').map((i) => i.question.path)).toEqual([
      'roi',
      'roi.upfrontHours',
      'roi.hourlyRate',
      'roi.trainingCost',
      'roi.monthlyApiSavings',
      'roi.monthlyQualityValue',
      'roi.monthlyOngoingCosts',
    ]);
    expect(byPath(opened, 'roi')!.status).toBe('answered');
    expect(byPath(plan({}, ['roi']), 'roi')!.status).toBe('skipped');
  });

  it('marks derivable questions derived once what they need is answered, with the value and the reason', () => {
    const item = byPath(plan({ data: { examples: 300 } }), 'antiIndicators.insufficientData')!;
    expect(item.status).toBe('derived');
    expect(item.derivation).toMatchObject({ value: true, requires: ['data.examples', 'data.preferencePairs', 'data.documents'] });
    expect(item.derivation!.because).toContain('300');
    expect(byPath(plan({ data: { examples: 5000 } }), 'antiIndicators.insufficientData')!.derivation!.value).toBe(false);
    expect(byPath(plan({}), 'antiIndicators.insufficientData')!.status).toBe('pending');
    // An explicit answer wins over derivation.
    expect(byPath(plan({ data: { examples: 300 }, antiIndicators: { insufficientData: false } }), 'antiIndicators.insufficientData')!.status).toBe('answered');
  });

  it('numbers questions within their section and overall, leaving derived ones out', () => {
    const items = plan({ data: { examples: 300 } });
    const brand = byPath(items, 'indicators.brandVoice')!.question;
    expect(progressLabel(brand)).toBe(`Indicators · 3 of 6 · question ${brand.overall.index} of ${brand.overall.total}`);
    const antis = items.filter((i) => i.question.section.id === 'antiIndicators' && i.status !== 'derived').map((i) => `${i.question.index}/${i.question.total}`);
    expect(antis).toEqual(['1/4', '2/4', '3/4', '4/4']);
    const counted = items.filter((i) => i.status !== 'derived');
    expect(counted.map((i) => i.question.overall.index)).toEqual(counted.map((_, n) => n + 1));
    expect(new Set(counted.map((i) => i.question.overall.total))).toEqual(new Set([counted.length]));
    expect(progressLabel(byPath(items, 'training')!.question)).toMatch(/^Training constraints · optional · question \d+ of \d+$/);
  });

  it('turns every kind of field into a question', () => {
    const kinds = new Map(allQuestions(rules).map((q) => [q.path, q.kind]));
    expect(kinds.get('useCase.name')).toBe('text');
    expect(kinds.get('needs')).toBe('multiselect');
    expect(kinds.get('ceiling.fewShot')).toBe('boolean');
    expect(kinds.get('data.examples')).toBe('integer');
    expect(kinds.get('usage.requestsPerDay')).toBe('number');
    expect(kinds.get('rubric.decision')).toBe('select');
    expect(kinds.get('rubric')).toBe('offer');
    const q = allQuestions(rules).find((x) => x.path === 'data.examples')!;
    expect(q).toMatchObject({ min: 0, max: 1_000_000_000, required: false });
    expect(
      allQuestions(rules)
        .find((x) => x.path === 'rubric.decision')!
        .choices!.map((c) => c.value),
    ).toEqual([5, 3, 1]);
  });

  it('names unlabelled fields from their id and formats answers for people', () => {
    expect(labelFromId('name')).toBe('Name');
    expect(labelFromId('monthlyApiSavings')).toBe('Monthly api savings');
    expect(formatAnswer({ kind: 'boolean' }, true)).toBe('yes');
    expect(formatAnswer({ kind: 'integer' }, 10000)).toBe('10,000');
    expect(formatAnswer({ kind: 'multiselect', choices: [{ value: 'format', label: 'Output structure' }] }, ['format'])).toBe('Output structure');
    expect(formatAnswer({ kind: 'text' }, 'a\x1b[2Jb')).toBe('ab');
  });
});

describe('answers files', () => {
  it('cleans answers into rule-set order with version first and no empty sections', () => {
    const messy = { data: {}, needs: ['format'], useCase: { description: 'd', name: 'n' }, version: 1 as const, roi: {} };
    const clean = cleanAnswers(rules, messy);
    expect(Object.keys(clean)).toEqual(['version', 'useCase', 'needs', 'roi']);
    expect(Object.keys(clean.useCase as object)).toEqual(['name', 'description']);
  });

  it('writes a complete answers file that validates and says how to replay it', async () => {
    const text = await answersYaml(rules, TASK_API_ANSWERS, 'ft-advisor assess --answers a.yaml');
    expect(text).toMatch(/^# .*\n# Replay: ft-advisor assess --answers a\.yaml\n/);
    expect(text).toContain('needs: [behavior, style, knowledge, tools, safety]');
    expect(validateAnswers(await parseStructured(text, { file: 'a.yaml' }), rules)).toEqual(TASK_API_ANSWERS);
  });

  it('keeps the skipped questions of a draft in a comment', async () => {
    const text = await draftYaml(rules, { answers: { version: 1, useCase: { name: 'x' } }, skipped: ['useCase.description', 'roi'] }, 'ft-advisor assess --resume');
    expect(draftSkipped(text)).toEqual(['useCase.description', 'roi']);
    expect(await parseStructured(text, { file: 'd.yaml' })).toEqual({ version: 1, useCase: { name: 'x' } });
    expect(draftSkipped('version: 1\n')).toEqual([]);
  });
});
