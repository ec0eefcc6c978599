// The questionnaire as data: which questions a rule set asks, in which order, and which
// of them are answered, skipped, derived or still to come for a given set of answers.
// Pure: no prompt library, no IO. Everything about a question (wording, hints, help,
// choices, ranges, defaults) comes from the rule set, so a question added to the YAML
// is asked without a code change.
import { canDerive } from '../rules/derive';
import { wrapToWidth } from '../util/wrap';
import { isRequiredField, type Answers } from '../answers/schema';
import { evaluate, factsOf, formatScalar, type FactValue } from '../engine/conditions';
import { baseFacts, type FactMap } from '../engine/facts';
import { interpolate } from '../engine/template';
import type { FieldRule, RuleSet, SectionRule } from '../rules/schema';
import { stripTerminalControls } from '../util/sanitize';

export type QuestionKind = 'text' | 'boolean' | 'number' | 'integer' | 'multiselect' | 'select' | 'offer';
export type QuestionValue = string | number | boolean | string[] | undefined;

export interface QuestionChoice {
  value: string | number;
  label: string;
  hint?: string;
  help?: string;
}

export interface Question {
  /**
   * What the answer sets: `section.field` for a field, the section id for the needs
   * (multi-select) and for an optional section's offer. Questions that are not about the
   * rule set (review, saving) start with "@".
   */
  path: string;
  kind: QuestionKind;
  /** The short name used in reviews and notices, e.g. "Brand voice". */
  label: string;
  message: string;
  hint?: string;
  help?: string;
  default?: QuestionValue;
  choices?: QuestionChoice[];
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  /** False when an empty answer is allowed (it leaves the key out). */
  required: boolean;
  section: { id: string; title: string; intro?: string; optional: boolean };
  /** Position within the section (1-based), counting the questions a person answers. */
  index: number;
  total: number;
  /**
   * Position among the questions of this run as it stands now (0: not counted). Grows when
   * an offer is accepted; leaves out what a partial file (--ask-missing) already answered.
   */
  overall: { index: number; total: number };
}

/** Answers as they build up: any section may still be missing. */
export type PartialAnswers = Record<string, unknown> & { version?: 1 };

export interface QuestionnaireState {
  answers: PartialAnswers;
  /** Paths left empty on purpose (optional fields) and sections whose offer was declined. */
  skipped: Set<string>;
}

export type ItemStatus = 'pending' | 'answered' | 'skipped' | 'derived';

export interface PlanItem {
  question: Question;
  status: ItemStatus;
  /** The current answer, when there is one. */
  value?: QuestionValue;
  /** For status "derived": the value the engine will derive, and why. */
  derivation?: { value: boolean; because: string; requires: string[] };
}

export interface PlanOptions {
  /**
   * "all": the whole questionnaire. "missing" (`--ask-missing`): only what the answers
   * leave out: sections they do not give (optional ones are not offered), and in the
   * sections they give, the questions a complete answers file must answer.
   */
  scope?: 'all' | 'missing';
  /** With scope "missing": the sections the file gave (default: those in the answers). */
  given?: ReadonlySet<string>;
  /** Question paths answered before this session (by a partial file): not counted in the overall progress. */
  answeredBefore?: ReadonlySet<string>;
}

/** Whether a complete answers file must answer the field (or make it derivable). */
function neededForValidity(section: SectionRule, field: FieldRule): boolean {
  return isRequiredField(section, field) || (field.derive !== undefined && section.role !== undefined);
}

/** Section ids a section depends on: the facts of its `askWhen` and its fields' `derive.requires`. */
function sectionDependencies(section: SectionRule): string[] {
  const paths = [...factsOf(section.askWhen).map((t) => t.fact), ...(section.fields ?? []).flatMap((f) => f.derive?.requires ?? [])];
  return [...new Set(paths.map((p) => p.split('.')[0]!))].filter((id) => id !== section.id);
}

/**
 * The order sections are asked in: the rule set's order, except that a section whose
 * fields can be derived from another (required or always-asked) section's answers comes
 * after that section, so the derivable question need not be asked. Optional sections
 * keep their place: they are offered, and their answers derive what they can when given.
 */
export function sectionOrder(rules: RuleSet): SectionRule[] {
  const byId = new Map(rules.sections.map((s) => [s.id, s]));
  const done = new Set<string>();
  const out: SectionRule[] = [];
  const visit = (section: SectionRule, stack: Set<string>) => {
    if (done.has(section.id) || stack.has(section.id)) return;
    stack.add(section.id);
    for (const dep of sectionDependencies(section)) {
      const target = byId.get(dep);
      if (target && !target.optional) visit(target, stack);
    }
    done.add(section.id);
    out.push(section);
  };
  for (const section of rules.sections) visit(section, new Set());
  return out;
}

function sectionAnswersOf(answers: PartialAnswers, id: string): Record<string, unknown> | undefined {
  const v = answers[id];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Facts from answers that may be incomplete. */
export function partialFacts(rules: RuleSet, answers: PartialAnswers): FactMap {
  return baseFacts(rules, answers as Answers);
}

/** Whether a section applies: its `askWhen` holds for the answers so far (no condition: always). */
export function sectionApplies(section: SectionRule, facts: FactMap): boolean {
  return section.askWhen === undefined || evaluate(section.askWhen, facts);
}

function fieldKind(field: FieldRule): QuestionKind {
  switch (field.type) {
    case 'score':
    case 'choice':
      return 'select';
    default:
      return field.type;
  }
}

function scoreChoices(field: FieldRule): QuestionChoice[] {
  const levels = field.levels ?? { 5: '', 3: '', 1: '' };
  return Object.entries(levels)
    .map(([level, text]) => ({ value: Number(level), label: text ? `${level} · ${text}` : level }))
    .sort((a, b) => b.value - a.value);
}

/** A question before it is numbered. */
export type QuestionBase = Omit<Question, 'index' | 'total' | 'overall'>;

function sectionInfo(section: SectionRule): Question['section'] {
  return { id: section.id, title: section.title, ...(section.intro ? { intro: section.intro } : {}), optional: section.optional === true };
}

/** "useCaseName" -> "Use case name": a label for fields the rule set gives none. */
export function labelFromId(id: string): string {
  const words = id
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A `choice` field offers the choices the answers made in the section it names (or all of them). */
function choiceChoices(rules: RuleSet, field: FieldRule, answers: Record<string, unknown> | undefined): QuestionChoice[] {
  const from = rules.sections.find((s) => s.id === field.choicesFrom);
  const chosen = answers?.[field.choicesFrom ?? ''];
  return (from?.choices ?? []).filter((c) => !Array.isArray(chosen) || chosen.includes(c.id)).map((c) => ({ value: c.id, label: c.label }));
}

function fieldQuestion(section: SectionRule, field: FieldRule, rules?: RuleSet, answers?: Record<string, unknown>): QuestionBase {
  const q: QuestionBase = {
    path: `${section.id}.${field.id}`,
    kind: fieldKind(field),
    label: field.label ?? labelFromId(field.id),
    message: field.prompt,
    required: isRequiredField(section, field) || field.type === 'boolean' || field.type === 'score',
    section: sectionInfo(section),
  };
  if (field.hint) q.hint = field.hint;
  if (field.help) q.help = field.help;
  if (field.default !== undefined) q.default = field.default;
  if (field.min !== undefined) q.min = field.min;
  if (field.max !== undefined) q.max = field.max;
  if (field.minLength !== undefined) q.minLength = field.minLength;
  if (field.maxLength !== undefined) q.maxLength = field.maxLength;
  if (field.type === 'score') q.choices = scoreChoices(field);
  if (field.type === 'choice' && rules) q.choices = choiceChoices(rules, field, answers);
  return q;
}

function choicesQuestion(section: SectionRule): QuestionBase {
  const q: QuestionBase = {
    path: section.id,
    kind: 'multiselect',
    label: section.title,
    message: section.prompt ?? section.title,
    required: (section.minItems ?? 1) > 0,
    minItems: section.minItems ?? 1,
    default: [],
    choices: (section.choices ?? []).map((c) => ({ value: c.id, label: c.label, ...(c.hint ? { hint: c.hint } : {}), ...(c.help ? { help: c.help } : {}) })),
    section: sectionInfo(section),
  };
  if (section.hint) q.hint = section.hint;
  return q;
}

function offerQuestion(section: SectionRule): QuestionBase {
  const q: QuestionBase = {
    path: section.id,
    kind: 'offer',
    label: section.title,
    message: section.offer ?? `Add "${section.title}"?`,
    required: true,
    default: false,
    section: sectionInfo(section),
  };
  if (section.intro) q.hint = section.intro;
  return q;
}

/** Every question a rule set can ask, in asking order, regardless of answers (for docs and checks). */
export function allQuestions(rules: RuleSet): QuestionBase[] {
  const out: QuestionBase[] = [];
  for (const section of sectionOrder(rules)) {
    if (section.optional) out.push(offerQuestion(section));
    if (section.kind === 'choices') out.push(choicesQuestion(section));
    else for (const field of section.fields ?? []) out.push(fieldQuestion(section, field, rules));
  }
  return out;
}

function present(v: FactValue): boolean {
  return v !== undefined && v !== null;
}

/**
 * The questionnaire for the answers so far: every question that applies, in asking order,
 * with its status. The flow asks the first pending one, then plans again.
 */
export function planQuestions(rules: RuleSet, state: QuestionnaireState, options: PlanOptions = {}): PlanItem[] {
  const { answers, skipped } = state;
  const facts = partialFacts(rules, answers);
  const items: { draft: QuestionBase; status: ItemStatus; value?: QuestionValue; derivation?: PlanItem['derivation'] }[] = [];

  for (const section of sectionOrder(rules)) {
    if (!sectionApplies(section, facts)) continue;
    const given = sectionAnswersOf(answers, section.id);
    const fromFile = options.given ? options.given.has(section.id) : given !== undefined;
    if (section.optional) {
      if (!fromFile && options.scope === 'missing') continue;
      const offer = offerQuestion(section);
      if (!given) {
        items.push({ draft: offer, status: skipped.has(section.id) ? 'skipped' : 'pending', value: false });
        continue;
      }
      items.push({ draft: offer, status: 'answered', value: true });
    }
    if (section.kind === 'choices') {
      const q = choicesQuestion(section);
      const value = answers[section.id];
      const done = Array.isArray(value) && value.length >= (q.minItems ?? 0);
      items.push({ draft: q, status: done ? 'answered' : 'pending', ...(Array.isArray(value) ? { value: value as string[] } : {}) });
      continue;
    }
    for (const field of section.fields ?? []) {
      const q = fieldQuestion(section, field, rules, answers);
      const value = given?.[field.id];
      // A file that gives a section but leaves out an optional field of it meant to.
      if (options.scope === 'missing' && fromFile && value === undefined && !neededForValidity(section, field)) continue;
      if (value !== undefined) {
        items.push({ draft: q, status: 'answered', value: value as QuestionValue });
        continue;
      }
      if (field.derive && canDerive(field.derive, (p) => present(facts.get(p)))) {
        items.push({
          draft: q,
          status: 'derived',
          derivation: { value: evaluate(field.derive.when, facts), because: interpolate(field.derive.because, facts), requires: field.derive.requires },
        });
        continue;
      }
      items.push({ draft: q, status: skipped.has(q.path) ? 'skipped' : 'pending' });
    }
  }

  // Number what a person answers: derived questions are not counted, nor (overall) the
  // questions a file answered before this session.
  const counted = items.filter((i) => i.status !== 'derived');
  const inSession = counted.filter((i) => !options.answeredBefore?.has(i.draft.path));
  const perSection = new Map<string, number>();
  for (const i of counted) if (i.draft.kind !== 'offer') perSection.set(i.draft.section.id, (perSection.get(i.draft.section.id) ?? 0) + 1);
  const seen = new Map<string, number>();
  let overall = 0;
  return items.map((i) => {
    let index = 0;
    let total = 0;
    let overallIndex = 0;
    if (i.status !== 'derived') {
      if (inSession.includes(i)) overallIndex = ++overall;
      if (i.draft.kind === 'offer') {
        index = 1;
        total = 1;
      } else {
        index = (seen.get(i.draft.section.id) ?? 0) + 1;
        seen.set(i.draft.section.id, index);
        total = perSection.get(i.draft.section.id) ?? 0;
      }
    }
    const question: Question = { ...i.draft, index, total, overall: { index: overallIndex, total: inSession.length } };
    const item: PlanItem = { question, status: i.status };
    if (i.value !== undefined) item.value = i.value;
    if (i.derivation) item.derivation = i.derivation;
    return item;
  });
}

/** The question paths an answers document answers: `section.field`, choice sections and opened optional sections. */
export function answeredPaths(rules: RuleSet, answers: PartialAnswers): Set<string> {
  const out = new Set<string>();
  for (const section of rules.sections) {
    const value = answers[section.id];
    if (Array.isArray(value)) out.add(section.id);
    const given = sectionAnswersOf(answers, section.id);
    if (!given) continue;
    if (section.optional) out.add(section.id);
    for (const field of section.fields ?? []) if (given[field.id] !== undefined) out.add(`${section.id}.${field.id}`);
  }
  return out;
}

/** A question about the run rather than the rule set (review, resume, save): its path starts with "@". */
export function metaQuestion(path: string, kind: QuestionKind, message: string, extra: Partial<Question> = {}): Question {
  return {
    path,
    kind,
    label: message,
    message,
    required: true,
    section: { id: path, title: '', optional: false },
    index: 0,
    total: 0,
    overall: { index: 0, total: 0 },
    ...extra,
  };
}

/** "Indicators · 3 of 6 · question 14 of 32"; an offer says "optional". */
export function progressLabel(q: Question): string {
  const parts = [q.section.title];
  if (q.kind === 'offer') parts.push('optional');
  else if (q.total > 1) parts.push(`${q.index} of ${q.total}`);
  if (q.overall.total > 1 && q.overall.index > 0) parts.push(`question ${q.overall.index} of ${q.overall.total}`);
  return parts.join(' · ');
}

/** An answer as a person reads it: yes/no, numbers grouped, choices by label. */
export function formatAnswer(q: Pick<Question, 'kind' | 'choices'>, value: QuestionValue): string {
  if (value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) {
    const labels = value.map((v) => q.choices?.find((c) => c.value === v)?.label ?? v);
    return labels.length ? stripTerminalControls(labels.join(', ')) : 'none';
  }
  if (typeof value === 'number') {
    if (q.kind === 'select') return q.choices?.find((c) => c.value === value)?.label ?? String(value);
    return formatScalar(value);
  }
  return stripTerminalControls(value);
}

/** "Insufficient data: derived as yes (data.examples is 300, under 1,000)". */
export function derivationNotice(item: PlanItem): string {
  const d = item.derivation!;
  return stripTerminalControls(`${item.question.label}: derived as ${d.value ? 'yes' : 'no'} (${d.because})`);
}

/** Word-wraps plain text to `width` display columns, every line starting with `indent`. */
export function wrapText(text: string, width: number, indent = ''): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat
    ? wrapToWidth(flat, width - indent.length)
        .map((l) => indent + l)
        .join('\n')
    : '';
}
