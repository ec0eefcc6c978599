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
  answeredPaths,
  derivationNotice,
  formatAnswer,
  metaQuestion,
  partialFacts,
  planQuestions,
  sectionApplies,
  type PartialAnswers,
  type PlanItem,
  type Question,
  type QuestionnaireState,
  type QuestionValue,
  wrapText,
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
  /** Terminal width for wrapping section introductions (default 80). */
  width?: number;
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

export type FlowResult = { status: 'completed'; answers: Answers; draft: Draft; asked: string[] } | { status: 'interrupted'; draft: Draft; saved: boolean; asked: string[]; saveError?: unknown };

export const REVIEW_PATH = '@review';
export const REVIEW_DONE = '@done';
export const REVIEW_CHANGE = '@change';
export const CHANGE_PATH = '@change';
export const CHANGE_BACK = '@back';

export async function runQuestionnaire(options: FlowOptions): Promise<FlowResult> {
  const { rules, ask } = options;
  const print = options.print ?? (() => undefined);
  const style = options.style ?? PLAIN;
  const scope = options.scope ?? 'all';
  const width = Math.max(40, Math.min(options.width ?? 80, 100));
  const state: QuestionnaireState = {
    answers: { ...structuredClone(options.answers ?? {}), version: 1 },
    skipped: new Set(options.skipped ?? []),
  };
  /** Paths answered in this session, in order (edits included). */
  const asked: string[] = [];
  const announced = new Map<string, string>();
  let lastHeader: string | undefined;
  const given = new Set(Object.keys(options.answers ?? {}));
  const answeredBefore = scope === 'missing' ? answeredPaths(rules, options.answers ?? {}) : undefined;
  const plan = () => planQuestions(rules, state, { scope, given, ...(answeredBefore ? { answeredBefore } : {}) });
  const draft = (): Draft => ({ answers: cleanAnswers(rules, state.answers), skipped: [...state.skipped] });

  let offered = false;
  const header = (q: Question) => {
    const id = q.kind === 'offer' ? '@optional' : q.section.id;
    if (lastHeader === id) return;
    lastHeader = id;
    if (q.kind === 'offer') {
      if (!offered) print(`\n${style.bold('Optional sections')} ${style.dim('· more detail in the report; Enter skips')}`);
      offered = true;
      return;
    }
    const intro = q.section.intro ? `\n${style.dim(wrapText(stripTerminalControls(q.section.intro), width))}` : '';
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
        print(reviewText(items, style, width));
        const choice = await ask(reviewQuestion(), { answers: state.answers, editing: false });
        if (choice === REVIEW_DONE) break;
        const path = await ask(changeQuestion(items), { answers: state.answers, editing: false });
        if (path === CHANGE_BACK) continue;
        const item = items.find((i) => i.question.path === path && i.status !== 'derived');
        if (!item) throw new Error(`questionnaire: ${JSON.stringify(path)} is not an answer that can be changed`);
        const current = item.status === 'answered' ? item.value : item.question.default;
        const q: Question = { ...item.question, ...(current !== undefined ? { default: current } : {}) };
        const value = await ask(q, { answers: state.answers, editing: true });
        apply(state, q, value);
        asked.push(q.path);
        normalize(rules, state);
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
  const section = isMapping(answers[sectionId]) ? answers[sectionId] : (answers[sectionId] = {} as Record<string, unknown>);
  if (value === undefined || value === '') {
    delete section[fieldId];
    skipped.add(q.path);
  } else {
    section[fieldId] = value;
    skipped.delete(q.path);
  }
}

/**
 * After a change in the review: answers to sections that no longer apply are dropped.
 * An answer the person gave is never dropped or replaced by a derivation: a derivation
 * only fills a question left unanswered, as when a file is loaded.
 */
function normalize(rules: RuleSet, state: QuestionnaireState): void {
  const facts = partialFacts(rules, state.answers);
  for (const section of rules.sections) {
    if (!sectionApplies(section, facts)) delete state.answers[section.id];
  }
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function shownValue(item: PlanItem): string {
  if (item.status === 'derived') return `${item.derivation!.value ? 'yes' : 'no'} (derived: ${stripTerminalControls(item.derivation!.because)})`;
  if (item.question.kind === 'offer') return item.status === 'answered' ? 'included' : 'not included';
  if (item.status === 'skipped') return '—';
  if (item.status === 'pending') return '?';
  return formatAnswer(item.question, item.value);
}

/** All answers at once, grouped by section; declined optional sections on one line. */
export function reviewText(items: PlanItem[], style: Style = PLAIN, columns = 80): string {
  const declined = items.filter((i) => i.question.kind === 'offer' && i.status !== 'answered');
  const rows = items.filter((i) => i.question.kind !== 'offer');
  const labels = [...rows.map((i) => labelOf(i).length + (standalone(i) ? 0 : 2)), declined.length ? 'Not included'.length : 0];
  const width = Math.min(40, Math.max(...labels));
  const lines = [`\n${style.bold('── Your answers ──')}`];
  let section: string | undefined;
  for (const item of rows) {
    const q = item.question;
    if (!standalone(item) && section !== q.section.id) {
      section = q.section.id;
      lines.push(style.bold(q.section.title));
    } else if (standalone(item)) section = undefined;
    const label = standalone(item) ? style.bold(labelOf(item).padEnd(width)) : `  ${labelOf(item)}`.padEnd(width);
    const value = item.status === 'derived' ? `${item.derivation!.value ? 'yes' : 'no'} (derived from ${item.derivation!.requires.join(', ')})` : shownValue(item);
    const line = `${label}  ${value}`;
    lines.push(item.status === 'derived' || item.status === 'skipped' ? style.dim(line) : line);
  }
  if (declined.length) {
    const list = wrapText(declined.map(labelOf).join(', '), Math.max(width + 22, columns), ' '.repeat(width + 2)).trimStart();
    lines.push(style.dim(`${'Not included'.padEnd(width)}  ${list}`));
  }
  return lines.join('\n');
}

/** Questions that are a section on their own: the needs, and the offers. */
function standalone(item: PlanItem): boolean {
  return item.question.kind === 'multiselect' || item.question.kind === 'offer';
}

function labelOf(item: PlanItem): string {
  return stripTerminalControls(item.question.label);
}

function menu(path: string, message: string, hint: string, choices: { value: string; label: string }[]): Question {
  return metaQuestion(path, 'select', message, { hint, default: choices[0]!.value, choices });
}

/** After the answers are shown: finish, or change one. */
export function reviewQuestion(): Question {
  return menu(REVIEW_PATH, 'Are these answers right?', 'Derived answers change with what they are derived from.', [
    { value: REVIEW_DONE, label: 'Yes, show the verdict' },
    { value: REVIEW_CHANGE, label: 'Change an answer' },
  ]);
}

/** Which answer to change: every answered, skipped or declined question (not derived ones). */
export function changeQuestion(items: PlanItem[]): Question {
  const editable = items.filter((i) => i.status !== 'derived');
  return menu(CHANGE_PATH, 'Which answer?', 'Type the first letters to jump.', [
    ...editable.map((i) => ({
      value: i.question.path,
      label: `${standalone(i) ? '' : `${i.question.section.title} › `}${labelOf(i)}: ${truncate(shownValue(i), 40)}`,
    })),
    { value: CHANGE_BACK, label: '← Back' },
  ]);
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
