// When the record writer may skip the escape check on a record's texts: only when no
// string that could reach a text, in the rule set or the answers, needs escaping.
import { beforeAll, describe, expect, it } from 'vitest';
import { textsNeedNoEscaping } from '../../src/report/record';
import { loadDefaultRules } from '../../src/rules/load';
import type { RuleSet } from '../../src/rules/schema';

let rules: RuleSet;
beforeAll(async () => {
  rules = await loadDefaultRules();
});

const answers = (name: unknown, extra: Record<string, unknown> = {}) => ({ version: 1, useCase: { name }, needs: ['style'], ...extra });

describe('textsNeedNoEscaping', () => {
  it.each([
    ['plain text', 'Support bot', true],
    ['non-ASCII letters and symbols', 'Café ☕ €5 – “ok”', true],
    ['a quote', 'the "best" bot', false],
    ['a backslash', 'C:\\bots', false],
    ['a line break', 'two\nlines', false],
    ['a tab', 'tab\there', false],
    ['another control character', 'bell\u0007', false],
    ['an emoji (a surrogate pair)', 'bot 🤖', false],
    ['a lone surrogate', 'half \ud800', false],
  ])('answers with %s: %s', (_what, name, expected) => {
    expect(textsNeedNoEscaping(rules, answers(name))).toBe(expected);
  });

  it.each([
    ['a description', { useCase: { name: 'ok', description: 'say "hi"' } }],
    ['a list', { notes: ['fine', 'not\nfine'] }],
  ])('looks at every string of the answers: %s', (_what, extra) => {
    expect(textsNeedNoEscaping(rules, { ...answers('ok'), ...extra })).toBe(false);
  });

  it('the default rule set needs no escaping anywhere, so its records skip the check', () => {
    expect(textsNeedNoEscaping(rules, answers('ok'))).toBe(true);
  });

  it.each([
    ['a verdict title with quotes', (r: RuleSet) => ((r.verdicts as Record<string, { title: string }>).rag!.title = 'Retrieval ("RAG")')],
    ['a next step with a line break', (r: RuleSet) => (r.nextSteps[0]!.text = 'first\nsecond')],
    ['a question hint with a backslash', (r: RuleSet) => (r.sections[0]!.fields![0]!.hint = 'a \\ b')],
  ])('a rule set with %s: every record checks its texts', (_what, edit) => {
    const copy = structuredClone(rules);
    edit(copy);
    expect(textsNeedNoEscaping(copy, answers('ok'))).toBe(false);
  });

  it('reads a rule set whose parts are shared, or refer back, once each', () => {
    const shared = { text: 'fine' };
    const cyclic: Record<string, unknown> = { a: shared, b: shared };
    cyclic.self = cyclic;
    expect(textsNeedNoEscaping(cyclic, answers('ok'))).toBe(true);
  });
});
