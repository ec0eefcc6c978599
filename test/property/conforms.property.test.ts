// The fast validity check must agree with the zod schema on every input, valid or not:
// it decides which answers skip zod, so any disagreement would let bad input through
// or reject good input.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { answersAreValid, conformsToSchema } from '../../src/answers/conforms';
import { answerProblems } from '../../src/answers/validate';
import { buildAnswersSchema } from '../../src/answers/schema';
import { loadDefaultRules } from '../../src/rules/load';
import type { RuleSet } from '../../src/rules/schema';
import { ROOT } from '../support/run-cli';

let rules: RuleSet;
beforeAll(async () => {
  rules = await loadDefaultRules();
});

const examples = ['task-api', 'socratic-tutor', 'support-bot'].map((n) => YAML.parse(readFileSync(join(ROOT, `examples/${n}.yaml`), 'utf8')));
const full = {
  ...examples[0],
  training: { criticalUseCase: true, limitedGpuMemory: false, quickExperiment: false },
  usage: { requestsPerDay: 10000, promptTokens: 700, inputTokens: 200, tunedPromptTokens: 20, pricePerMillionTokens: 0.5 },
  rubric: { decision: 5, dataQuality: 3, evaluation: 3, method: 5, cost: 3, versioning: 1, monitoring: 1 },
  dataChecklist: { productionDistribution: true },
};

function paths(v: unknown, p: string[] = [], out: string[][] = []): string[][] {
  out.push(p);
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...p, k], out);
  return out;
}

const weird = fc.oneof(
  fc.constantFrom(null, true, false, 0, 1, 3, 5, -1, 0.5, 1e308, 2 ** 53, '', 'x', 'style', 'general', [], {}, ['style'], ['nope'], [1], { a: 1 }, 'n'.repeat(201)),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
);

const mutations = fc.array(fc.record({ op: fc.constantFrom('set', 'delete', 'add'), at: fc.nat(), value: weird, key: fc.constantFrom('extra', 'brandVoise', 'name', 'examples') }), { maxLength: 3 });
type Mutation = { op: 'set' | 'delete' | 'add'; at: number; value: unknown; key: string };

function mutate(base: unknown, list: Mutation[]): unknown {
  const doc = structuredClone(base);
  for (const m of list) {
    const all = paths(doc).filter((p) => p.length > 0);
    const path = all[m.at % all.length]!;
    let parent: any = doc;
    for (const k of path.slice(0, -1)) parent = parent?.[k];
    if (!parent || typeof parent !== 'object') continue;
    const key = path[path.length - 1]!;
    if (m.op === 'delete') delete parent[key];
    else if (m.op === 'set') parent[key] = m.value;
    else if (!Array.isArray(parent)) parent[m.key] = m.value;
  }
  return doc;
}

describe('conformsToSchema agrees with the zod answers schema', () => {
  it.each([false, true])('on mutated documents (partial: %s)', (partial) => {
    const schema = buildAnswersSchema(rules, { partial });
    fc.assert(
      fc.property(fc.constantFrom(...examples, full), mutations, (base, list) => {
        const doc = mutate(base, list);
        expect(conformsToSchema(doc, rules, { partial })).toBe(schema.safeParse(doc).success);
      }),
      { numRuns: 1500 },
    );
  });

  it('accepts every shipped example', () => {
    for (const e of [...examples, full]) expect(conformsToSchema(e, rules)).toBe(true);
  });
});

// The CLI's fast path takes answers that answersAreValid() accepts and leaves the rest to
// validateAnswers() for its messages: the two must never disagree.
describe('answersAreValid agrees with answerProblems', () => {
  it('on mutated documents', () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples, full), mutations, (base, list) => {
        const doc = mutate(base, list);
        expect(answersAreValid(doc, rules)).toBe(answerProblems(doc, rules).length === 0);
      }),
      { numRuns: 1500 },
    );
  });

  it.each(['insufficientData', 'lowVolume'])('an omitted derivable answer is valid exactly when its inputs are there (%s)', (field) => {
    const withInputs = structuredClone<any>(full);
    delete withInputs.antiIndicators[field];
    expect(answersAreValid(withInputs, rules)).toBe(answerProblems(withInputs, rules).length === 0);
    const withoutInputs = structuredClone(withInputs);
    delete withoutInputs.data;
    delete withoutInputs.usage;
    expect(answersAreValid(withoutInputs, rules)).toBe(false);
    expect(answerProblems(withoutInputs, rules).map((p) => p.path)).toContain(`antiIndicators.${field}`);
  });
});
