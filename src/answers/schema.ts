// The answers-file schema is generated from the rule set: a question added to the
// YAML is a key users may answer, with no code change. The JSON Schema published by
// `ft-advisor schema answers` comes from this same zod schema.
import * as z from 'zod/mini';
import type { FieldRule, RuleSet, SectionRule } from '../rules/schema';
import { choiceOptions } from './choices';
import { isRequiredField } from './conforms';
import type { Answers, SchemaOptions, SectionAnswers } from './types';
import { SCHEMA_BASE_URL } from '../report/schema-url';
import { DATA_FILES } from './data-files';

export { DATA_FILES, isRequiredField };

export type { AnswerValue, SectionAnswers, Answers, SchemaOptions } from './types';

function fieldSchema(field: FieldRule, rules: RuleSet | undefined): z.ZodMiniType {
  let schema: z.ZodMiniType;
  switch (field.type) {
    case 'boolean':
      schema = z.boolean();
      break;
    case 'text': {
      const checks = [];
      if (field.minLength !== undefined) checks.push(z.minLength(field.minLength));
      checks.push(z.maxLength(field.maxLength ?? 10_000));
      schema = z.string().check(...checks);
      break;
    }
    case 'integer':
    case 'number': {
      const checks = [];
      if (field.min !== undefined) checks.push(z.gte(field.min));
      if (field.max !== undefined) checks.push(z.lte(field.max));
      schema = (field.type === 'integer' ? z.int() : z.number()).check(...checks);
      break;
    }
    case 'choice': {
      const ids = choiceOptions(rules, field);
      schema = ids.length ? z.enum(ids as [string, ...string[]]) : z.string();
      break;
    }
    case 'score': {
      const levels = Object.keys(field.levels ?? { 1: '', 3: '', 5: '' }).map(Number);
      schema = z.union(levels.map((l) => z.literal(l)) as [z.ZodMiniLiteral<number>, ...z.ZodMiniLiteral<number>[]]);
      break;
    }
  }
  const meta: Record<string, unknown> = { description: field.hint ? `${field.prompt} ${field.hint}` : field.prompt };
  if (field.default !== undefined) meta.default = field.default;
  z.globalRegistry.add(schema, meta);
  return schema;
}

export function sectionSchema(section: SectionRule, options: SchemaOptions = {}, rules?: RuleSet): z.ZodMiniType {
  if (section.kind === 'choices') {
    const ids = (section.choices ?? []).map((c) => c.id) as [string, ...string[]];
    const checks = [z.minLength(options.partial ? 0 : (section.minItems ?? 1))];
    return z.array(z.enum(ids)).check(...checks);
  }
  const shape: Record<string, z.ZodMiniType> = {};
  for (const field of section.fields ?? []) {
    const s = fieldSchema(field, rules);
    shape[field.id] = isRequiredField(section, field) && !options.partial ? s : z.optional(s);
  }
  if (options.filePaths && section.id === DATA_FILES.section) {
    for (const [key, description] of Object.entries(DATA_FILES.keys)) {
      const path = z.string().check(z.minLength(1));
      z.globalRegistry.add(path, { description });
      shape[key] = z.optional(path);
    }
  }
  return z.strictObject(shape);
}

// Batches validate thousands of answers against one rule set: build its schema once.
const schemaCache = new WeakMap<RuleSet, Map<string, ReturnType<typeof createAnswersSchema>>>();

export function buildAnswersSchema(rules: RuleSet, options: SchemaOptions = {}) {
  const mode = { partial: Boolean(options.partial), filePaths: Boolean(options.filePaths) };
  const key = `${mode.partial}/${mode.filePaths}`;
  let byMode = schemaCache.get(rules);
  if (!byMode) schemaCache.set(rules, (byMode = new Map<string, ReturnType<typeof createAnswersSchema>>()));
  let schema = byMode.get(key);
  if (!schema) byMode.set(key, (schema = createAnswersSchema(rules, mode)));
  return schema;
}

function createAnswersSchema(rules: RuleSet, options: SchemaOptions) {
  const shape: Record<string, z.ZodMiniType> = { version: z.literal(1) };
  for (const section of rules.sections) {
    const s = sectionSchema(section, options, rules);
    z.globalRegistry.add(s, { description: section.title });
    shape[section.id] = section.required && !options.partial ? s : z.optional(s);
  }
  return z.strictObject(shape);
}

export function answersJsonSchema(rules: RuleSet): Record<string, unknown> {
  const schema = z.toJSONSchema(buildAnswersSchema(rules, { filePaths: true }), { target: 'draft-07', unrepresentable: 'any' }) as Record<string, unknown>;
  // `evidence:` is read (and removed) before validation (src/evidence/eval/prepare.ts), so
  // it is not part of the zod schema, but editors should know it.
  const properties = {
    ...(schema.properties as Record<string, unknown>),
    evidence: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'Eval results that settle answers: promptfoo results (version 3) or ft-advisor evidence files, relative to this file.',
    },
  };
  return {
    ...schema,
    properties,
    $id: `${SCHEMA_BASE_URL}/answers.schema.json`,
    title: `ft-advisor answers (rule set ${rules.name} ${rules.version})`,
  };
}

export function sectionAnswers(answers: Answers, sectionId: string): SectionAnswers | undefined {
  const value = answers[sectionId];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as SectionAnswers) : undefined;
}
