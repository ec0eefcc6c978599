// Rule texts quote facts as {path}. Plain substitution: no expressions, no code.
// {path|one|many} picks a word by the fact's count instead of quoting it, so a text can
// agree with its numbers: "{n} {n|check is|checks are} open" gives "1 check is open".
import { formatScalar, type Facts, type FactValue } from './conditions';

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_.-]*)(?:\|([^|{}]*)\|([^|{}]*))?\}/g;

/**
 * Replaces each {path} whose fact is known by the fact's value, and leaves the others as
 * written. The same matches as PLACEHOLDER, found with indexOf rather than a regex
 * replace with a callback (several times faster), once per text (compiled).
 */
export function interpolate(text: string, facts: Facts): string {
  // Most texts have no placeholder: one scan, cheaper than the look-up.
  if (text.indexOf('{') === -1) return text;
  const template = compiled(text);
  if (template === NO_PLACEHOLDERS) return text;
  const { literals, paths, forms } = template;
  let out = '';
  let replaced = false;
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i]!;
    const value = facts.get(path);
    const form = forms[i];
    if (value !== undefined || facts.has(path)) {
      out += literals[i] + (form ? (countOf(value) === 1 ? form[0] : form[1]) : formatScalar(value));
      replaced = true;
    } else out += `${literals[i]}{${path}${form ? `|${form[0]}|${form[1]}` : ''}}`;
  }
  return replaced ? out + literals[paths.length] : text;
}

/** A number, or a list's length: what {path|one|many} counts. */
function countOf(value: FactValue): number | undefined {
  return typeof value === 'number' ? value : Array.isArray(value) ? value.length : undefined;
}

/** A text split at its placeholders: literals[i], then paths[i] (or the word forms[i] picks), ..., then the last literal. */
interface Template {
  literals: string[];
  paths: string[];
  forms: ([string, string] | undefined)[];
}
const NO_PLACEHOLDERS: Template = { literals: [], paths: [], forms: [] };
/**
 * Texts come from rule sets, so there are a few hundred of them, each interpolated for
 * every use case: each is split once. The paths are then the same string objects every
 * time, whose hash is worked out once, rather than a fresh slice of the text per lookup.
 * A cap keeps texts that are not from a rule set (there are none today) from growing it.
 */
const templates = new Map<string, Template>();
const TEMPLATES_LIMIT = 10_000;

function compiled(text: string): Template {
  const known = templates.get(text);
  if (known) return known;
  const literals: string[] = [];
  const paths: string[] = [];
  const forms: ([string, string] | undefined)[] = [];
  let copied = 0;
  let open = text.indexOf('{');
  while (open !== -1) {
    const close = placeholderEnd(text, open);
    if (close === -1) {
      open = text.indexOf('{', open + 1);
      continue;
    }
    literals.push(text.slice(copied, open));
    const inner = text.slice(open + 1, close);
    const bar = inner.indexOf('|');
    if (bar === -1) {
      paths.push(inner);
      forms.push(undefined);
    } else {
      const second = inner.indexOf('|', bar + 1);
      paths.push(inner.slice(0, bar));
      forms.push([inner.slice(bar + 1, second), inner.slice(second + 1)]);
    }
    copied = close + 1;
    open = text.indexOf('{', copied);
  }
  literals.push(text.slice(copied));
  const template = paths.length ? { literals, paths, forms } : NO_PLACEHOLDERS;
  if (templates.size >= TEMPLATES_LIMIT) templates.clear();
  templates.set(text, template);
  return template;
}

/** The index of the `}` closing a placeholder opened at `open`, or -1 when none is (PLACEHOLDER's grammar). */
function placeholderEnd(text: string, open: number): number {
  let i = open + 1;
  if (!isLetter(text.charCodeAt(i))) return -1;
  for (i++; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // [A-Za-z0-9_.-]
    if (!(isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45)) break;
  }
  if (text.charCodeAt(i) === 125 /* } */) return i;
  if (text.charCodeAt(i) !== 124 /* | */) return -1;
  // {path|one|many}: exactly two bars, no braces inside.
  let bars = 1;
  for (i++; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 125) return bars === 2 ? i : -1;
    if (c === 123) return -1;
    if (c === 124 && ++bars > 2) return -1;
  }
  return -1;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}
