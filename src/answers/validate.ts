// Turns parsed data into answers, or into a list of problems a person can fix:
// each names the file, the dot path, what was expected and, for typos, the likely key.
import type { RuleSet, SectionRule } from '../rules/schema';
import { dedupeProblems, InputError, joinPath, type Problem } from '../util/errors';
import { valueAt } from '../util/paths';
import { didYouMean } from '../util/suggest';
import { choiceOptions } from './choices';
import { choicesNotChosen, conformsToSchema, underivableOmissions } from './conforms';
import { buildAnswersSchema, type Answers, type SchemaOptions } from './schema';
import { formatNumber } from '../util/format';

export interface ValidateOptions extends SchemaOptions {
  file?: string;
}

interface ZodIssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  keys?: string[];
  values?: unknown[];
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  origin?: string;
  errors?: ZodIssueLike[][];
}

export function validateAnswers(data: unknown, rules: RuleSet, options: ValidateOptions = {}): Answers {
  const problems = answerProblems(data, rules, options);
  if (problems.length) throw new InputError(problems);
  return data as Answers;
}

export function answerProblems(data: unknown, rules: RuleSet, options: ValidateOptions = {}): Problem[] {
  const file = options.file;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return [{ file, message: `expected a mapping of answers (version, useCase, needs, ceiling, ...), got ${describeValue(data)}` }];
  }
  const other = notAnswers(data as Record<string, unknown>);
  if (other) return [{ file, ...other }];
  const problems: Problem[] = [];
  const result = conformsToSchema(data, rules, options) ? { success: true as const } : buildAnswersSchema(rules, options).safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues as unknown as ZodIssueLike[]) {
      problems.push(...issueToProblems(issue, data as Record<string, unknown>, rules, file));
    }
  }
  if (!problems.length) problems.push(...choicesNotChosen(data as Record<string, unknown>, rules, file));
  if (!options.partial) problems.push(...underivableOmissions(data as Record<string, unknown>, rules, file));
  return dedupeProblems(withoutTypoEchoes(problems));
}

/**
 * A misspelt key shows up twice: as an unknown key and as the missing key it was
 * meant to be. Report it once, as the typo, since that is what the user must fix.
 */
function withoutTypoEchoes(problems: Problem[]): Problem[] {
  const meant = new Set<string>();
  for (const p of problems) {
    const match = p.message.startsWith('unknown key') ? /^did you mean (.+)\?$/.exec(p.hint ?? '') : null;
    if (!match || !p.path) continue;
    const parent = p.path.includes('.') ? p.path.slice(0, p.path.lastIndexOf('.') + 1) : '';
    meant.add(`${parent}${match[1]}`);
  }
  return problems.filter((p) => !(p.message.startsWith('missing') && p.path !== undefined && meant.has(p.path)));
}

function issueToProblems(issue: ZodIssueLike, data: Record<string, unknown>, rules: RuleSet, file: string | undefined): Problem[] {
  const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
  const at = joinPath(path);
  const value = valueAt(data, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return (issue.keys ?? []).map((key) => {
        const known = knownKeys(rules, path);
        return {
          file,
          path: joinPath([...path, key]),
          message: `unknown key${known.length ? `; expected one of: ${known.join(', ')}` : ''}`,
          hint: didYouMean(key, known),
        };
      });
    case 'invalid_type': {
      if (value === undefined) {
        return [{ file, path: at, message: `missing; expected ${expectedFor(rules, path, issue.expected)}`, hint: missingHint(rules, path) }];
      }
      if (issue.expected === 'int') {
        return [{ file, path: at, message: `expected a whole number, got ${describeValue(value)}` }];
      }
      return [{ file, path: at, message: `expected ${expectedFor(rules, path, issue.expected)}, got ${describeValue(value)}`, hint: coercionHint(value, issue.expected) }];
    }
    case 'invalid_value':
    case 'invalid_union': {
      const allowed = allowedValues(issue);
      if (path.length === 1 && path[0] === 'version') {
        return [{ file, path: at, message: `expected 1 (answers format version 1), got ${describeValue(value)}` }];
      }
      if (allowed.length) {
        return [
          {
            file,
            path: at,
            message: `expected one of: ${allowed.join(', ')}; got ${describeValue(value)}`,
            hint: typeof value === 'string' ? didYouMean(value, allowed.map(String)) : undefined,
          },
        ];
      }
      return [{ file, path: at, message: `${issue.message}; got ${describeValue(value)}` }];
    }
    case 'too_small':
    case 'too_big': {
      const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      if (issue.origin === 'array') {
        return [{ file, path: at, message: `expected at least ${bound} item${bound === 1 ? '' : 's'}`, hint: path[0] === 'needs' ? `choose from: ${knownKeys(rules, path).join(', ')}` : undefined }];
      }
      if (issue.origin === 'string') {
        return [{ file, path: at, message: issue.code === 'too_small' ? `must not be empty (at least ${bound} character${bound === 1 ? '' : 's'})` : `is too long: at most ${bound} characters` }];
      }
      const cmp = issue.code === 'too_small' ? (issue.inclusive === false ? '>' : '≥') : issue.inclusive === false ? '<' : '≤';
      return [{ file, path: at, message: `must be ${cmp} ${formatNumber(bound)}, got ${describeValue(value)}` }];
    }
    default:
      return [{ file, path: at, message: `${issue.message}; got ${describeValue(value)}` }];
  }
}

function allowedValues(issue: ZodIssueLike): unknown[] {
  if (issue.values) return issue.values;
  if (issue.errors) {
    return issue.errors.flatMap((branch) => branch.flatMap((i) => i.values ?? []));
  }
  return [];
}

function knownKeys(rules: RuleSet, path: ReadonlyArray<string | number>): string[] {
  if (path.length === 0) return ['version', ...rules.sections.map((s) => s.id)];
  const section = rules.sections.find((s) => s.id === path[0]);
  if (!section) return [];
  if (section.kind === 'choices') return (section.choices ?? []).map((c) => c.id);
  return (section.fields ?? []).map((f) => f.id);
}

function fieldAt(rules: RuleSet, path: ReadonlyArray<string | number>): { section?: SectionRule; field?: SectionRule['fields'] extends (infer F)[] | undefined ? F : never } {
  const section = rules.sections.find((s) => s.id === path[0]);
  const field = section?.fields?.find((f) => f.id === path[1]);
  return { section, field };
}

function expectedFor(rules: RuleSet, path: ReadonlyArray<string | number>, zodExpected: string | undefined): string {
  if (path.length === 1 && path[0] === 'version') return '1 (answers format version 1)';
  const { section, field } = fieldAt(rules, path);
  if (path.length === 1 && section) {
    return section.kind === 'choices' ? `a list of: ${knownKeys(rules, path).join(', ')}` : `a mapping with ${knownKeys(rules, path).join(', ')}`;
  }
  if (field) {
    switch (field.type) {
      case 'boolean':
        return 'true or false';
      case 'integer':
        return `a whole number${rangeText(field.min, field.max)}`;
      case 'number':
        return `a number${rangeText(field.min, field.max)}`;
      case 'text':
        return 'text';
      case 'score':
        return `one of ${Object.keys(field.levels ?? {}).join(', ')}`;
      case 'choice':
        return `one of your ${field.choicesFrom}: ${choiceOptions(rules, field).join(', ')}`;
    }
  }
  return zodExpected === 'object' ? 'a mapping' : (zodExpected ?? 'a value');
}

function rangeText(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return ` from ${formatNumber(min)} to ${formatNumber(max)}`;
  if (min !== undefined) return ` ≥ ${min}`;
  return '';
}

function missingHint(rules: RuleSet, path: ReadonlyArray<string | number>): string | undefined {
  const { section, field } = fieldAt(rules, path);
  if (field) return field.prompt;
  if (section) return section.prompt ?? section.intro;
  return undefined;
}

function coercionHint(value: unknown, expected: string | undefined): string | undefined {
  if (expected === 'boolean' && typeof value === 'string' && /^(yes|no|y|n|true|false|on|off)$/i.test(value)) {
    return `write true or false without quotes`;
  }
  if (expected === 'number' && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value.replace(/[,_]/g, '')))) {
    return `write the number without quotes or separators`;
  }
  return undefined;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `the text ${JSON.stringify(shown)}`;
  }
  return `${typeof value} ${String(value)}`;
}

/**
 * A document that is plainly something else ft-advisor reads or writes: a report (from
 * `assess --format json`, or a decision record) or a JSON Schema (from `schema answers`).
 * One problem that says so beats a list of every answer it lacks.
 */
export function notAnswers(data: Record<string, unknown>): Omit<Problem, 'file'> | undefined {
  if ('version' in data) return undefined;
  if ('schemaVersion' in data && 'recommendation' in data) {
    return {
      message: 'this is a report, not answers (it has schemaVersion and recommendation); expected an answers document (version, useCase, needs, ...)',
      hint: 'assess the answers the report was made from; ft-advisor diff compares two reports',
    };
  }
  if (typeof data.$schema === 'string' && /json-schema\.org/.test(data.$schema)) {
    return {
      message: 'this is a JSON Schema, not answers; expected an answers document (version, useCase, needs, ...)',
      hint: 'point your editor at the schema; ft-advisor init answers.yaml writes an answers template',
    };
  }
  return undefined;
}
