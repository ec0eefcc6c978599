// Loading rule sets of one's own: `extends: default` merging, and every class of
// problem `rules validate` reports, structural (zod) and of meaning (check.ts), with
// its dot path.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkRuleSetData, idPath, mergeRules, resolveRuleSet, ruleSetProblems, type MergeContext } from '../../src/rules/load';
import type { Problem } from '../../src/util/errors';

const ROOT = join(import.meta.dirname, '../..');
const base: Record<string, any> = parse(readFileSync(join(ROOT, 'rules/default.yaml'), 'utf8'));

const fresh = (): Record<string, any> => structuredClone(base);

describe('mergeRules', () => {
  const cases: { name: string; base: unknown; override: unknown; expected: unknown }[] = [
    { name: 'mappings merge key by key', base: { a: 1, b: { c: 2, d: 3 } }, override: { b: { d: 4 } }, expected: { a: 1, b: { c: 2, d: 4 } } },
    { name: 'a new key is added', base: { a: 1 }, override: { z: 2 }, expected: { a: 1, z: 2 } },
    {
      name: 'id lists merge item by item',
      base: {
        l: [
          { id: 'x', v: 1, w: 1 },
          { id: 'y', v: 2 },
        ],
      },
      override: { l: [{ id: 'x', v: 9 }] },
      expected: {
        l: [
          { id: 'x', v: 9, w: 1 },
          { id: 'y', v: 2 },
        ],
      },
    },
    { name: 'a new id is appended', base: { l: [{ id: 'x' }] }, override: { l: [{ id: 'n', v: 1 }] }, expected: { l: [{ id: 'x' }, { id: 'n', v: 1 }] } },
    { name: 'remove: true drops an item', base: { l: [{ id: 'x' }, { id: 'y' }] }, override: { l: [{ id: 'x', remove: true }] }, expected: { l: [{ id: 'y' }] } },
    { name: 'remove: false is dropped from the item', base: { l: [{ id: 'x', v: 1 }] }, override: { l: [{ id: 'x', remove: false, v: 2 }] }, expected: { l: [{ id: 'x', v: 2 }] } },
    { name: 'lists without ids replace', base: { p: ['a', 'b'] }, override: { p: ['c'] }, expected: { p: ['c'] } },
    { name: 'an empty list replaces (clears) an id list', base: { l: [{ id: 'x' }] }, override: { l: [] }, expected: { l: [] } },
    { name: 'conditions are replaced whole', base: { when: { fact: 'f', gt: 3 } }, override: { when: { fact: 'f', gte: 5 } }, expected: { when: { fact: 'f', gte: 5 } } },
    { name: 'askWhen is replaced whole', base: { askWhen: { all: [{ fact: 'a', is: true }] } }, override: { askWhen: { fact: 'b', is: true } }, expected: { askWhen: { fact: 'b', is: true } } },
    { name: 'scalars replace', base: { v: 1 }, override: { v: 'x' }, expected: { v: 'x' } },
  ];
  it.each(cases)('$name', ({ base: b, override, expected }) => {
    expect(mergeRules(b, override)).toEqual(expected);
  });

  it('does not modify its inputs', () => {
    const b = { l: [{ id: 'x', v: 1 }], m: { a: 1 } };
    const before = structuredClone(b);
    mergeRules(b, { l: [{ id: 'x', v: 2 }], m: { a: 2 } });
    expect(b).toEqual(before);
  });

  const problemCases: { name: string; override: unknown; path: string; message: RegExp }[] = [
    { name: 'remove of an unknown id', override: { l: [{ id: 'nope', remove: true }] }, path: 'l[0].id', message: /remove: true, but the default rule set has no item "nope"/ },
    { name: 'an item without an id among items with ids', override: { l: [{ id: 'x' }, { v: 1 }] }, path: 'l[1]', message: /every item of this list needs an id/ },
    { name: 'remove that is not true/false', override: { l: [{ id: 'x', remove: 'yes' }] }, path: 'l[0].remove', message: /expected true or false/ },
  ];
  it.each(problemCases)('reports $name', ({ override, path, message }) => {
    const ctx: MergeContext = { file: 'f.yaml', problems: [], path: [] };
    mergeRules({ l: [{ id: 'x' }, { id: 'y' }] }, override, ctx);
    expect(ctx.problems).toHaveLength(1);
    expect(ctx.problems[0]).toMatchObject({ file: 'f.yaml', path });
    expect(ctx.problems[0]!.message).toMatch(message);
  });
});

describe('idPath', () => {
  it.each([
    ['decision.tree[1].when', 'decision.tree[tree.indicators].when'],
    ['sections[6].fields[1].weight', 'sections[antiIndicators].fields[lowVolume].weight'],
    ['framework.score.bands[0].when', 'framework.score.bands[0].when'],
    ['method.priority[2]', 'method.priority[2]'],
    ['name', 'name'],
  ])('%s -> %s', (path, expected) => {
    expect(idPath(path, base)).toBe(expected);
  });
});

describe('extends: default', () => {
  it('the strict example raises the indicator threshold and keeps the rest', async () => {
    const data = parse(readFileSync(join(ROOT, 'examples/rules/strict.yaml'), 'utf8'));
    const rules = await resolveRuleSet(data, 'strict.yaml');
    const node = rules.decision.tree.find((n) => n.id === 'tree.indicators')!;
    expect(rules.name).toBe('strict');
    expect(node.when).toEqual({ fact: 'framework.indicators', gt: 4 });
    expect(node.no.outcome).toBe('consider-rag-or-model-switch');
    expect(node.no.because).toMatch(/more than 4/);
    expect(rules.decision.tree.map((n) => n.id)).toEqual(['tree.ceiling', 'tree.indicators', 'tree.anti-indicators']);
    expect(rules.sources.map((s) => s.id)).toContain('platform');
    expect(rules.sections).toHaveLength(base.sections.length);
  });

  it('the platform example appends an anti-indicator with its weight, two adjustments, and removes a next step', async () => {
    const data = parse(readFileSync(join(ROOT, 'examples/rules/platform.yaml'), 'utf8'));
    const rules = await resolveRuleSet(data, 'platform.yaml');
    const anti = rules.sections.find((s) => s.id === 'antiIndicators')!;
    expect(anti.fields!.map((f) => f.id)).toEqual(['rapidlyChangingRequirements', 'lowVolume', 'explorationPhase', 'insufficientData', 'promptsWorking', 'noEvalHarness']);
    expect(anti.fields!.at(-1)!.weight).toBe('high');
    expect(rules.decision.adjustments.slice(-2).map((a) => a.id)).toEqual(['acme.no-eval-harness', 'acme.no-eval-harness-knowledge']);
    expect(rules.nextSteps.map((n) => n.id)).not.toContain('next.dspy');
    expect(rules.nextSteps.map((n) => n.id)).toContain('acme.build-harness');
  });

  const cases: { name: string; file: Record<string, unknown>; path: string; message: RegExp }[] = [
    { name: 'extends something else', file: { extends: 'strict', name: 'x', version: 1 }, path: 'extends', message: /can only extend "default"/ },
    { name: 'no name', file: { extends: 'default', version: 1 }, path: 'name', message: /needs its own name/ },
    { name: 'no version', file: { extends: 'default', name: 'x' }, path: 'version', message: /needs its own version/ },
    {
      name: 'an unknown fact, named by id',
      file: { extends: 'default', name: 'x', version: 1, decision: { tree: [{ id: 'tree.indicators', when: { fact: 'framework.indicator', gt: 4 } }] } },
      path: 'decision.tree[tree.indicators].when',
      message: /unknown fact "framework.indicator"/,
    },
    {
      name: 'an unknown weight on a new question',
      file: { extends: 'default', name: 'x', version: 1, sections: [{ id: 'antiIndicators', fields: [{ id: 'extra', type: 'boolean', weight: 'heavy', prompt: 'p?', source: 'ft-advisor' }] }] },
      path: 'sections[antiIndicators].fields[extra].weight',
      message: /unknown weight "heavy"; expected one of: high, medium/,
    },
    {
      name: 'a misspelt id that makes an incomplete new item',
      file: { extends: 'default', name: 'x', version: 1, decision: { tree: [{ id: 'tree.indicator', when: { fact: 'framework.indicators', gt: 4 } }] } },
      path: 'decision.tree[tree.indicator].id',
      message: /the default rule set has no item "tree.indicator" here, so this is a new item/,
    },
  ];
  it.each(cases)('reports $name', async ({ file, path, message }) => {
    const { problems, rules } = await checkRuleSetData(file, 'mine.yaml');
    expect(rules).toBeUndefined();
    const found = problems.find((p) => p.path === path);
    expect(found, JSON.stringify(problems, null, 1)).toBeDefined();
    expect(found!.message).toMatch(message);
    expect(found!.file).toBe('mine.yaml');
  });

  it('a complete new item close to an existing id is fine', async () => {
    const next = { id: 'next.pilots', text: 'Run two pilots.', source: 'ft-advisor' };
    const { problems, rules } = await checkRuleSetData({ extends: 'default', name: 'x', version: 1, nextSteps: [next] }, 'mine.yaml');
    expect(problems).toEqual([]);
    expect(rules!.nextSteps.at(-1)).toEqual(next);
  });
});

describe('rule set problems, one class at a time', () => {
  type Case = { name: string; mutate: (d: Record<string, any>) => void; path: string; message: RegExp; hint?: RegExp };
  const cases: Case[] = [
    // structure (zod)
    { name: 'unknown top-level key', mutate: (d) => (d.framwork = {}), path: 'framwork', message: /unknown key; expected one of: .*framework/, hint: /did you mean framework\?/ },
    { name: 'unknown key in a question', mutate: (d) => (d.sections[3].fields[0].promt = 'x'), path: 'sections[3].fields[0].promt', message: /unknown key/, hint: /did you mean prompt\?/ },
    {
      name: 'misspelt operator',
      mutate: (d) => (d.decision.tree[1].when = { fact: 'framework.indicators', gtt: 3 }),
      path: 'decision.tree[1].when.gtt',
      message: /unknown key/,
      hint: /did you mean gt\?/,
    },
    {
      name: 'quoted number in a nested condition',
      mutate: (d) => (d.decision.adjustments[1].when.all[1].lt = '100'),
      path: 'decision.adjustments[1].when.all[1].lt',
      message: /expected a number, got the text "100"/,
      hint: /without quotes/,
    },
    {
      name: 'condition without fact/all/any/not',
      mutate: (d) => (d.warnings[0].when = { fakt: 'x', is: true }),
      path: 'warnings[0].when',
      message: /no fact, all, any or not/,
      hint: /did you mean fact\?/,
    },
    { name: 'wrong type', mutate: (d) => (d.economics.daysPerMonth = 'thirty'), path: 'economics.daysPerMonth', message: /expected a number, got the text "thirty"/ },
    { name: 'missing required key', mutate: (d) => delete d.sections[3].title, path: 'sections[3].title', message: /missing; expected text/ },
    {
      name: 'value not in an enum',
      mutate: (d) => (d.sections[3].fields[0].type = 'bool'),
      path: 'sections[3].fields[0].type',
      message: /expected one of: boolean, text, integer, number, score, choice; got the text "bool"/,
    },
    { name: 'bad id', mutate: (d) => (d.sections[1].choices[0].id = 'my format'), path: 'sections[1].choices[0].id', message: /expected an id/ },
    // Ids never hold a character JSON escapes: src/report/record.ts writes them into
    // JSON Lines records without checking (a quote, a backslash, a control character).
    { name: 'id with a quote', mutate: (d) => (d.sections[5].fields[0].id = 'brand"Voice'), path: 'sections[5].fields[0].id', message: /expected an id/ },
    { name: 'band with a backslash', mutate: (d) => (d.framework.score.bands[0].band = 'str\\ong'), path: 'framework.score.bands[0].band', message: /expected an id/ },
    { name: 'tree node id with a line break', mutate: (d) => (d.decision.tree[0].id = 'tree.\nceiling'), path: 'decision.tree[0].id', message: /expected an id/ },
    { name: 'objective id with a control character', mutate: (d) => (d.method.objectives[0].id = 'sft\u0001'), path: 'method.objectives[0].id', message: /expected an id/ },
    { name: 'range that is not [min, max]', mutate: (d) => (d.method.objectives[0].typical.examples = [1]), path: 'method.objectives[0].typical.examples', message: /expected a range \[min, max\]/ },
    // meaning (check.ts)
    {
      name: 'unknown fact',
      mutate: (d) => (d.decision.tree[1].when = { fact: 'framework.indicator', gt: 3 }),
      path: 'decision.tree[1].when',
      message: /unknown fact "framework.indicator"/,
      hint: /did you mean framework.indicators\?/,
    },
    {
      name: 'unknown answer path in a derivation',
      mutate: (d) => (d.sections[6].fields[3].derive.requires = ['data.exampels']),
      path: 'sections[6].fields[3].derive.requires[0]',
      message: /unknown answer path "data.exampels"/,
      hint: /did you mean data.examples\?/,
    },
    {
      name: 'unknown placeholder in a text',
      mutate: (d) => (d.nextSteps[2].text = 'Use your {data.exmples} examples'),
      path: 'nextSteps[2].text',
      message: /\{data.exmples\}, which is not a known fact/,
    },
    {
      name: 'dangling source',
      mutate: (d) => (d.risks[0].source = 'nowhere: page 1'),
      path: 'risks[0].source',
      message: /unknown source "nowhere"/,
      hint: /declare it under sources: \(- id: nowhere, title: \.\.\.\)/,
    },
    { name: 'misspelt source', mutate: (d) => (d.risks[0].source = 'framwork: step 1'), path: 'risks[0].source', message: /unknown source "framwork"/, hint: /did you mean framework\?/ },
    { name: 'dangling objective', mutate: (d) => (d.sections[1].choices[0].objective = 'instruct'), path: 'sections[1].choices[0].objective', message: /unknown objective "instruct"/ },
    { name: 'dangling fallback', mutate: (d) => (d.method.objectives[4].fallback = 'sfft'), path: 'method.objectives[4].fallback', message: /unknown objective "sfft"/ },
    {
      name: 'unknown choice in a condition',
      mutate: (d) => (d.nextSteps[0].when = { fact: 'needs', containsAny: ['formatt'] }),
      path: 'nextSteps[0].when',
      message: /"formatt" is not a choice of needs/,
    },
    { name: 'unknown approach', mutate: (d) => (d.risks[0].when = { fact: 'approach', in: ['finetune'] }), path: 'risks[0].when', message: /"finetune" is not an approach/ },
    {
      name: 'duplicate id',
      mutate: (d) => d.warnings.push({ ...d.warnings[0] }),
      path: `warnings[${base.warnings.length}].id`,
      message: /duplicate id "warn.prompts-working-but-ceiling" \(also at warnings\[0\]\)/,
    },
    { name: 'duplicate question', mutate: (d) => d.sections[5].fields.push({ ...d.sections[5].fields[0] }), path: 'sections[5].fields[6].id', message: /duplicate id "consistentBehavior"/ },
    {
      name: 'tree threshold out of range',
      mutate: (d) => (d.decision.tree[1].when = { fact: 'framework.indicators', gt: 9 }),
      path: 'decision.tree[1].when',
      message: /threshold 9 is out of range: indicators has 6 questions/,
    },
    {
      name: 'band threshold out of range',
      mutate: (d) => (d.framework.score.bands[0].when = { gt: 5 }),
      path: 'framework.score.bands[0].when.gt',
      message: /threshold 5 is out of range; expected -1 to 1/,
    },
    {
      name: 'answer threshold out of range',
      mutate: (d) => (d.nextSteps[2].when = { fact: 'data.examples', lt: -5 }),
      path: 'nextSteps[2].when',
      message: /threshold -5 is out of range: data.examples is between 0 and/,
    },
    {
      name: 'operator that can never hold',
      mutate: (d) => (d.warnings[0].when = { fact: 'indicators.brandVoice', is: 'yes' }),
      path: 'warnings[0].when',
      message: /is true or false, so is: "yes" .* can never hold/,
      hint: /without quotes/,
    },
    { name: 'comparison on a list', mutate: (d) => (d.warnings[0].when = { fact: 'needs', gt: 2 }), path: 'warnings[0].when', message: /"needs" is a list, so gt can never hold/ },
    {
      name: 'catch-all band not last',
      mutate: (d) => d.framework.difference.bands.splice(0, 0, { band: 'strong' }),
      path: 'framework.difference.bands[0]',
      message: /only the last band may omit `when`/,
    },
    { name: 'unknown weight', mutate: (d) => (d.sections[5].fields[0].weight = 'hihg'), path: 'sections[5].fields[0].weight', message: /unknown weight "hihg"/, hint: /did you mean high\?/ },
    { name: 'default of the wrong type', mutate: (d) => (d.sections[5].fields[0].default = 'no'), path: 'sections[5].fields[0].default', message: /does not fit type boolean/ },
    { name: 'non-boolean factor', mutate: (d) => (d.sections[5].fields[0].type = 'number'), path: 'sections[5].fields[0].type', message: /expected type: boolean/ },
    { name: 'rubric maximum that does not add up', mutate: (d) => (d.rubric.max = 30), path: 'rubric.max', message: /add up to 35/ },
    {
      name: 'cap to an unknown band',
      mutate: (d) => (d.framework.caps = [{ id: 'cap.x', when: { fact: 'data.examples', lt: 500 }, confidence: 'moderat', because: 'x', source: 'ft-advisor' }]),
      path: 'framework.caps[0].confidence',
      message: /unknown band "moderat"; expected one of: strong, moderate-strong, moderate, weak/,
      hint: /did you mean moderate\?/,
    },
    { name: 'reserved section id', mutate: (d) => (d.sections[9].id = 'framework'), path: 'sections[9].id', message: /reserved/ },
  ];

  it.each(cases)('$name -> $path', ({ mutate, path, message, hint }) => {
    const data = fresh();
    mutate(data);
    const { problems, rules } = ruleSetProblems(data, 'rules.yaml');
    expect(rules).toBeUndefined();
    const found = problems.find((p) => p.path === path && message.test(p.message));
    expect(found, `expected ${path} ~ ${message}; got\n${problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`).toBeDefined();
    if (hint) expect(found!.hint).toMatch(hint);
  });

  it('the default rule set has no problems', () => {
    expect(ruleSetProblems(fresh(), 'rules/default.yaml').problems).toEqual([]);
  });

  it('lists structural and semantic problems together, once each', () => {
    const data = fresh();
    data.framwork = {}; // structure
    data.decision.tree[1].when = { fact: 'framework.indicators', gtt: 3 }; // structure
    data.risks[0].source = 'nowhere'; // meaning
    data.nextSteps[0].when = { fact: 'needs', containsAny: ['formatt'] }; // meaning
    const { problems } = ruleSetProblems(data, 'rules.yaml');
    const paths = problems.map((p: Problem) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['framwork', 'decision.tree[1].when.gtt', 'risks[0].source', 'nextSteps[0].when']));
    // The condition with the misspelt operator is not also reported as "has no operator".
    expect(problems.filter((p) => p.path === 'decision.tree[1].when')).toEqual([]);
    expect(new Set(problems.map((p) => `${p.path}|${p.message}`)).size).toBe(problems.length);
  });

  it('a renamed id is kept for the meaning checks, so references to the old id are reported', () => {
    const data = fresh();
    data.sections[1].choices[0].id = 'my format';
    const { problems } = ruleSetProblems(data, 'rules.yaml');
    expect(problems.some((p) => p.path === 'sections[1].choices[0].id')).toBe(true);
    // next.structured-output reads needs containsAny [format, tools]: format is gone.
    const at = fresh().nextSteps.findIndex((n: { id: string }) => n.id === 'next.structured-output');
    expect(problems.some((p) => p.path === `nextSteps[${at}].when` && /"format" is not a choice of needs/.test(p.message))).toBe(true);
  });

  it('gives up on meaning checks quietly when the structure is beyond repair', () => {
    const { problems } = ruleSetProblems({ schemaVersion: 1, name: 'x', version: 1, sections: [] }, 'tiny.yaml');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.file === 'tiny.yaml')).toBe(true);
  });
});
