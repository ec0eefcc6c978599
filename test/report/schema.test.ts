// The report schema (src/report/schema.ts) against real reports: every example and random
// valid answers, held strictly, so a field the engine adds or renames must be declared
// there; and `ft-advisor schema report`, the JSON Schema generated from it.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Answers } from '../../src/answers/schema';
import { validateAnswers } from '../../src/answers/validate';
import { assessAnswers } from '../../src/engine/assess';
import { reportJsonSchema, reportSchema } from '../../src/report/schema';
import { loadDefaultRules, loadRulesFile } from '../../src/rules/load';
import type { RuleSet } from '../../src/rules/schema';
import { exampleFiles, loadExample } from '../helpers/answers';
import { ensureBuilt, ROOT, runBuilt } from '../cli/helpers';

let rules: RuleSet;
beforeAll(async () => {
  rules = await loadDefaultRules();
});

/** The report as JSON readers see it. */
const asJson = (report: unknown) => JSON.parse(JSON.stringify(report)) as unknown;

function problems(report: unknown): string[] {
  const r = reportSchema({ strict: true }).safeParse(asJson(report));
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('the report schema holds real reports', () => {
  it.each(exampleFiles())('%s, with the default rules and the example rule sets', async (file) => {
    const answers = validateAnswers(loadExample(file), rules);
    expect(problems(assessAnswers(rules, answers))).toEqual([]);
    for (const custom of ['strict.yaml', 'platform.yaml']) {
      const other = await loadRulesFile(join(ROOT, 'examples/rules', custom));
      expect(problems(assessAnswers(other, validateAnswers(loadExample(file), other)))).toEqual([]);
    }
  });

  it('random valid answers: every approach, with and without economics and rubric', () => {
    const section = (id: string) => rules.sections.find((s) => s.id === id)!;
    // Leaning towards a passed ceiling, many indicators and few anti-indicators, so every
    // approach comes up in a modest number of runs.
    const booleans = (id: string, trueOneIn: number) =>
      fc.record(Object.fromEntries(section(id).fields!.map((f) => [f.id, fc.nat({ max: trueOneIn }).map((n) => (trueOneIn > 1 ? n !== 0 : n === 0))])));
    const count = fc.constantFrom(0, 50, 100, 499, 1000, 20_000);
    const arb = fc.record(
      {
        version: fc.constant(1 as const),
        useCase: fc.record({ name: fc.constantFrom('a', 'b c') }),
        needs: fc.subarray(
          section('needs').choices!.map((c) => c.id),
          { minLength: 1 },
        ),
        ceiling: booleans('ceiling', 12),
        indicators: booleans('indicators', 4),
        antiIndicators: booleans('antiIndicators', 1).map((a) => ({ ...a, insufficientData: undefined })),
        data: fc.record({ examples: count, preferencePairs: count, documents: count }),
        usage: fc.record(
          {
            requestsPerDay: fc.nat({ max: 100_000 }),
            promptTokens: fc.nat({ max: 2000 }),
            inputTokens: fc.nat({ max: 2000 }),
            tunedPromptTokens: fc.nat({ max: 100 }),
            pricePerMillionTokens: fc.constantFrom(0.5, 3),
            completionTokens: fc.nat({ max: 500 }),
            pricePerMillionOutputTokens: fc.constantFrom(2, 15),
          },
          { requiredKeys: ['requestsPerDay', 'promptTokens', 'inputTokens', 'tunedPromptTokens'] },
        ),
        roi: fc.record({ upfrontHours: fc.nat({ max: 200 }), hourlyRate: fc.nat({ max: 200 }), monthlyQualityValue: fc.nat({ max: 5000 }), monthlyOngoingCosts: fc.nat({ max: 5000 }) }),
        rubric: fc.record(Object.fromEntries(section('rubric').fields!.map((f) => [f.id, fc.constantFrom(1, 3, 5)]))),
      },
      { requiredKeys: ['version', 'useCase', 'needs', 'ceiling', 'indicators', 'antiIndicators', 'data'] },
    );
    const approaches = new Set<string>();
    fc.assert(
      fc.property(arb, (raw) => {
        const data = JSON.parse(JSON.stringify(raw)) as Answers;
        const report = assessAnswers(rules, validateAnswers(data, rules));
        approaches.add(report.recommendation.approach);
        expect(problems(report)).toEqual([]);
      }),
      { numRuns: 150, seed: 18 },
    );
    expect([...approaches].sort()).toEqual(['fine-tune', 'hybrid', 'prompt', 'rag']);
  });

  it('rejects what the contract rules out', () => {
    const report = asJson(assessAnswers(rules, validateAnswers(loadExample(exampleFiles()[0]!), rules))) as Record<string, any>;
    const broken = (edit: (r: Record<string, any>) => void) => {
      const copy = structuredClone(report);
      edit(copy);
      return reportSchema().safeParse(copy).success;
    };
    expect(broken(() => undefined)).toBe(true);
    expect(broken((r) => (r.recommendation.approach = 'train-harder'))).toBe(false);
    expect(broken((r) => (r.schemaVersion = 2))).toBe(false);
    expect(broken((r) => delete r.framework.scoreBand)).toBe(false);
    // Fields may be added within schemaVersion 1: the published schema lets them through.
    expect(broken((r) => (r.later = { added: true }))).toBe(true);
  });
});

describe('ft-advisor schema report', () => {
  it('prints the JSON Schema generated from the zod schema, with a real $id, and the build publishes it', async () => {
    await ensureBuilt();
    const r = await runBuilt(['schema', 'report']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as Record<string, any>;
    expect(schema).toEqual(JSON.parse(JSON.stringify(reportJsonSchema())));
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe('https://raw.githubusercontent.com/ft-advisor/ft-advisor/main/schemas/report.schema.json');
    expect(schema.required).toEqual(expect.arrayContaining(['schemaVersion', 'useCase', 'rules', 'recommendation', 'framework', 'trace', 'nextSteps', 'warnings']));
    expect(schema.properties.schemaVersion.const).toBe(1);
    expect(schema.properties.recommendation.properties.approach.enum).toEqual(['prompt', 'rag', 'fine-tune', 'hybrid']);
    expect(JSON.parse(readFileSync(join(ROOT, 'schemas/report.schema.json'), 'utf8'))).toEqual(schema);
  });

  it.each([
    ['answers', 'answers.schema.json'],
    ['rules', 'rules.schema.json'],
  ])('%s has its file in the repository as $id', async (which, file) => {
    const r = await runBuilt(['schema', which]);
    expect(JSON.parse(r.stdout).$id).toBe(`https://raw.githubusercontent.com/ft-advisor/ft-advisor/main/schemas/${file}`);
  });

  it('refuses --rules, which changes nothing for the report', async () => {
    const r = await runBuilt(['schema', 'report', '--rules', 'examples/rules/strict.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--rules applies to `schema answers` only/);
  });
});
