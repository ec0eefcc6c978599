// `ft-advisor schema answers|rules`: draft-07 JSON Schema generated from the zod schemas.
// No JSON Schema validator is installed, so "validates" is checked with the zod schema
// the JSON Schema is generated from, and the JSON Schema's structure is asserted.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAnswersSchema } from '../../src/answers/schema';
import { answerProblems } from '../../src/answers/validate';
import { loadDefaultRules } from '../../src/rules/load';
import { getRuleSetSchema } from '../../src/rules/schema';
import { ensureBuilt, EXAMPLES, ROOT, runBuilt } from './helpers';

type Json = Record<string, any>;
let answers: Json;
let rules: Json;

beforeAll(async () => {
  await ensureBuilt();
  const [a, r] = await Promise.all([runBuilt(['schema', 'answers']), runBuilt(['schema', 'rules'])]);
  expect(a.code).toBe(0);
  expect(r.code).toBe(0);
  answers = JSON.parse(a.stdout);
  rules = JSON.parse(r.stdout);
});

const exampleFiles = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));

describe('schema answers', () => {
  it('is draft-07 with a title naming the rule set', () => {
    expect(answers.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(answers.title).toMatch(/^ft-advisor answers \(rule set default /);
    expect(answers.type).toBe('object');
  });

  it('requires the sections every answers file has, and refuses unknown keys everywhere', () => {
    expect(answers.required).toEqual(expect.arrayContaining(['version', 'useCase', 'needs', 'ceiling', 'indicators', 'antiIndicators']));
    expect(answers.required).not.toContain('data');
    expect(answers.additionalProperties).toBe(false);
    for (const section of ['useCase', 'ceiling', 'indicators', 'antiIndicators', 'knowledge', 'data', 'usage', 'roi', 'rubric']) {
      expect(answers.properties[section].additionalProperties, section).toBe(false);
    }
  });

  it('lists the choices and levels as enums, with prompts as descriptions', () => {
    expect(answers.properties.version.const).toBe(1);
    expect(answers.properties.needs.items.enum).toEqual(['format', 'style', 'behavior', 'knowledge', 'vocabulary', 'tools', 'safety', 'classification', 'cost', 'latency', 'general']);
    expect(answers.properties.needs.minItems).toBe(1);
    expect(answers.properties.ceiling.required).toEqual(['promptVariations', 'multipleModels', 'retrievalOptimized', 'fewShot', 'structuredPrompt']);
    // Derived anti-indicators may be left out.
    expect(answers.properties.antiIndicators.required).not.toContain('insufficientData');
    expect(answers.properties.indicators.properties.brandVoice).toMatchObject({ type: 'boolean', default: false });
    expect(answers.properties.indicators.properties.brandVoice.description).toMatch(/brand/);
    expect(answers.properties.data.properties.examples).toMatchObject({ type: 'integer', minimum: 0 });
    const score = JSON.stringify(answers.properties.rubric.properties.decision);
    for (const level of [1, 3, 5]) expect(score).toContain(`"const":${level}`);
  });

  it.each(exampleFiles)('the zod schema it is generated from accepts examples/%s', async (file) => {
    const data = parse(readFileSync(join(EXAMPLES, file), 'utf8'));
    const schema = buildAnswersSchema(await loadDefaultRules());
    expect(schema.safeParse(data).success).toBe(true);
    // And the JSON Schema names every top-level key the example uses.
    for (const key of Object.keys(data)) expect(Object.keys(answers.properties)).toContain(key);
  });

  it.each([
    ['an unknown key', (d: Json) => (d.indicators.brandVoise = true), 'indicators.brandVoise'],
    ['a choice that does not exist', (d: Json) => (d.needs = ['stlye']), 'needs[0]'],
    ['a string where a boolean goes', (d: Json) => (d.ceiling.fewShot = 'yes'), 'ceiling.fewShot'],
    ['a missing required section', (d: Json) => delete d.ceiling, 'ceiling'],
    ['a rubric level that is not 1, 3 or 5', (d: Json) => (d.rubric = { decision: 4, dataQuality: 3, evaluation: 3, method: 3, cost: 3, versioning: 3, monitoring: 3 }), 'rubric.decision'],
  ])('broken answers are rejected: %s', async (_name, mutate, path) => {
    const data = parse(readFileSync(join(EXAMPLES, 'task-api.yaml'), 'utf8'));
    mutate(data);
    const rules = await loadDefaultRules();
    expect(buildAnswersSchema(rules).safeParse(data).success).toBe(false);
    expect(answerProblems(data, rules).map((p) => p.path)).toContain(path);
  });

  it('follows --rules: a custom rule set adds its questions', async () => {
    const r = await runBuilt(['schema', 'answers', '--rules', 'examples/rules/platform.yaml']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.title).toMatch(/acme-platform 3/);
    expect(s.properties.antiIndicators.properties.noEvalHarness).toMatchObject({ type: 'boolean' });
    expect(s.properties.antiIndicators.required).not.toContain('noEvalHarness');
  });
});

describe('schema rules', () => {
  it('is draft-07 and handles the recursive condition through a named definition', () => {
    expect(rules.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(Object.keys(rules.definitions)).toEqual(['condition']);
    const text = JSON.stringify(rules);
    expect(text).not.toContain('__schema');
    const condition = rules.definitions.condition;
    expect(condition.anyOf).toHaveLength(4);
    const [leaf, all, any, not] = condition.anyOf;
    expect(leaf.required).toEqual(['fact']);
    expect(leaf.additionalProperties).toBe(false);
    expect(Object.keys(leaf.properties)).toEqual(['fact', 'is', 'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn', 'contains', 'containsAny', 'containsOnly', 'exists']);
    expect(all.properties.all.items.$ref).toBe('#/definitions/condition');
    expect(any.properties.any.items.$ref).toBe('#/definitions/condition');
    expect(not.properties.not.$ref).toBe('#/definitions/condition');
    // Every $ref resolves.
    for (const ref of text.match(/"\$ref":"[^"]+"/g) ?? []) expect(ref).toBe('"$ref":"#/definitions/condition"');
  });

  it('a complete rule set: required keys, enums and no unknown keys', () => {
    const full = rules.else;
    expect(full.required).toEqual(expect.arrayContaining(['schemaVersion', 'name', 'version', 'sources', 'sections', 'framework', 'decision', 'verdicts', 'method']));
    expect(full.additionalProperties).toBe(false);
    expect(full.properties.schemaVersion.const).toBe(1);
    const field = full.properties.sections.items.properties.fields.items;
    expect(field.properties.type.enum).toEqual(['boolean', 'text', 'integer', 'number', 'score', 'choice']);
    expect(field.additionalProperties).toBe(false);
    expect(full.properties.decision.properties.adjustments.items.properties.approach.enum).toEqual(['prompt', 'rag', 'fine-tune', 'hybrid']);
    expect(full.properties.framework.properties.confidence.properties.reconcile.enum).toEqual(['cautious', 'score', 'difference', 'table']);
  });

  it('a file that extends default: nothing required, remove: true allowed on items with an id', () => {
    expect(rules.if).toEqual({ type: 'object', required: ['extends'] });
    const partial = rules.then;
    expect(partial.required).toBeUndefined();
    expect(partial.properties.extends).toMatchObject({ const: 'default' });
    const node = partial.properties.decision.properties.tree.items;
    expect(node.required).toBeUndefined();
    expect(node.properties.remove).toEqual(expect.objectContaining({ type: 'boolean' }));
    expect(node.additionalProperties).toBe(false);
    expect(node.properties.when.$ref ?? node.properties.when.allOf?.[0]?.$ref).toBe('#/definitions/condition');
  });

  it.each([['rules/default.yaml']])('the zod schema accepts %s', (file) => {
    expect(getRuleSetSchema().safeParse(parse(readFileSync(join(ROOT, file), 'utf8'))).success).toBe(true);
  });

  it('is the same for every rule set: --rules is refused', async () => {
    const r = await runBuilt(['schema', 'rules', '--rules', 'examples/rules/strict.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--rules applies to `schema answers` only/);
  });
});

describe('schema usage errors', () => {
  it.each([
    [['schema', 'answer'], /unknown schema "answer": expected answers, rules, evidence or report\n {2}hint: did you mean answers\?/],
    [['schema', 'yaml'], /unknown schema "yaml": expected answers, rules, evidence or report/],
    [['schema'], /missing required argument 'which'/],
  ])('%j exits 2', async (args, message) => {
    const r = await runBuilt(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });
});
