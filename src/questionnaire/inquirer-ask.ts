// The real prompts: the only module that imports the prompt library, and each prompt only
// when a question first needs it, so no other path pays for loading it. The prompts come
// from their own packages (@inquirer/input, select, checkbox), not @inquirer/prompts,
// which would also load the editor prompt and its encoding detection, never used here.
import { Interrupted } from '../cli/io';
import { formatScalar } from '../engine/conditions';
import { stripTerminalControls } from '../util/sanitize';
import type { Ask, AskContext } from './flow';
import { progressLabel, wrapText, type Question, type QuestionValue } from './questions';

interface Prompts {
  input: typeof import('@inquirer/input').default;
  select: typeof import('@inquirer/select').default;
  checkbox: typeof import('@inquirer/checkbox').default;
}
const PROMPT_MODULES: { [K in keyof Prompts]: () => Promise<{ default: Prompts[K] }> } = {
  input: () => import('@inquirer/input'),
  select: () => import('@inquirer/select'),
  checkbox: () => import('@inquirer/checkbox'),
};

export interface InquirerAskOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream & { columns?: number; rows?: number };
  /** Aborting it ends the current prompt (and any later one) with `Interrupted`. */
  signal?: AbortSignal;
  color?: boolean;
  /** For tests: the prompt functions to use instead of importing the prompt packages. */
  prompts?: Pick<Prompts, 'input' | 'select' | 'checkbox'>;
}

const HELP = Symbol('help');
const HELP_MARK = '\u200b';

interface Paint {
  bold: (s: string) => string;
  dim: (s: string) => string;
  red: (s: string) => string;
  cyan: (s: string) => string;
}

function paint(color: boolean): Paint {
  const sgr = (open: number, close: number) => (s: string) => (color ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), cyan: sgr(36, 39) };
}

/** Inquirer's ways of saying "the user left": Ctrl-C, a closed terminal, an abort. */
export function isPromptExit(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError';
}

/** Parses what a person types for a number: "10000", "10,000", "10_000", "10 000", "1.5". */
export function parseNumber(text: string): number | undefined {
  const cleaned = text.trim().replace(/(?<=\d)[,_ ](?=\d{3}(\D|$))/g, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return undefined;
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : undefined;
}

/** Why a typed number is not acceptable, or true. Empty is fine for optional questions. */
export function validateNumberText(q: Question, text: string): string | true {
  if (text.trim() === '') return q.required ? 'An answer is needed here: type a number.' : true;
  const n = parseNumber(text);
  if (n === undefined) return `"${stripTerminalControls(text.trim()).slice(0, 20)}" is not a number: type digits, e.g. 1000${q.required ? '' : ', or leave it empty'}.`;
  if (q.kind === 'integer' && !Number.isInteger(n)) return 'Type a whole number.';
  if ((q.min !== undefined && n < q.min) || (q.max !== undefined && n > q.max)) {
    if (q.min !== undefined && q.max !== undefined) return `Type a number from ${formatScalar(q.min)} to ${formatScalar(q.max)}.`;
    return q.min !== undefined ? `Type a number of at least ${formatScalar(q.min)}.` : `Type a number of at most ${formatScalar(q.max)}.`;
  }
  return true;
}

export function validateText(q: Question, text: string): string | true {
  const value = stripTerminalControls(text).trim();
  if (!value) return q.required ? 'An answer is needed here.' : true;
  if (q.minLength !== undefined && value.length < q.minLength) return `Type at least ${q.minLength} characters.`;
  if (q.maxLength !== undefined && value.length > q.maxLength) return `That is ${value.length} characters; at most ${q.maxLength} fit.`;
  return true;
}

/** An `ask` that shows real prompts on the given terminal streams. */
export function createInquirerAsk(options: InquirerAskOptions): Ask {
  const p = paint(options.color !== false);
  const context = { input: options.input, output: options.output, ...(options.signal ? { signal: options.signal } : {}) };
  const width = () => Math.max(40, Math.min(options.output.columns || 80, 100));
  const pageSize = (n: number) => Math.max(5, Math.min(n, (options.output.rows || 24) - 8));

  const theme = (q: Question, ctx: AskContext) => {
    const where = ctx.editing ? 'Change your answer' : q.path.startsWith('@') ? '' : progressLabel(q);
    const typing = q.kind === 'text' || q.kind === 'number' || q.kind === 'integer';
    const helpTip = q.help && typing ? 'Type ? for help.' : '';
    const hint = [q.hint ? stripTerminalControls(q.hint) : '', helpTip].filter(Boolean).join(' ');
    return {
      style: {
        message: (text: string, status: string) => {
          if (status === 'done') return p.bold(text);
          const lines: string[] = [];
          if (where) lines.push(p.dim(where));
          // Where one types, the question sits last, next to the cursor.
          const hintLines = hint ? [p.dim(wrapText(hint, width() - 2))] : [];
          if (typing) lines.push(...hintLines, p.bold(text));
          else lines.push(p.bold(text), ...hintLines);
          return lines.join('\n').replace(/\n/g, '\n  ');
        },
        error: (text: string) => (text.startsWith(HELP_MARK) ? p.cyan(wrapText(text.slice(1), width(), '  ')) : p.red(`> ${text}`)),
      },
    };
  };

  const loaded: Partial<Prompts> = { ...options.prompts };
  const load = async <K extends keyof Prompts>(name: K): Promise<Pick<Prompts, K>> => {
    loaded[name] ??= (await PROMPT_MODULES[name]()).default;
    return loaded as Pick<Prompts, K>;
  };

  const yesNo = async (q: Question, ctx: AskContext, defaultValue: QuestionValue): Promise<boolean> => {
    const { select } = await load('select');
    for (;;) {
      const choices: { value: boolean | typeof HELP; name: string; short?: string }[] = [
        { value: true, name: 'Yes' },
        { value: false, name: 'No' },
      ];
      if (q.help) choices.push({ value: HELP, name: '? What does this mean?', short: 'explained below' });
      const answer = await select({ message: stripTerminalControls(q.message), choices, default: typeof defaultValue === 'boolean' ? defaultValue : false, theme: theme(q, ctx) }, context);
      if (answer !== HELP) return answer;
      options.output.write(`${p.cyan(wrapText(stripTerminalControls(q.help!), width(), '  '))}\n`);
    }
  };

  const typed = async (q: Question, ctx: AskContext, defaultValue: QuestionValue): Promise<QuestionValue> => {
    const { input } = await load('input');
    const numeric = q.kind === 'number' || q.kind === 'integer';
    const help = q.help ? stripTerminalControls(q.help) : undefined;
    const text = await input(
      {
        message: stripTerminalControls(q.message),
        ...(defaultValue !== undefined && defaultValue !== '' ? { default: typeof defaultValue === 'number' ? String(defaultValue) : stripTerminalControls(String(defaultValue)) } : {}),
        validate: (value: string) => {
          if (help && value.trim() === '?') return `${HELP_MARK}${help}`;
          return numeric ? validateNumberText(q, value) : validateText(q, value);
        },
        transformer: (value: string, { isFinal }: { isFinal: boolean }) => (isFinal && value.trim() === '' ? p.dim('(left empty)') : stripTerminalControls(value)),
        theme: theme(q, ctx),
      },
      context,
    );
    if (numeric) return text.trim() === '' ? undefined : parseNumber(text);
    const value = stripTerminalControls(text).trim();
    return value === '' ? undefined : value;
  };

  return async (q: Question, ctx: AskContext): Promise<QuestionValue> => {
    if (options.signal?.aborted) throw new Interrupted();
    const defaultValue = q.default;
    try {
      switch (q.kind) {
        case 'boolean':
        case 'offer':
          return await yesNo(q, ctx, defaultValue);
        case 'text':
        case 'number':
        case 'integer':
          return await typed(q, ctx, defaultValue);
        case 'multiselect': {
          const { checkbox } = await load('checkbox');
          const chosen = new Set(Array.isArray(defaultValue) ? defaultValue : []);
          const min = q.minItems ?? 0;
          return await checkbox(
            {
              message: stripTerminalControls(q.message),
              choices: (q.choices ?? []).map((c) => ({
                value: String(c.value),
                name: stripTerminalControls(c.label),
                ...(c.hint ? { description: stripTerminalControls(c.hint) } : {}),
                checked: chosen.has(String(c.value)),
              })),
              pageSize: pageSize((q.choices ?? []).length),
              shortcuts: { all: null, invert: null },
              validate: (selected: readonly unknown[]) => selected.length >= min || `Pick at least ${min === 1 ? 'one' : min}: move with ↑↓, press Space to select, then Enter.`,
              theme: theme(q, ctx),
            },
            context,
          );
        }
        case 'select': {
          const { select } = await load('select');
          const choices = (q.choices ?? []).map((c) => ({ value: c.value, name: stripTerminalControls(c.label), ...(c.hint ? { description: stripTerminalControls(c.hint) } : {}) }));
          return await select(
            {
              message: stripTerminalControls(q.message),
              choices,
              ...(defaultValue !== undefined ? { default: defaultValue } : {}),
              pageSize: pageSize(choices.length),
              theme: theme(q, ctx),
            },
            context,
          );
        }
      }
    } catch (error) {
      if (isPromptExit(error)) throw new Interrupted();
      throw error;
    }
  };
}
