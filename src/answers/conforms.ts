// A direct walk that says whether answers satisfy the zod schema built from the rule set,
// without building that schema: building and running it costs several milliseconds, a
// tenth of the CI path's budget. Valid answers (the common case) take this path; invalid
// ones go through zod, whose issues become the messages. A property test keeps the two
// in agreement (test/property/conforms.property.test.ts).
import type { FieldRule, RuleSet, SectionRule } from '../rules/schema';
import type { Problem } from '../util/errors';
import { valueAt } from '../util/paths';
import { choiceOptions } from './choices';
import type { SchemaOptions } from './types';

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * What the walk looks up, per rule set: built once, since batches check thousands of
 * documents. Sections and fields are copied into objects of one shape each, every key
 * present: the rule set's own objects differ in which optional keys they have, and reading
 * `type` or `max` from objects of many shapes takes V8's slow, megamorphic path.
 */
interface SectionPlan {
  id: string;
  choices: boolean;
  required: boolean;
  minItems: number;
  ids: ReadonlySet<string>;
  fields: readonly FieldPlan[];
}
interface FieldPlan {
  id: string;
  type: FieldRule['type'];
  required: boolean;
  min: number;
  max: number;
  minLength: number;
  maxLength: number;
  /** The scores a `score` field takes. */
  levels: readonly number[];
  /** The ids a `choice` field takes. */
  options: ReadonlySet<string>;
}
/** A role section's field the rule set derives when it is not answered, and what from. */
interface Derivable {
  section: SectionRule;
  field: FieldRule;
  requires: readonly { path: string; keys: readonly string[] }[];
  any: boolean;
}
const plans = new WeakMap<RuleSet, { known: ReadonlySet<string>; sections: readonly SectionPlan[]; derivable: readonly Derivable[] }>();

function planFor(rules: RuleSet) {
  let plan = plans.get(rules);
  if (!plan) {
    plan = {
      known: new Set(['version', ...rules.sections.map((s) => s.id)]),
      sections: rules.sections.map((section): SectionPlan => ({
        id: section.id,
        choices: section.kind === 'choices',
        required: Boolean(section.required),
        minItems: section.minItems ?? 1,
        ids: new Set(section.kind === 'choices' ? (section.choices ?? []).map((c) => c.id) : (section.fields ?? []).map((f) => f.id)),
        fields: (section.fields ?? []).map((field): FieldPlan => ({
          id: field.id,
          type: field.type,
          required: isRequiredField(section, field),
          min: field.min ?? -Infinity,
          max: field.max ?? Infinity,
          minLength: field.minLength ?? 0,
          maxLength: field.maxLength ?? 10_000,
          levels: Object.keys(field.levels ?? { 1: '', 3: '', 5: '' }).map(Number),
          options: new Set(field.type === 'choice' ? choiceOptions(rules, field) : []),
        })),
      })),
      derivable: rules.sections.flatMap((section) =>
        (section.fields ?? [])
          .filter((field) => field.derive && section.role)
          .map((field) => ({ section, field, requires: field.derive!.requires.map((path) => ({ path, keys: path.split('.') })), any: field.derive!.requiresAny === true })),
      ),
    };
    plans.set(rules, plan);
  }
  return plan;
}

export function conformsToSchema(data: unknown, rules: RuleSet, options: SchemaOptions = {}): boolean {
  if (!isPlainObject(data)) return false;
  const partial = Boolean(options.partial);
  const plan = planFor(rules);
  // for-in, not Object.keys(): no array per object, for every document of a batch. (Own
  // keys only: a parsed document's prototype is Object.prototype, with nothing enumerable.)
  for (const key in data) if (!plan.known.has(key)) return false;
  if (data.version !== 1) return false;
  for (const section of plan.sections) {
    const { ids, fields } = section;
    const value = data[section.id];
    if (value === undefined) {
      if (section.required && !partial) return false;
      continue;
    }
    if (section.choices) {
      if (!Array.isArray(value)) return false;
      if (value.length < (partial ? 0 : section.minItems)) return false;
      // An index loop, not every(): every() skips the holes of a sparse array.
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (typeof v !== 'string' || !ids.has(v)) return false;
      }
      continue;
    }
    if (!isPlainObject(value)) return false;
    for (const key in value) if (!ids.has(key)) return false;
    for (const field of fields) {
      const v = value[field.id];
      if (v === undefined) {
        if (field.required && !partial) return false;
        continue;
      }
      if (!fieldConforms(field, v)) return false;
    }
  }
  return true;
}

function fieldConforms(field: FieldPlan, v: unknown): boolean {
  switch (field.type) {
    case 'boolean':
      return typeof v === 'boolean';
    case 'text':
      return typeof v === 'string' && v.length >= field.minLength && v.length <= field.maxLength;
    case 'integer':
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return false;
      if (field.type === 'integer' && !Number.isSafeInteger(v)) return false;
      return v >= field.min && v <= field.max;
    case 'score':
      return typeof v === 'number' && field.levels.includes(v);
    case 'choice':
      return typeof v === 'string' && field.options.has(v);
  }
}

/**
 * A `choice` field over a choices section must name one of the choices the answers make
 * (goal.primary must be one of the needs): a primary goal nobody listed is a typo or a
 * forgotten need, and either would change the method silently.
 */
export function choicesNotChosen(data: Record<string, unknown>, rules: RuleSet, file: string | undefined): Problem[] {
  const problems: Problem[] = [];
  for (const section of rules.sections) {
    for (const field of section.fields ?? []) {
      if (field.type !== 'choice' || !field.choicesFrom) continue;
      const given = data[section.id];
      const v = given && typeof given === 'object' ? (given as Record<string, unknown>)[field.id] : undefined;
      const chosen = data[field.choicesFrom];
      if (typeof v !== 'string' || !Array.isArray(chosen) || chosen.includes(v)) continue;
      problems.push({
        file,
        path: `${section.id}.${field.id}`,
        message: `"${v}" is not one of your ${field.choicesFrom} (${chosen.join(', ')})`,
        hint: `add ${v} to ${field.choicesFrom}, or name one of them`,
      });
    }
  }
  return problems;
}

/** Whether a field must be present when its section is. */
export function isRequiredField(section: SectionRule, field: FieldRule): boolean {
  if (field.derive) return false;
  if (field.required !== undefined) return field.required;
  // Ceiling, indicator and anti-indicator answers change the verdict, so a silent
  // default could hide a typo: they must be answered unless the rule set derives them.
  return section.role !== undefined;
}

/** Omitted answers the rule set would derive, but whose inputs are missing too. */
export function underivableOmissions(data: Record<string, unknown>, rules: RuleSet, file: string | undefined): Problem[] {
  const problems: Problem[] = [];
  for (const { section, field, requires, any } of planFor(rules).derivable) {
    const answers = data[section.id];
    if (!answers || typeof answers !== 'object') continue;
    if ((answers as Record<string, unknown>)[field.id] !== undefined) continue;
    let missing: string[] | undefined;
    for (const r of requires) if (valueAt(data, r.keys) === undefined) (missing ??= []).push(r.path);
    if (missing && (!any || missing.length === requires.length)) {
      problems.push({
        file,
        path: `${section.id}.${field.id}`,
        message: `missing; expected true or false`,
        hint: `answer it, or give ${missing.join(any ? ' or ' : ' and ')} so it can be derived`,
      });
    }
  }
  return problems;
}

/** Whether answerProblems() would find nothing: the check alone, without zod or messages. */
export function answersAreValid(data: unknown, rules: RuleSet, options: SchemaOptions = {}): boolean {
  if (!conformsToSchema(data, rules, options)) return false;
  if (choicesNotChosen(data as Record<string, unknown>, rules, undefined).length) return false;
  return Boolean(options.partial) || underivableOmissions(data as Record<string, unknown>, rules, undefined).length === 0;
}
