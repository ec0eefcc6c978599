// Errors a person can act on. Every problem with input names the file, the dot path,
// what was expected and, where we can guess, a hint. The CLI turns them into exit 2.

export interface Problem {
  /** The file the problem is in, as the user named it ("-" or "<stdin>" for standard input). */
  file?: string;
  /** Dot path inside the document, e.g. `indicators.brandVoise`; empty for the whole document. */
  path?: string;
  /** What is wrong and what was expected. */
  message: string;
  /** A suggestion, e.g. "did you mean brandVoice?". */
  hint?: string;
  line?: number;
  column?: number;
}

/**
 * The built CLI is several bundles (the start-up bundle, the program, the evidence
 * readers), each with its own copy of these classes. An error thrown in one and caught in
 * another must still be known for what it is, so `instanceof` reads a brand that every
 * copy shares (Symbol.for) instead of the prototype chain.
 */
const INPUT_ERROR = Symbol.for('ft-advisor.InputError');
const USAGE_ERROR = Symbol.for('ft-advisor.UsageError');
const branded = (value: unknown, brand: symbol): boolean => typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;

export class InputError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem | Problem[]) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.map(formatProblem).join('\n'));
    this.name = 'InputError';
    this.problems = list;
    (this as unknown as Record<symbol, boolean>)[INPUT_ERROR] = true;
  }
  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, INPUT_ERROR);
  }
}

/** Bad command-line usage: unknown flag values, missing arguments. Also exit 2. */
export class UsageError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'UsageError';
    this.hint = hint;
    (this as unknown as Record<symbol, boolean>)[USAGE_ERROR] = true;
  }
  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, USAGE_ERROR);
  }
}

export function formatProblem(p: Problem): string {
  let where = p.file ?? '';
  if (p.line !== undefined) where += `:${p.line}${p.column !== undefined ? `:${p.column}` : ''}`;
  const head = [where, p.path].filter(Boolean).join(': ');
  let text = head ? `${head}: ${p.message}` : p.message;
  // A hint in parentheses, unless it has its own: a question such as "Have you put worked
  // examples (few-shot) in the prompt?" would end the line in "?)" and ")?)".
  if (p.hint) text += /[()]/.test(p.hint) ? ` - ${p.hint}` : ` (${p.hint})`;
  return text;
}

export function joinPath(parts: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

/** The same problem reported twice (by two checks) is listed once. */
export function dedupeProblems(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
