// What-if takes shortcuts: it skips answers the approach cannot depend on, skips changes
// the decision cannot tell apart, and remembers approaches per rule set (approachInputs in
// decide.ts). Each shortcut must leave the result exactly as deciding every candidate in
// full would: checked here for random answers under the default rule set, the example
// rule sets, and variants whose conditions read the facts the shortcuts treat specially
// (the confidence and its caps, the economics, lists of labels, the weighted score,
// derived answers and factors read directly).
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { Answers } from '../../src/answers/schema';
import { isRequiredField } from '../../src/answers/conforms';
import { validateAnswers } from '../../src/answers/validate';
import { assessAnswers, rankWhatIf } from '../../src/engine/assess';
import { factsOf } from '../../src/engine/conditions';
import { approachInputs, decideFromFacts } from '../../src/engine/decide';
import { baseFacts } from '../../src/engine/facts';
import { rememberedWhatIf, whatIf } from '../../src/engine/what-if';
import { loadRulesFile, parseRuleSet } from '../../src/rules/load';
import { canDerive } from '../../src/rules/derive';
import type { RuleSet } from '../../src/rules/schema';
import { ROOT } from '../support/run-cli';

type Data = Record<string, any>;

const adjustment = (id: string, when: unknown, approach: string) => ({ id, when, approach, because: `Test rule ${id}.`, source: 'ft-advisor' });

/** Variants of the default rule set, each reading facts one of the shortcuts handles specially. */
const VARIANTS: Record<string, (d: Data) => void> = {
  // The confidence depends on the caps, and a cap on the economics: what-if re-runs everything.
  'confidence and economics': (d) => {
    d.decision.adjustments.push(
      adjustment(
        'test.weak',
        {
          all: [
            { fact: 'approach', in: ['fine-tune', 'hybrid'] },
            { fact: 'framework.confidence', eq: 'weak' },
          ],
        },
        'prompt',
      ),
    );
  },
  // The confidence depends on a cap that reads an answer: the caps become inputs.
  'confidence without economics': (d) => {
    d.framework.caps = d.framework.caps.filter((c: Data) => !JSON.stringify(c.when).includes('economics.'));
    d.decision.adjustments.push(
      adjustment(
        'test.not-strong',
        {
          all: [
            { fact: 'approach', eq: 'fine-tune' },
            { fact: 'framework.confidence', ne: 'strong' },
          ],
        },
        'hybrid',
      ),
    );
  },
  // The method is chosen after the decision: a rule reading it sends what-if the slow way.
  'method read in the decision': (d) => {
    d.decision.adjustments.push(
      adjustment(
        'test.method',
        {
          all: [
            { fact: 'approach', eq: 'fine-tune' },
            { fact: 'method.technique', eq: 'full' },
          ],
        },
        'hybrid',
      ),
    );
  },
  'economics read directly': (d) => {
    d.decision.adjustments.push(
      adjustment(
        'test.break-even',
        {
          all: [
            { fact: 'approach', eq: 'fine-tune' },
            { fact: 'economics.breakEvenVerdict', eq: 'not-justified' },
          ],
        },
        'prompt',
      ),
    );
  },
  // Labels, not counts: every factor is an input of its own.
  'labels read': (d) => {
    d.decision.adjustments.push(
      adjustment(
        'test.brand',
        {
          all: [
            { fact: 'approach', eq: 'prompt' },
            { fact: 'framework.indicatorsPresent', contains: 'Brand voice' },
          ],
        },
        'rag',
      ),
    );
  },
  // Counts per weight.
  'weighted score': (d) => {
    const node = d.decision.tree.find((n: Data) => n.id === 'tree.indicators');
    node.when = { fact: 'framework.weightedScore', gt: 0.15 };
  },
  // Factors, derived answers and an optional section's derived answer read directly.
  'answers read directly': (d) => {
    d.decision.adjustments.push(
      adjustment(
        'test.latency',
        {
          all: [
            { fact: 'approach', eq: 'prompt' },
            { fact: 'indicators.latency', is: true },
            { fact: 'antiIndicators.lowVolume', is: false },
          ],
        },
        'fine-tune',
      ),
      adjustment(
        'test.checklist',
        {
          all: [
            { fact: 'approach', eq: 'fine-tune' },
            { fact: 'dataChecklist.minimumExamples', is: false },
          ],
        },
        'hybrid',
      ),
      adjustment(
        'test.counts',
        {
          all: [
            { fact: 'needs.retrievalCount', gte: 1 },
            { fact: 'usage.requestsPerMonth', gt: 100_000 },
            { fact: 'framework.ceilingFailedCount', lte: 1 },
          ],
        },
        'rag',
      ),
    );
  },
  // Only facts the engine computes from answers (the needs' routes, the monthly volume):
  // what-if must still try the answers they come from.
  'computed answer facts only': (d) => {
    d.decision.adjustments = [
      adjustment(
        'test.retrieval',
        {
          all: [
            { fact: 'needs.weightsCount', eq: 0 },
            { fact: 'needs.retrievalCount', gte: 1 },
          ],
        },
        'rag',
      ),
      adjustment(
        'test.volume',
        {
          all: [
            { fact: 'approach', eq: 'fine-tune' },
            { fact: 'usage.requestsPerMonth', lt: 3000 },
          ],
        },
        'prompt',
      ),
    ];
    const antiIndicators = d.sections.find((s: Data) => s.id === 'antiIndicators');
    delete antiIndicators.fields.find((f: Data) => f.id === 'lowVolume').derive;
  },
};

const ruleSets: [string, RuleSet][] = [];

beforeAll(async () => {
  const raw = YAML.parse(readFileSync(join(ROOT, 'rules/default.yaml'), 'utf8'));
  ruleSets.push(['default', parseRuleSet(structuredClone(raw), 'rules/default.yaml')]);
  for (const file of ['strict', 'platform']) ruleSets.push([file, await loadRulesFile(join(ROOT, `examples/rules/${file}.yaml`))]);
  for (const [name, change] of Object.entries(VARIANTS)) {
    const data = structuredClone(raw);
    change(data);
    ruleSets.push([name, parseRuleSet(data, name)]);
  }
});

/** Every number the rule set compares with, and its neighbours: where the decision turns. */
function thresholds(rules: RuleSet): number[] {
  const out = new Set([0, 1, 50, 100_000]);
  const conditions = [
    ...rules.decision.tree.map((n) => n.when),
    ...rules.decision.adjustments.map((a) => a.when),
    ...(rules.framework.caps ?? []).map((c) => c.when),
    ...rules.sections.flatMap((s) => (s.fields ?? []).flatMap((f) => (f.derive ? [f.derive.when] : []))),
  ];
  for (const leaf of conditions.flatMap((c) => factsOf(c))) {
    for (const t of [leaf.gt, leaf.gte, leaf.lt, leaf.lte]) if (typeof t === 'number') for (const v of [t - 1, t, t + 1, Math.ceil(t / 30)]) if (v >= 0) out.add(v);
  }
  return [...out];
}

/** Valid answers for any rule set, built from its sections; leaning towards the ceiling passed and few anti-indicators. */
function answersArb(rules: RuleSet): fc.Arbitrary<Answers> {
  const nums = thresholds(rules);
  const record: Record<string, fc.Arbitrary<unknown>> = { version: fc.constant(1) };
  const required = ['version'];
  for (const section of rules.sections) {
    if (section.required) required.push(section.id);
    if (section.kind === 'choices') {
      const ids = (section.choices ?? []).map((c) => c.id);
      record[section.id] = fc.shuffledSubarray(ids, { minLength: section.minItems ?? 1 });
      continue;
    }
    const fields: Record<string, fc.Arbitrary<unknown>> = {};
    const requiredFields: string[] = [];
    for (const field of section.fields ?? []) {
      if (isRequiredField(section, field)) requiredFields.push(field.id);
      if (field.type === 'boolean') {
        fields[field.id] = section.role === 'ceiling' ? fc.constantFrom(true, true, true, false) : section.role === 'anti-indicator' ? fc.constantFrom(false, false, true) : fc.boolean();
      } else if (field.type === 'text') {
        fields[field.id] = fc.string({ minLength: field.minLength ?? 0, maxLength: 20 });
      } else if (field.type === 'choice') {
        // Fixed up below to one of the choices the answers make.
        fields[field.id] = fc.nat({ max: 20 });
      } else if (field.type === 'score') {
        fields[field.id] = fc.constantFrom(...Object.keys(field.levels ?? { 1: '', 3: '', 5: '' }).map(Number));
      } else {
        const clamp = (n: number) => Math.min(field.max ?? Infinity, Math.max(field.min ?? 0, field.type === 'integer' ? Math.round(n) : n));
        fields[field.id] = fc.oneof(fc.constantFrom(...nums), fc.nat({ max: 2_000_000 })).map(clamp);
      }
    }
    record[section.id] = fc.record(fields, { requiredKeys: requiredFields });
  }
  return fc.record(record, { requiredKeys: required }).map((raw) => {
    // A derivable answer left out must be derivable: else answer it.
    const answers: Data = raw;
    for (const section of rules.sections) {
      for (const field of section.fields ?? []) {
        const given = answers[section.id];
        if (!field.derive || !section.role || !given || given[field.id] !== undefined) continue;
        const derivable = canDerive(field.derive, (p) => {
          const [s, f] = p.split('.');
          return answers[s!]?.[f!] !== undefined;
        });
        if (!derivable) given[field.id] = false;
      }
    }
    // A choice field names one of the choices made (goal.primary is one of the needs).
    for (const section of rules.sections) {
      for (const field of section.fields ?? []) {
        const given = answers[section.id];
        if (field.type !== 'choice' || !given || given[field.id] === undefined) continue;
        const chosen: string[] = answers[field.choicesFrom!] ?? [];
        if (chosen.length) given[field.id] = chosen[given[field.id] % chosen.length];
        else delete given[field.id];
      }
    }
    return answers as Answers;
  });
}

/**
 * Small edits to answers: near neighbours of one use case are where a remembered approach
 * would be reused wrongly if the key missed something the decision reads.
 */
function editsArb(rules: RuleSet): fc.Arbitrary<{ section: string; field: string; op: 'drop' | 'dropSection' | 'flip' | 'number'; n: number }[]> {
  const fields = rules.sections.flatMap((s) => (s.fields ?? []).map((f) => ({ section: s.id, field: f.id })));
  return fc.array(
    fc
      .record({
        target: fc.constantFrom(...fields),
        op: fc.constantFrom('drop' as const, 'dropSection' as const, 'flip' as const, 'number' as const),
        n: fc.constantFrom(...thresholds(rules)),
      })
      .map(({ target, op, n }) => ({ ...target, op, n })),
    { minLength: 1, maxLength: 6 },
  );
}

function applyEdit(answers: Data, edit: { section: string; field: string; op: string; n: number }): Data {
  const out = structuredClone(answers);
  const given = out[edit.section];
  if (edit.op === 'dropSection') delete out[edit.section];
  else if (!given || typeof given !== 'object' || Array.isArray(given)) return out;
  else if (edit.op === 'drop') delete given[edit.field];
  else if (edit.op === 'flip' && typeof given[edit.field] === 'boolean') given[edit.field] = !given[edit.field];
  else if (edit.op === 'number' && typeof given[edit.field] === 'number') given[edit.field] = edit.n;
  return out;
}

function isValid(data: unknown, rules: RuleSet): data is Answers {
  try {
    validateAnswers(data, rules);
    return true;
  } catch {
    return false;
  }
}

/** The fast what-if of a report against deciding every candidate in full. */
function expectExhaustive(rules: RuleSet, ruleSet: RuleSet, answers: Answers, name: string): void {
  const fast = assessAnswers(ruleSet, answers).whatIf;
  const base = baseFacts(rules, answers);
  const reference = rankWhatIf(rules, whatIf(rules, answers, decideFromFacts(rules, base.copy()), base, { exhaustive: true }));
  expect(JSON.stringify(fast), `${name}: ${JSON.stringify(answers)}`).toBe(JSON.stringify(reference));
}

describe('what-if shortcuts', () => {
  it('cover the variants they are meant to: some use the shortcuts, some re-run everything', () => {
    const withInputs = ruleSets.filter(([, r]) => approachInputs(r) !== undefined).map(([n]) => n);
    expect(withInputs).toContain('default');
    expect(withInputs).toContain('confidence without economics');
    // The economics are worked out from the usage and roi answers alone: answers to what-if.
    expect(withInputs).toContain('confidence and economics');
    expect(withInputs).toContain('economics read directly');
    expect(withInputs).not.toContain('method read in the decision');
    // Counting applies where only counts are read, not where labels are.
    expect(approachInputs(ruleSets.find(([n]) => n === 'default')![1])!.counted.length).toBeGreaterThan(0);
    expect(approachInputs(ruleSets.find(([n]) => n === 'labels read')![1])!.counted).toEqual([]);
  });

  // 10-15 s alone; on a shared two-core machine, beside the other test files, over 30 s.
  it('give exactly the exhaustive result, in the same order, for every rule set', () => {
    for (const [name, rules] of ruleSets) {
      fc.assert(
        fc.property(answersArb(rules), fc.boolean(), (raw, fresh) => {
          const answers = validateAnswers(raw, rules);
          // A fresh copy of the rule set remembers nothing; the shared one remembers earlier runs.
          expectExhaustive(rules, fresh ? structuredClone(rules) : rules, answers, name);
        }),
        { numRuns: 100 },
      );
    }
  }, 300_000);

  it('do not reuse an approach for answers that differ only in whether an optional section is open', () => {
    // dataChecklist.minimumExamples is derived from data.examples only when the checklist is
    // open; the variant's adjustment reads it. Flipping latency makes both a fine-tuning
    // candidate, and only the first (derived: under 500 examples) a hybrid.
    const rules = ruleSets.find(([n]) => n === 'answers read directly')![1];
    const ruleSet = structuredClone(rules);
    const open = {
      version: 1,
      useCase: { name: 'checklist' },
      needs: ['behavior'],
      ceiling: { promptVariations: true, multipleModels: true, retrievalOptimized: true, fewShot: true, structuredPrompt: true },
      indicators: { consistentBehavior: true, domainKnowledge: true, brandVoice: true, costOptimization: false, latency: false, dataSovereignty: false },
      antiIndicators: { rapidlyChangingRequirements: false, lowVolume: false, explorationPhase: false, promptsWorking: false },
      data: { examples: 300 },
      dataChecklist: { productionDistribution: true },
    };
    const { dataChecklist: _, ...closed } = open;
    const first = validateAnswers(open, rules);
    expect(assessAnswers(ruleSet, first).whatIf).toContainEqual({ path: 'indicators.latency', value: true, approach: 'hybrid', from: false });
    expectExhaustive(rules, ruleSet, validateAnswers(closed, rules), 'closed checklist');
    expect(assessAnswers(ruleSet, validateAnswers(closed, rules)).whatIf).toContainEqual({ path: 'indicators.latency', value: true, approach: 'fine-tune', from: false });
  });

  it('reuse a remembered list for a use case that differs only in its name and a number between the same thresholds', () => {
    const rules = structuredClone(ruleSets.find(([n]) => n === 'default')![1]);
    const task = YAML.parse(readFileSync(join(ROOT, 'examples/task-api.yaml'), 'utf8'));
    const first = validateAnswers({ ...task, data: { ...task.data, examples: 3000 } }, rules);
    const second = validateAnswers({ ...task, useCase: { name: 'another' }, data: { ...task.data, examples: 4000 } }, rules);
    const before = assessAnswers(rules, first).whatIf;
    expect(rememberedWhatIf(rules).reused).toBe(0);
    const after = assessAnswers(rules, second).whatIf;
    expect(rememberedWhatIf(rules).reused).toBe(1);
    expectExhaustive(rules, rules, second, 'second'); // assesses `second` once more: reused again
    // The same changes, each from the second use case's own answer.
    expect(after.map((w) => [w.path, w.value, w.approach])).toEqual(before.map((w) => [w.path, w.value, w.approach]));
    expect(after.find((w) => w.path === 'data.examples')?.from).toBe(4000);
    expect(before.find((w) => w.path === 'data.examples')?.from).toBe(3000);
    // A number on the other side of a threshold is a different situation.
    assessAnswers(rules, validateAnswers({ ...task, data: { ...task.data, examples: 999 } }, rules));
    expect(rememberedWhatIf(rules).reused).toBe(2);
  });

  it('give exactly the exhaustive result for near neighbours assessed one after another', () => {
    for (const [name, rules] of ruleSets) {
      // One rule-set object per sequence: what the first neighbours teach it, the next ones reuse.
      fc.assert(
        fc.property(answersArb(rules), editsArb(rules), (raw, edits) => {
          const ruleSet = structuredClone(rules);
          let answers: Data = validateAnswers(raw, rules);
          expectExhaustive(rules, ruleSet, answers as Answers, name);
          for (const edit of edits) {
            const next = applyEdit(answers, edit);
            if (!isValid(next, rules)) continue;
            answers = next;
            expectExhaustive(rules, ruleSet, answers as Answers, name);
          }
        }),
        { numRuns: 40 },
      );
    }
  }, 300_000);
});
