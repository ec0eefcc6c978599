// The report's shape as a zod schema: the one source of `ft-advisor schema report` and
// schemas/report.schema.json (JSON Schema), and what the tests hold real reports to
// (test/report/schema.test.ts, strictly: a field the engine adds must be declared here).
// Loaded only by the schema command and the build, never on the assessment path.
import * as z from 'zod';
import { APPROACHES } from '../rules/vocabulary';

import { SCHEMA_BASE_URL } from './schema-url';

export const REPORT_SCHEMA_ID = `${SCHEMA_BASE_URL}/report.schema.json`;

const BANDS = ['strong', 'moderate', 'weak'] as const;

/**
 * The report schema. Published loose (reports of schemaVersion 1 may gain fields, never
 * lose or rename them); `strict` rejects undeclared fields, for the tests.
 */
export function reportSchema(options: { strict?: boolean } = {}) {
  const obj = <T extends z.ZodRawShape>(shape: T) => (options.strict ? z.strictObject(shape) : z.looseObject(shape));
  const approach = z.enum(APPROACHES as unknown as [string, ...string[]]).describe('prompt, rag, fine-tune or hybrid');
  const text = z.string();
  const source = z.string().describe('where the rule comes from: a source document, or "ft-advisor: ..." for the tool\'s own choice');
  const item = obj({ id: text, title: text.optional(), text, source });
  const methodPhase = obj({
    phase: z.number().int(),
    objective: text,
    label: text,
    needs: z.array(text),
    instead: obj({ objective: text, reason: text }).optional(),
  });
  const method = obj({
    objective: text.describe('sft, persona, instruction, function-calling, dpo or continued-pretraining'),
    technique: text.describe('lora, qlora, full or prompt-tuning'),
    distillation: z.boolean(),
    why: text,
    objectiveLabel: text,
    techniqueLabel: text,
    compute: text,
    phases: z.array(methodPhase),
    sources: z.array(text),
  });
  const factor = obj({
    id: text,
    path: text,
    label: text,
    kind: z.enum(['indicator', 'anti-indicator']),
    weight: text.optional(),
    present: z.boolean(),
    derived: z.boolean(),
    source,
  });
  const nullableNumber = z.number().nullable();
  const economics = obj({
    tokensPerRequestNow: nullableNumber,
    tokensPerRequestTuned: nullableNumber,
    tokensPerDayNow: nullableNumber,
    tokensPerDayTuned: nullableNumber,
    tokenReduction: nullableNumber,
    completionTokensPerDay: nullableNumber.describe('completion (output) tokens a day, the same before and after tuning; null when not answered'),
    costPerDayNow: nullableNumber,
    costPerDayTuned: nullableNumber,
    upfrontCost: nullableNumber,
    monthlyApiSavings: nullableNumber,
    monthlyApiSavingsDerived: z.boolean(),
    monthlyNetBenefit: nullableNumber,
    breakEvenMonths: nullableNumber.describe('null when the project never breaks even or the inputs are missing'),
    breakEvenVerdict: text.nullable(),
    monthlyNetBenefitNeeded: nullableNumber.describe('the monthly net benefit that would break even within the first band (under 6 months)'),
    monthlyNetBenefitToPayBack: nullableNumber.describe('the monthly net benefit that would leave the last band (break even within 12 months)'),
    steps: z.array(text).describe('the worked formulas, in order'),
  });
  const rubricDimension = obj({ id: text, label: text, score: z.number(), target: text });
  const rubric = obj({ score: z.number(), max: z.number(), band: text, dimensions: z.array(rubricDimension), weakest: z.array(rubricDimension) });
  const readiness = obj({
    examples: nullableNumber,
    level: text.nullable(),
    levelLabel: text.nullable(),
    levelSource: text.nullable(),
    lines: z.array(obj({ what: text, field: z.enum(['examples', 'preferencePairs', 'documents']), need: z.number(), have: nullableNumber, gap: nullableNumber, met: z.boolean().nullable(), source })),
    checklist: z.array(obj({ id: text, label: text, done: z.boolean().nullable(), derived: z.boolean() })).nullable(),
    qualityNote: text,
    generated: text.nullable().describe('set when the large model generates the training data (distillation)'),
  });
  return obj({
    schemaVersion: z.literal(1).describe('the version of this shape; a rename or removal would change it'),
    useCase: text.describe('useCase.name from the answers'),
    description: text.optional(),
    config: text.nullable().optional().describe('the project config (.ft-advisor.yaml) that supplied defaults, or null when none was used'),
    rules: obj({ name: text, version: text }).describe('the rule set that decided'),
    recommendation: obj({
      approach,
      method: method.nullable().describe('null unless the approach is fine-tune or hybrid'),
      summary: text.describe('one or two sentences'),
      title: text,
      confidence: text.nullable().describe('the confidence in a fine-tuning verdict; null for prompt and rag, where it has nothing to qualify'),
      action: text.describe("the confidence's action for a fine-tuning verdict; otherwise what it would take to make fine-tuning worth it"),
      decidedBy: text.describe('the rule that last set the approach'),
      reason: text.describe('why the approach is what it is, in a few words'),
    }),
    framework: obj({
      ceilingPassed: z.boolean(),
      ceilingFailed: z.array(text),
      indicators: z.number().int(),
      antiIndicators: z.number().int(),
      totalFactors: z.number().int(),
      score: z.number().describe('(indicators - anti-indicators) / total factors'),
      scoreBand: z.enum(BANDS),
      difference: z.number().int().describe('indicators - anti-indicators'),
      differenceBand: z.enum(BANDS),
      confidence: text.describe('the confidence the two bands give (the rule set reconciles them), after caps'),
      bandsConfidence: text.describe('the confidence the two bands give, before any cap'),
      bandsAgree: z.boolean(),
      factors: z.array(factor),
      weightedScore: z.number(),
    }),
    decisionPath: obj({
      steps: z.array(obj({ id: text, question: text, answer: z.enum(['yes', 'no', 'not reached']), because: text, ifNo: text, source })),
      outcome: text,
      outcomeLabel: text,
      candidateLabel: text,
      treeApproach: approach,
      approach,
    }),
    problemTypes: z.array(obj({ need: text, label: text, route: text, tryFirst: text, source })),
    derived: z.array(obj({ path: text, value: z.boolean(), because: text, source })),
    trace: z
      .array(
        obj({
          rule: text,
          because: text.describe('why it fired, with the numbers'),
          source,
          kind: z.enum(['derived', 'tree', 'adjustment', 'cap', 'floor', 'method', 'band', 'evidence']),
          from: approach.optional(),
          to: approach.optional(),
        }),
      )
      .describe('the rules that fired, in order'),
    notFired: z.array(obj({ rule: text, because: text, source })),
    nextSteps: z.array(text),
    nextStepItems: z.array(item),
    warnings: z.array(text),
    warningItems: z.array(item),
    risks: z.array(item),
    evaluationPlan: z.array(item),
    resolutions: z.array(obj({ id: text, title: text, conflict: text, decision: text, why: text, source })),
    dataReadiness: readiness.nullable(),
    economics: economics.nullable(),
    rubric: rubric.nullable(),
    whatIf: z.array(obj({ path: text, value: z.unknown(), approach, from: z.unknown() })).describe('single answers that would change the approach, team levers and the nearest changes first'),
    whatIfShown: z.number().int().describe('how many what-if changes the text and markdown reports list'),
    evidence: z.record(z.string(), z.unknown()).optional().describe('what evidence files (--evidence, --data) measured, and the answers they filled, confirmed or contradicted'),
    answers: z.record(z.string(), z.unknown()).describe('the answers as given, so a report can be replayed and diffed'),
  });
}

/** `ft-advisor schema report`: the JSON Schema (draft-07) of a report. */
export function reportJsonSchema(): Record<string, unknown> {
  const { $schema: _drop, ...body } = z.toJSONSchema(reportSchema(), { target: 'draft-07', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: REPORT_SCHEMA_ID,
    title: 'ft-advisor report, schemaVersion 1',
    description:
      'The report `ft-advisor assess --format json` prints. Fields may be added within schemaVersion 1, never renamed or removed. See https://github.com/ft-advisor/ft-advisor/blob/main/docs/ci.md',
    ...body,
  };
}
