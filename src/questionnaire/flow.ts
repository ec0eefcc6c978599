// The questionnaire driver: asks, in order, what the rule set asks and the answers so far
// leave open; announces what it derives instead of asking; lets the user review and change
// any answer; and on interruption hands the answers given so far to a draft writer.
// Asking is injected (`ask`), so tests script the whole conversation and the real prompts
// live in one module (inquirer-ask.ts).
import type { Answers } from '../answers/schema';
import { validateAnswers } from '../answers/validate';
import { Interrupted } from '../cli/io';
import type { RuleSet } from '../rules/schema';
import { stripTerminalControls } from '../util/sanitize';
import { cleanAnswers } from './answers-file';
import {
  derivationNotice,
  formatAnswer,
  partialFacts,
  planQuestions,
  sectionApplies,
  type PartialAnswers,
  type PlanItem,
  type Question,
  type QuestionnaireState,
  type QuestionValue,
} from './questions';

export interface AskContext {
  /** The answers so far. Do not modify. */
  readonly answers: Readonly<PartialAnswers>;
  /** True when the question is asked again from the review, with the current answer as default. */
  readonly editing: boolean;
}

/** Asks one question and resolves with the answer; rejects with `Interrupted` on Ctrl-C or a closed terminal. */
export type Ask = (question: Question, context: AskContext) => Promise<QuestionValue>;

export interface Draft {
  answers: PartialAnswers;
  /** Optional questions left empty and offers declined, so a resumed run does not ask them again. */
  skipped: string[];
}

export interface Style {
  bold: (s: string) => string;
  dim: (s: string) => string;
}

const PLAIN: Style = { bold: (s) => s, dim: (s) => s };

export interface FlowOptions {
  rules: RuleSet;
  ask: Ask;
  /** Writes a block of text (no trailing newline) above the next prompt. */
  print?: (text: string) => void;
  style?: Style;
  /** Answers already given: a draft (`--resume`) or a partial file (`--ask-missing`). */
  answers?: PartialAnswers;
  skipped?: Iterable<string>;
  /** "missing": ask only what `answers` leaves out, offering no new optional section. */
  scope?: 'all' | 'missing';
  /** Show the answers and let the user change them before finishing (default true). */
  review?: boolean;
  /** Called with the answers so far when the run is interrupted or fails. */
  saveDraft?: (draft: Draft) => Promise<void>;
}

export type FlowResult =
  | { status: 'completed'; answers: Answers; draft: Draft; asked: string[] }
  | { status: 'interrupted'; draft: Draft; saved: boolean; asked: string[]; saveError?: unknown };

export const REVIEW_PATH = '@review';
export const REVIEW_DONE = '@done';

export async function runQuestionnaire(options: FlowOptions): Promise<FlowResult> {
  const { rules, ask } = options;
  const print = options.print ?? (() => undefined);
  const style = options.style ?? PLAIN;
  const scope = options.scope ?? 'all';
  const state: QuestionnaireState = {
    answers: { ...structuredClone(options.answers ?? {}), version: 1 },
    skipped: new Set(options.skipped ?? []),
  };
  /** Paths answered in this session, in order (edits included). */
  const asked: string[] = [];
  const announced = new Map<string, string>();
  let lastHeader: string | undefined;
  const plan = () => planQuestions(rules, state, { scope });
  const draft = (): Draft => ({ answers: cleanAnswers(rules, state.answers), skipped: [...state.skipped] });

  const header = (q: Question) => {
    const id = q.kind === 'offer' ? '@optional' : q.section.id;
    if (lastHeader === id) return;
    lastHeader = id;
    if (q.kind === 'offer') {
      print(`\n${style.bold('Optional sections')} ${style.dim('· more detail in the report; Enter skips')}`);
      return;
    }
    const intro = q.section.intro ? `\n${style.dim(stripTerminalControls(q.section.intro.trim()))}` : '';
    print(`\n${style.bold(`── ${q.section.title} ──`)}${intro}`);
  };

  const announce = (items: PlanItem[]) => {
    for (const item of items) {
      if (item.status !== 'derived') continue;
      const notice = derivationNotice(item);
      if (announced.get(item.question.path) === notice) continue;
      announced.set(item.question.path, notice);
      if (item.question.kind !== 'offer') header(item.question);
      print(`${style.dim('↳')} ${notice}`);
    }
  };

  const fill = async () => {
    for (;;) {
      const items = plan();
      const at = items.findIndex((i) => i.status === 'pending');
      announce(at === -1 ? items : items.slice(0, at));
      if (at === -1) return;
      const q = items[at]!.question;
      header(q);
      const value = await ask(q, { answers: state.answers, editing: false });
      apply(state, q, value);
      asked.push(q.path);
    }
  };

  try {
    await fill();
    if (options.review !== false) {
      for (;;) {
        const items = plan();
        print(reviewText(items, style));
        const choice = await ask(reviewQuestion(items), { answers: state.answers, editing: false });
        if (choice === REVIEW_DONE) break;
        const item = items.find((i) => i.question.path === choice && i.status !== 'derived');
        if (!item) throw new Error(`the review returned ${JSON.stringify(choice)}, which is not an answer that can be changed`);
        const current = item.status === 'answered' ? item.value : item.question.default;
        const q: Question = { ...item.question, ...(current !== undefined ? { default: current } : {}) };
        const value = await ask(q, { answers: state.answers, editing: true });
        apply(state, q, value);
        asked.push(q.path);
        normalize(rules, state, asked);
        lastHeader = undefined;
        await fill();
      }
    }
    const answers = validateAnswers(cleanAnswers(rules, state.answers), rules);
    return { status: 'completed', answers, draft: draft(), asked };
  } catch (error) {
    // Nothing lost: whatever stopped the run, the answers given so far go to the draft.
    const worthSaving = asked.length > 0 || state.skipped.size > 0 || options.answers !== undefined;
    let saved = false;
    let saveError: unknown;
    if (options.saveDraft && worthSaving) {
      try {
        await options.saveDraft(draft());
        saved = true;
      } catch (e) {
        saveError = e;
      }
    }
    if (error instanceof Interrupted) return { status: 'interrupted', draft: draft(), saved, asked, ...(saveError !== undefined ? { saveError } : {}) };
    throw error;
  }
}

/** Checks what `ask` returned: a scripted or buggy `ask` must not slip a wrong type into the answers. */
export function checkValue(q: Question, value: QuestionValue): string | undefined {
  const got = Array.isArray(value) ? 'a list' : value === undefined ? 'nothing' : `${typeof value} ${JSON.stringify(value)}`;
  const bad = (expected: string) => `${q.path}: expected ${expected}, got ${got}`;
  if (value === undefined) return q.required ? bad('an answer') : undefined;
  switch (q.kind) {
    case 'boolean':
    case 'offer':
      return typeof value === 'boolean' ? undefined : bad('true or false');
    case 'text':
      if (typeof value !== 'string') return bad('text');
      if (q.maxLength !== undefined && value.length > q.maxLength) return bad(`at most ${q.maxLength} characters`);
      if (q.minLength !== undefined && value.length < q.minLength) return bad(`at least ${q.minLength} characters`);
      return undefined;
    case 'number':
    case 'integer':
      if (typeof value !== 'number' || !Number.isFinite(value)) return bad('a number');
      if (q.kind === 'integer' && !Number.isInteger(value)) return bad('a whole number');
      if ((q.min !== undefined && value < q.min) || (q.max !== undefined && value > q.max)) return bad(`a number from ${q.min} to ${q.max}`);
      return undefined;
    case 'multiselect': {
      const ids = new Set((q.choices ?? []).map((c) => c.value));
      if (!Array.isArray(value) || !value.every((v) => ids.has(v))) return bad(`a list of: ${[...ids].join(', ')}`);
      if (value.length < (q.minItems ?? 0)) return bad(`at least ${q.minItems} choice(s)`);
      return undefined;
    }
    case 'select':
      return (q.choices ?? []).some((c) => c.value === value) ? undefined : bad(`one of: ${(q.choices ?? []).map((c) => c.value).join(', ')}`);
  }
}

/** Records an answer. An empty answer to an optional question is remembered as skipped. */
export function apply(state: QuestionnaireState, q: Question, value: QuestionValue): void {
  const problem = checkValue(q, value);
  if (problem) throw new Error(`questionnaire: ${problem}`);
  const { answers, skipped } = state;
  const sectionId = q.section.id;
  if (q.kind === 'offer') {
    if (value === true) {
      if (!isMapping(answers[sectionId])) answers[sectionId] = {};
      skipped.delete(sectionId);
    } else {
      delete answers[sectionId];
      skipped.add(sectionId);
    }
    return;
  }
  if (q.kind === 'multiselect') {
    answers[sectionId] = [...(value as string[])];
    return;
  }
  const fieldId = q.path.slice(sectionId.length + 1);
  const section = isMapping(answers[sectionId]) ? (answers[sectionId] as Record<string, unknown>) : (answers[sectionId] = {} as Record<string, unknown>);
  if (value === undefined || value === '') {
    delete section[fieldId];
    skipped.add(q.path);
  } else {
    section[fieldId] = value;
    skipped.delete(q.path);
  }
}

/**
 * After a change in the review: answers to sections that no longer apply are dropped, and
 * a derivable question answered in this session is left to derivation once what it needs
 * has been given.
 */
function normalize(rules: RuleSet, state: QuestionnaireState, asked: readonly string[]): void {
  const facts = partialFacts(rules, state.answers);
  for (const section of rules.sections) {
    if (!sectionApplies(section, facts)) {
      delete state.answers[section.id];
      continue;
    }
    const given = state.answers[section.id];
    if (!isMapping(given)) continue;
    for (const field of section.fields ?? []) {
      const path = `${section.id}.${field.id}`;
      if (!field.derive || !asked.includes(path)) continue;
      if (field.derive.requires.every((p) => facts.get(p) !== undefined && facts.get(p) !== null)) {
        delete (given as Record<string, unknown>)[field.id];
      }
    }
  }
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function shownValue(item: PlanItem): string {
  if (item.status === 'derived') return `${item.derivation!.value ? 'yes' : 'no'} (derived: ${stripTerminalControls(item.derivation!.because)})`;
  if (item.question.kind === 'offer') return item.status === 'answered' ? 'included' : 'not included';
  if (item.status === 'skipped') return '— (left empty)';
  if (item.status === 'pending') return '?';
  return formatAnswer(item.question, item.value);
}

/** All answers at once, grouped by section. */
export function reviewText(items: PlanItem[], style: Style = PLAIN): string {
  const rows = items.filter((i) => !(i.question.kind === 'offer' && i.status === 'answered'));
  const width = Math.min(34, Math.max(...rows.map((i) => labelOf(i).length)));
  const lines = [`\n${style.bold('── Review your answers ──')}`];
  let section: string | undefined;
  for (const item of rows) {
    const q = item.question;
    const own = q.kind === 'multiselect' || q.kind === 'offer';
    if (!own && section !== q.section.id) {
      section = q.section.id;
      lines.push(style.bold(q.section.title));
    } else if (own) section = undefined;
    const label = labelOf(item);
    const value = shownValue(item);
    const line = own ? `${style.bold(label.padEnd(width + 2))}${value}` : `  ${label.padEnd(width)}${value}`;
    lines.push(item.status === 'derived' || item.status === 'skipped' || (q.kind === 'offer' && item.status !== 'answered') ? style.dim(line) : line);
  }
  return lines.join('\n');
}

function labelOf(item: PlanItem): string {
  return stripTerminalControls(item.question.label);
}

/** The review's menu: finish, or pick an answer to change (derived ones change through what they derive from). */
export function reviewQuestion(items: PlanItem[]): Question {
  const editable = items.filter((i) => i.status !== 'derived');
  return {
    path: REVIEW_PATH,
    kind: 'select',
    label: 'Review',
    message: 'Everything right?',
    hint: 'Enter shows the verdict; pick an answer to change it.',
    required: true,
    default: REVIEW_DONE,
    choices: [
      { value: REVIEW_DONE, label: 'Yes, show the verdict' },
      ...editable.map((i) => ({
        value: i.question.path,
        label: `Change: ${i.question.kind === 'multiselect' || i.question.kind === 'offer' ? '' : `${i.question.section.title} › `}${labelOf(i)} (${truncate(shownValue(i), 40)})`,
      })),
    ],
    section: { id: REVIEW_PATH, title: 'Review', optional: false },
    index: 0,
    total: 0,
    overall: { index: 0, total: 0 },
  };
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
