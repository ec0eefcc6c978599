// The shape of a rule set. zod checks the structure when a rule file loads;
// src/rules/check.ts then checks the meaning (references, ids, ranges).
import * as z from 'zod/mini';

export { OPERATORS, APPROACHES, type Scalar, type ValueTest, type Operator, type FactTest, type Condition, type Approach } from './vocabulary';
import type { Condition } from './vocabulary';
import { PII_KINDS } from '../evidence/data/pii';

// Building ~150 zod schemas costs milliseconds, and the default rule set (validated at
// build time) never needs them: they are built on first use only.
function createRuleSetSchema() {
  const scalar = z.union([z.string(), z.number(), z.boolean()]);
  const valueTestShape = {
    is: z.optional(scalar),
    eq: z.optional(scalar),
    ne: z.optional(scalar),
    gt: z.optional(z.number()),
    gte: z.optional(z.number()),
    lt: z.optional(z.number()),
    lte: z.optional(z.number()),
    in: z.optional(z.array(scalar)),
    notIn: z.optional(z.array(scalar)),
    contains: z.optional(scalar),
    containsAny: z.optional(z.array(scalar)),
    containsOnly: z.optional(z.array(scalar)),
    exists: z.optional(z.boolean()),
  };
  const ValueTestSchema = z.strictObject(valueTestShape);
  const ConditionSchema: z.ZodMiniType<Condition> = z.lazy(() =>
    z.union([
      z.strictObject({ fact: z.string().check(z.minLength(1)), ...valueTestShape }),
      z.strictObject({ all: z.array(ConditionSchema).check(z.minLength(1)) }),
      z.strictObject({ any: z.array(ConditionSchema).check(z.minLength(1)) }),
      z.strictObject({ not: ConditionSchema }),
    ]),
  );

  const id = z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'an id: letters, digits, "-", "_" or "."'));
  const text = z.string().check(z.minLength(1));
  const source = z.string().check(z.minLength(1));

  const Derive = z.strictObject({
    when: ConditionSchema,
    requires: z.array(z.string()).check(z.minLength(1)),
    /** Derive when any one of `requires` is given, instead of all of them. */
    requiresAny: z.optional(z.boolean()),
    because: text,
    source,
  });

  const Field = z.strictObject({
    id,
    type: z.enum(['boolean', 'text', 'integer', 'number', 'score', 'choice']),
    /** For a `choice`: the choices section whose chosen ids are the allowed values. */
    choicesFrom: z.optional(z.string()),
    label: z.optional(text),
    prompt: text,
    hint: z.optional(z.string()),
    help: z.optional(z.string()),
    default: z.optional(scalar),
    required: z.optional(z.boolean()),
    weight: z.optional(z.string()),
    min: z.optional(z.number()),
    max: z.optional(z.number()),
    minLength: z.optional(z.number()),
    maxLength: z.optional(z.number()),
    levels: z.optional(z.record(z.string(), z.string())),
    derive: z.optional(Derive),
    source,
  });

  const Choice = z.strictObject({
    id,
    label: text,
    hint: z.optional(z.string()),
    help: z.optional(z.string()),
    route: z.enum(['weights', 'retrieval', 'prompt']),
    objective: z.optional(z.string()),
    distill: z.optional(z.boolean()),
    /** This need's own data minimum, when it differs from its objective's. */
    requires: z.optional(z.partialRecord(z.enum(['examples', 'preferencePairs', 'documents']), z.number())),
    requiresSource: z.optional(source),
    tryFirst: z.optional(text),
    source,
  });

  const Section = z.strictObject({
    id,
    title: text,
    kind: z.enum(['fields', 'choices']),
    role: z.optional(z.enum(['ceiling', 'indicator', 'anti-indicator'])),
    required: z.optional(z.boolean()),
    optional: z.optional(z.boolean()),
    offer: z.optional(text),
    intro: z.optional(z.string()),
    askWhen: z.optional(ConditionSchema),
    prompt: z.optional(text),
    hint: z.optional(z.string()),
    minItems: z.optional(z.number()),
    fields: z.optional(z.array(Field)),
    choices: z.optional(z.array(Choice)),
    signs: z.optional(z.array(text)),
    signsSource: z.optional(source),
  });

  const Band = z.strictObject({ band: id, when: z.optional(ValueTestSchema) });
  const Bands = z.array(Band).check(z.minLength(1));

  const Outcome = z.strictObject({
    outcome: id,
    label: text,
    approach: z.enum(['prompt', 'rag', 'fine-tune', 'hybrid']),
    because: text,
    /** What it would take to make fine-tuning worth it, for a verdict that is not fine-tuning. */
    wouldTake: z.optional(text),
  });

  const TreeNode = z.strictObject({
    id,
    question: text,
    when: ConditionSchema,
    yes: text,
    no: Outcome,
    source,
  });

  const Adjustment = z.strictObject({
    id,
    when: ConditionSchema,
    /** The approach it sets; without one, a note in the trace that leaves the approach as it is. */
    approach: z.optional(z.enum(['prompt', 'rag', 'fine-tune', 'hybrid'])),
    /** The reason in a few words, for the verdict's summary once this rule decided. */
    label: z.optional(text),
    because: text,
    whyNot: z.optional(text),
    wouldTake: z.optional(text),
    source,
  });

  const NamedFact = z.strictObject({ id, when: ConditionSchema, description: text, source });

  const Range = z.tuple([z.number(), z.nullable(z.number())]);
  const Objective = z.strictObject({
    id,
    label: text,
    goal: text,
    requires: z.partialRecord(z.enum(['examples', 'preferencePairs', 'documents']), z.number()),
    typical: z.optional(z.partialRecord(z.enum(['examples', 'preferencePairs', 'documents']), Range)),
    compute: text,
    fallback: z.optional(z.string()),
    source,
  });

  const Technique = z.strictObject({
    id,
    label: text,
    when: z.optional(ConditionSchema),
    because: text,
    typical: z.optional(z.partialRecord(z.enum(['examples', 'preferencePairs', 'documents']), Range)),
    cost: text,
    quality: text,
    source,
  });

  const Conditional = z.strictObject({
    id,
    when: z.optional(ConditionSchema),
    title: z.optional(text),
    text,
    source,
  });

  const Resolution = z.strictObject({
    id,
    title: text,
    conflict: text,
    decision: text,
    why: text,
    when: z.optional(ConditionSchema),
    source,
  });

  const Verdict = z.strictObject({ title: text, summary: text });

  // Which measured fact settles which answer: `when` for a yes/no answer, `value` to copy a
  // number; or, with `finding` instead of `answer`, a supporting fact the report shows.
  const EvidenceMapping = z.strictObject({
    id,
    answer: z.optional(z.string().check(z.minLength(1))),
    finding: z.optional(id),
    when: z.optional(ConditionSchema),
    value: z.optional(z.string().check(z.minLength(1))),
    tolerance: z.optional(z.number().check(z.minimum(0))),
    because: text,
    source,
  });

  // What the training-data inspector applies (`data inspect`, `assess --data`).
  const share = z.number().check(z.gte(0), z.lte(1));
  const DataInspection = z.strictObject({
    contextLimit: z.strictObject({ tokens: z.int().check(z.positive()), source }),
    tokenEstimate: z.strictObject({ charsPerToken: z.number().check(z.positive()), source }),
    holdout: z.strictObject({ share, source }),
    quality: z.strictObject({ maxDuplicateShare: share, maxProblemShare: share, warning: text, source }),
    pii: z.strictObject({ kinds: z.array(z.enum(Object.keys(PII_KINDS) as [keyof typeof PII_KINDS, ...(keyof typeof PII_KINDS)[]])), source }),
  });

  return z.strictObject({
    schemaVersion: z.literal(1),
    name: text,
    version: z.union([z.string(), z.number()]),
    description: z.optional(z.string()),
    extends: z.optional(z.string()),
    sources: z.array(z.strictObject({ id, file: z.optional(z.string()), title: text })),
    sections: z.array(Section).check(z.minLength(1)),
    framework: z.strictObject({
      ceiling: z.strictObject({ section: z.string(), passWhen: z.enum(['all']), source }),
      indicatorSection: z.string(),
      antiIndicatorSection: z.string(),
      weights: z.looseObject({ source: z.optional(source) }),
      score: z.strictObject({ totalFactors: z.union([z.literal('count'), z.number()]), bands: Bands, source }),
      difference: z.strictObject({ bands: Bands, source }),
      confidence: z.strictObject({
        reconcile: z.enum(['cautious', 'score', 'difference', 'table']),
        /** With reconcile: table, the confidence for each pair of bands; pairs not listed take the cautious band. */
        table: z.optional(z.array(z.strictObject({ score: id, difference: id, confidence: id }))),
        /** Every confidence, strongest first (default: the score's bands); caps only move down this list. */
        order: z.optional(z.array(id)),
        source,
      }),
      caps: z.optional(z.array(z.strictObject({ id, when: ConditionSchema, confidence: id, because: text, source }))),
      /** Raise the confidence to at least this, after the decision (they may read the approach and why it was chosen). */
      floors: z.optional(z.array(z.strictObject({ id, when: ConditionSchema, confidence: id, because: text, source }))),
      actions: z.record(z.string(), text),
      actionsSource: source,
    }),
    decision: z.strictObject({
      tree: z.array(TreeNode),
      candidate: z.extend(Outcome, { source }),
      adjustments: z.array(Adjustment),
    }),
    verdicts: z.strictObject({ prompt: Verdict, rag: Verdict, 'fine-tune': Verdict, hybrid: Verdict }),
    method: z.strictObject({
      priority: z.array(z.string()).check(z.minLength(1)),
      prioritySource: source,
      objectives: z.array(Objective).check(z.minLength(1)),
      techniques: z.array(Technique).check(z.minLength(1)),
      distillation: z.strictObject({ when: ConditionSchema, because: text, source }),
    }),
    data: z.strictObject({
      levels: z.array(z.strictObject({ level: id, below: z.nullable(z.number()), label: text, source })),
      qualityNote: text,
      qualityNoteSource: source,
      /** How reports name data a large model generates for distillation. */
      generatedLabel: z.optional(text),
      /**
       * When the large model generates the training data, beside needs that are all
       * distilled: a condition over answers (the prompted model as the teacher).
       */
      generatedWhen: z.optional(ConditionSchema),
    }),
    economics: z.strictObject({
      daysPerMonth: z.number().check(z.positive()),
      daysPerMonthSource: source,
      longPromptTokens: z.number(),
      longPromptSource: source,
      /** Output tokens' price as a multiple of the input price, where no output price is answered. */
      outputPriceRatio: z.optional(z.number().check(z.positive())),
      outputPriceRatioSource: z.optional(source),
      breakEven: z.strictObject({ bands: Bands, source }),
    }),
    rubric: z.strictObject({ section: z.string(), max: z.number(), bands: Bands, source }),
    nextSteps: z.array(Conditional),
    risks: z.array(Conditional),
    evaluationPlan: z.array(Conditional),
    warnings: z.array(Conditional),
    resolutions: z.array(Resolution),
    evidence: z.optional(z.array(EvidenceMapping)),
    /** Named conditions other rules read as facts, evaluated in order before the tree. */
    facts: z.optional(z.array(NamedFact)),
    /** How reports rank what-if changes: sections in the order of the levers a team can pull, and how many to show. */
    whatIf: z.optional(z.strictObject({ levers: z.array(z.string()), workDone: z.optional(z.array(z.string())), show: z.number().check(z.positive()), source })),
    dataInspection: z.optional(DataInspection),
  });
}

let ruleSetSchema: ReturnType<typeof createRuleSetSchema> | undefined;

/** The zod schema of a rule set, built on first use. */
export function getRuleSetSchema(): ReturnType<typeof createRuleSetSchema> {
  return (ruleSetSchema ??= createRuleSetSchema());
}

export type RuleSet = z.infer<ReturnType<typeof createRuleSetSchema>>;
export type SectionRule = RuleSet['sections'][number];
export type FieldRule = NonNullable<SectionRule['fields']>[number];
export type ChoiceRule = NonNullable<SectionRule['choices']>[number];
export type BandRule = RuleSet['framework']['score']['bands'][number];
export type TreeNodeRule = RuleSet['decision']['tree'][number];
export type OutcomeRule = TreeNodeRule['no'];
export type AdjustmentRule = RuleSet['decision']['adjustments'][number];
export type ObjectiveRule = RuleSet['method']['objectives'][number];
export type TechniqueRule = RuleSet['method']['techniques'][number];
export type ConditionalRule = RuleSet['nextSteps'][number];
export type ResolutionRule = RuleSet['resolutions'][number];
export type NamedFactRule = NonNullable<RuleSet['facts']>[number];
export type EvidenceMappingRule = NonNullable<RuleSet['evidence']>[number];
