// Invariants that must hold for every valid set of answers, and a CLI that answers
// any mutation of a valid file with exit 0 or 2, never a crash.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { Answers } from '../../src/answers/schema';
import { validateAnswers } from '../../src/answers/validate';
import { run } from '../../src/cli/main';
import { assessAnswers, assessCore } from '../../src/engine/assess';
import { decisionRecord, decisionRecordLine, textsNeedNoEscaping } from '../../src/report/record';
import { withAnswer } from '../../src/engine/what-if';
import { loadDefaultRules, loadRulesFile } from '../../src/rules/load';
import { APPROACHES, type RuleSet } from '../../src/rules/schema';
import { fakeIO } from '../support/fake-io';
import { ROOT } from '../support/run-cli';

let rules: RuleSet;
beforeAll(async () => {
  rules = await loadDefaultRules();
});

const section = (id: string) => rules.sections.find((s) => s.id === id)!;
const booleans = (id: string) => fc.record(Object.fromEntries(section(id).fields!.map((f) => [f.id, fc.boolean()])));
const count = fc.oneof(fc.constantFrom(0, 10, 99, 100, 101, 499, 500, 999, 1000, 1001, 10_000, 100_000), fc.nat({ max: 200_000 }));

/** Random answers built from the rule set itself, so new questions are covered too. */
function answersArb(): fc.Arbitrary<Answers> {
  const needIds = section('needs').choices!.map((c) => c.id);
  return fc
    .record(
      {
        version: fc.constant(1 as const),
        useCase: fc.record({ name: fc.string({ minLength: 1, maxLength: 40 }) }),
        needs: fc.subarray(needIds, { minLength: 1 }),
        ceiling: booleans('ceiling'),
        indicators: booleans('indicators'),
        antiIndicators: booleans('antiIndicators'),
        knowledge: booleans('knowledge'),
        data: fc.record({ examples: count, preferencePairs: count, documents: count }, { requiredKeys: [] }),
        training: booleans('training'),
        usage: fc.record(
          {
            requestsPerDay: fc.nat({ max: 1_000_000 }),
            promptTokens: fc.nat({ max: 10_000 }),
            inputTokens: fc.nat({ max: 10_000 }),
            tunedPromptTokens: fc.nat({ max: 10_000 }),
            pricePerMillionTokens: fc.double({ min: 0, max: 100, noNaN: true }),
            completionTokens: fc.nat({ max: 10_000 }),
            pricePerMillionOutputTokens: fc.double({ min: 0, max: 100, noNaN: true }),
          },
          { requiredKeys: ['requestsPerDay', 'promptTokens', 'inputTokens', 'tunedPromptTokens', 'pricePerMillionTokens'] },
        ),
        roi: fc.record({
          upfrontHours: fc.nat({ max: 1000 }),
          hourlyRate: fc.nat({ max: 500 }),
          monthlyQualityValue: fc.nat({ max: 10_000 }),
          monthlyOngoingCosts: fc.nat({ max: 10_000 }),
        }),
        rubric: fc.record(Object.fromEntries(section('rubric').fields!.map((f) => [f.id, fc.constantFrom(1, 3, 5)]))),
      },
      { requiredKeys: ['version', 'useCase', 'needs', 'ceiling', 'indicators', 'antiIndicators', 'data'] },
    )
    .map((a) => {
      // insufficientData is derived from data.examples; without a count it must be answered.
      const answers = a as unknown as Answers;
      const data = answers.data as Record<string, number>;
      if (data.examples === undefined) (answers.antiIndicators as Record<string, boolean>).insufficientData ??= false;
      else delete (answers.antiIndicators as Record<string, boolean>).insufficientData;
      return answers;
    });
}

describe('engine invariants for random valid answers', () => {
  it('the approach is in the enum, method is null exactly for prompt and rag, scores stay in bounds', () => {
    fc.assert(
      fc.property(answersArb(), (raw) => {
        const answers = validateAnswers(raw, rules);
        const r = assessAnswers(rules, answers, { whatIf: false });
        expect(APPROACHES).toContain(r.recommendation.approach);
        const tuning = r.recommendation.approach === 'fine-tune' || r.recommendation.approach === 'hybrid';
        expect(r.recommendation.method === null).toBe(!tuning);
        expect(r.framework.score).toBeGreaterThanOrEqual(-1);
        expect(r.framework.score).toBeLessThanOrEqual(1);
        expect(r.framework.difference).toBe(r.framework.indicators - r.framework.antiIndicators);
        expect(r.framework.indicators + r.framework.antiIndicators).toBeLessThanOrEqual(r.framework.totalFactors);
        if (r.rubric) {
          expect(r.rubric.score).toBeGreaterThanOrEqual(7);
          expect(r.rubric.score).toBeLessThanOrEqual(r.rubric.max);
        }
        if (r.economics?.tokenReduction != null) expect(r.economics.tokenReduction).toBeLessThanOrEqual(1);
        // Fine-tuning never survives the documents' hard gates.
        const examples = (answers.data as { examples?: number }).examples;
        if (examples !== undefined && examples < 100) expect(tuning).toBe(false);
        if (answers.needs.length === 1 && answers.needs[0] === 'general') expect(tuning).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('every what-if entry is true: re-running with that one answer changed gives that approach', () => {
    fc.assert(
      fc.property(answersArb(), (raw) => {
        const answers = validateAnswers(raw, rules);
        const r = assessAnswers(rules, answers);
        for (const w of r.whatIf) {
          const changed = withAnswer(answers, w.path, w.value);
          expect(assessAnswers(rules, validateAnswers(changed, rules), { whatIf: false }).recommendation.approach).toBe(w.approach);
          expect(w.approach).not.toBe(r.recommendation.approach);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a record built from the core alone (what batches do) is the record of the full report', () => {
    fc.assert(
      fc.property(answersArb(), fc.boolean(), (raw, withWhatIf) => {
        const answers = validateAnswers(raw, rules);
        const options = { whatIf: withWhatIf };
        expect(decisionRecord(assessCore(rules, answers, options))).toEqual(decisionRecord(assessAnswers(rules, answers, options)));
      }),
      { numRuns: 200 },
    );
  });

  it("a batch's record line, written field by field, is JSON.stringify of the record", () => {
    // Names and file names with every kind of character JSON escapes, or writes as it is.
    const text = fc.oneof(
      fc.string({ unit: 'binary', minLength: 1 }),
      fc.constantFrom('"quoted" \\ back', 'tab\there\nline', 'lone \ud800 high', 'low \udc00', 'pair 😀', 'sep \u2028\u2029', '\u0000\u001f\u007f'),
    );
    const seen = { method: 0, noMethod: 0, instead: 0, rubric: 0, economics: 0, whatIf: 0, derived: 0, noLine: 0 };
    fc.assert(
      fc.property(answersArb(), text, text, fc.option(fc.nat(), { nil: undefined }), fc.boolean(), fc.boolean(), fc.boolean(), (raw, useCaseName, file, line, withWhatIf, full, favourTuning) => {
        if (favourTuning) {
          // Random answers mostly end in prompting or retrieval; these reach a method too.
          for (const id of ['ceiling', 'indicators']) for (const f of section(id).fields!) (raw[id] as Record<string, boolean>)[f.id] = true;
          for (const f of section('antiIndicators').fields!) (raw.antiIndicators as Record<string, boolean>)[f.id] = false;
          raw.data = { ...(raw.data as object), examples: 5000 };
          delete (raw.antiIndicators as Record<string, boolean>).insufficientData;
        }
        const answers = validateAnswers(raw, rules);
        (answers.useCase as { name: string }).name = useCaseName;
        const report = full ? assessAnswers(rules, answers, { whatIf: withWhatIf }) : assessCore(rules, answers, { whatIf: withWhatIf });
        const expected = JSON.stringify({ file, line, ...decisionRecord(report) });
        expect(decisionRecordLine(report, file, line)).toBe(expected);
        // The line's own text as the answers, trimmed: the same JSON here.
        expect(decisionRecordLine(report, file, line, ` ${JSON.stringify(answers)}\t`)).toBe(expected);
        // Every text of a record with awkward characters too: a rule set's texts may hold any.
        const rec = report.recommendation;
        const awkward: typeof report = {
          ...report,
          rules: { name: file, version: useCaseName },
          recommendation: {
            ...rec,
            summary: useCaseName,
            title: file,
            action: useCaseName,
            method: rec.method && {
              ...rec.method,
              why: useCaseName,
              objectiveLabel: file,
              techniqueLabel: useCaseName,
              compute: file,
              phases: rec.method.phases.map((p, i) => (i ? p : { ...p, label: useCaseName, needs: [...p.needs, file], ...(p.instead ? { instead: { ...p.instead, reason: file } } : {}) })),
            },
          },
          framework: { ...report.framework, ceilingFailed: [...report.framework.ceilingFailed, useCaseName] },
          whatIf: [...report.whatIf, { path: 'needs', value: [useCaseName, file], approach: 'rag', from: [file] }],
          trace: report.trace.map((t, i) => (i ? t : { ...t, because: useCaseName })),
          nextSteps: [...report.nextSteps, useCaseName, file],
          warnings: [file, ...report.warnings],
          economics: report.economics && { ...report.economics, steps: [useCaseName, ...report.economics.steps] },
          derived: report.derived.map((d) => ({ ...d, because: file })),
        };
        expect(decisionRecordLine(awkward, file, line)).toBe(JSON.stringify({ file, line, ...decisionRecord(awkward) }));
        seen[report.recommendation.method ? 'method' : 'noMethod']++;
        if (report.recommendation.method?.phases.some((p) => p.instead)) seen.instead++;
        if (report.rubric) seen.rubric++;
        if (report.economics) seen.economics++;
        if (report.whatIf.length) seen.whatIf++;
        if (report.derived.length) seen.derived++;
        if (line === undefined) seen.noLine++;
      }),
      { numRuns: 300 },
    );
    // Every optional part of a record was written at least once.
    for (const [part, count] of Object.entries(seen)) expect(count, part).toBeGreaterThan(0);
  }, 180_000);

  // The writer skips the escape check on a record's texts when textsNeedNoEscaping says no
  // text can need it. That holds only if the engine's own words never need escaping: this
  // writes records both ways and compares them, for the default rule set and the examples.
  it('a record written without checking its texts, where textsNeedNoEscaping allows it, is the record written with checks', async () => {
    const ruleSets = [rules, await loadRulesFile(join(ROOT, 'examples/rules/strict.yaml')), await loadRulesFile(join(ROOT, 'examples/rules/platform.yaml'))];
    // Mostly plain names, so the unchecked path is taken; some with what JSON escapes.
    const name = fc.oneof(fc.stringMatching(/^[A-Za-z0-9 .,:;()'!?&+-]{1,30}$/), fc.constantFrom('a "quoted" name', 'back \\ slash', 'line\nbreak', 'café ☕'));
    let unchecked = 0;
    fc.assert(
      fc.property(answersArb(), name, fc.constantFrom(0, 1, 2), fc.boolean(), fc.boolean(), fc.boolean(), (raw, useCaseName, which, withWhatIf, full, favourTuning) => {
        const ruleSet = ruleSets[which]!;
        if (favourTuning) {
          for (const id of ['ceiling', 'indicators']) for (const f of section(id).fields!) (raw[id] as Record<string, boolean>)[f.id] = true;
          for (const f of section('antiIndicators').fields!) (raw.antiIndicators as Record<string, boolean>)[f.id] = false;
          raw.data = { ...(raw.data as object), examples: 5000 };
          delete (raw.antiIndicators as Record<string, boolean>).insufficientData;
        }
        (raw.useCase as { name: string }).name = useCaseName;
        let answers: Answers;
        try {
          answers = validateAnswers(raw, ruleSet);
        } catch {
          return; // a custom rule set may ask for more than the default's questions
        }
        const report = full ? assessAnswers(ruleSet, answers, { whatIf: withWhatIf }) : assessCore(ruleSet, answers, { whatIf: withWhatIf });
        const safe = textsNeedNoEscaping(ruleSet, answers);
        expect(safe).toBe(!/["\\\u0000-\u001f\ud800-\udfff]/.test(useCaseName));
        if (safe) unchecked++;
        expect(decisionRecordLine(report, 'f.jsonl', 1, undefined, safe)).toBe(decisionRecordLine(report, 'f.jsonl', 1));
      }),
      { numRuns: 400 },
    );
    expect(unchecked).toBeGreaterThan(100);
  });

  it('reports and records are plain ASCII for ASCII answers (one-byte strings, faster to serialise and encode)', () => {
    fc.assert(
      fc.property(answersArb(), (raw) => {
        const answers = validateAnswers(raw, rules);
        (answers.useCase as { name: string }).name = 'use case';
        const report = assessAnswers(rules, answers);
        expect(JSON.stringify(report)).toMatch(/^[\x20-\x7e]*$/);
        expect(JSON.stringify(decisionRecord(assessCore(rules, answers)))).toMatch(/^[\x20-\x7e]*$/);
      }),
      { numRuns: 150 },
    );
  });

  it('the same answers always give the same report', () => {
    fc.assert(
      fc.property(answersArb(), (raw) => {
        const answers = validateAnswers(raw, rules);
        expect(assessAnswers(rules, answers)).toEqual(assessAnswers(rules, structuredClone(answers)));
      }),
      { numRuns: 50 },
    );
  });
});

describe('the CLI never crashes on a mutated answers file', () => {
  const base = YAML.parse(readFileSync(join(ROOT, 'examples/task-api.yaml'), 'utf8'));
  const paths: string[][] = [];
  const walk = (v: unknown, p: string[]) => {
    paths.push(p);
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
  };
  walk(base, []);
  const weird = fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, 1e308, '', 'yes', [], {}, [1, 2], { a: 1 }, '__proto__', 'x'.repeat(300)),
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );
  const mutation = fc.record({
    path: fc.constantFrom(...paths.filter((p) => p.length > 0)),
    op: fc.constantFrom('set', 'delete', 'rename'),
    value: weird,
    newKey: fc.constantFrom('__proto__', 'constructor', 'brandVoise', 'extra', ''),
  });

  it('exits 0 or 2, with a message for every 2', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), async (mutations, asYaml) => {
        const doc = structuredClone(base);
        for (const m of mutations) {
          let parent: any = doc;
          for (const k of m.path.slice(0, -1)) parent = parent?.[k];
          if (!parent || typeof parent !== 'object') continue;
          const key = m.path[m.path.length - 1]!;
          if (m.op === 'delete') delete parent[key];
          else if (m.op === 'set') parent[key] = m.value;
          else {
            Object.defineProperty(parent, m.newKey, { value: parent[key], enumerable: true, configurable: true, writable: true });
            delete parent[key];
          }
        }
        const text = asYaml ? YAML.stringify(doc) : JSON.stringify(doc);
        const { io, stderr } = fakeIO(text);
        const code = await run(['assess', '--answers', '-', '--format', 'json'], io);
        expect([0, 2]).toContain(code);
        if (code === 2) {
          expect(stderr()).toMatch(/^ft-advisor: /);
          expect(stderr()).not.toMatch(/internal error/);
        }
      }),
      { numRuns: 150 },
    );
  });
});
