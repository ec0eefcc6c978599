// A reader for the plain YAML answers files are written in, so the CI path does not load
// and warm up the full YAML parser (about 5 ms of a cold start). It reads block mappings
// with identifier keys, block lists and one-line flow lists of scalars, plain and simple
// quoted scalars, and comments. Anything else, including everything that is an error, is
// declined (undefined) and parseStructured uses the full parser, which also words the
// error. Whatever it accepts, it reads exactly as the full parser does:
// test/util/plain-yaml.test.ts holds it to that on the examples, on generated files and
// on thousands of mutations of them.

/** What safe-yaml.ts refuses (caps, reserved keys): such a document is declined, and the full parser says why. */
export interface PlainYamlLimits {
  maxStringLength: number;
  maxArrayLength: number;
  maxObjectKeys: number;
  forbiddenKeys: ReadonlySet<string>;
}

const KEY = /^([A-Za-z_][A-Za-z0-9_]*):(?:[ ]+(.*))?$/;
/**
 * Characters that make the text something this reader leaves to the full parser: tabs,
 * control characters, and every space that is not U+0020 (JavaScript's trim() removes
 * them, YAML keeps them).
 */
const UNSUPPORTED = /[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;
const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** First characters with a meaning in YAML (indicators), where a plain scalar cannot start. */
const INDICATORS = new Set([...'-?:,[]{}#&*!|>\'"%@`']);
const MAX_DEPTH = 8;

type Scalar = string | number | boolean | null;
type Container = { indent: number; list: Scalar[] } | { indent: number; map: Record<string, unknown>; keys: Set<string> };

/** The document as plain data, or undefined when it is not plain YAML (then use the full parser). */
export function parsePlainYaml(text: string, limits: PlainYamlLimits): Record<string, unknown> | undefined {
  if (UNSUPPORTED.test(text)) return undefined;
  const root: Record<string, unknown> = {};
  const stack: Container[] = [{ indent: 0, map: root, keys: new Set() }];
  /** A key whose value is the block on the lines below it (or null when there is none). */
  let open: { key: string; indent: number; map: Record<string, unknown> } | undefined;
  let lines = 0;

  const rawLines = text.split('\n');
  // A carriage return counts only in a CRLF line end; a lone one (even at the very end)
  // is the full parser's to read.
  if (rawLines[rawLines.length - 1]!.includes('\r')) return undefined;
  for (const rawLine of rawLines) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.includes('\r')) return undefined;
    const content = line.trimStart();
    if (content === '' || content.startsWith('#')) continue;
    const indent = line.length - content.length;
    if (lines++ === 0 && indent !== 0) return undefined;
    if (indent === 0 && (content.startsWith('---') || content.startsWith('...') || content.startsWith('%'))) return undefined;

    if (open) {
      if (indent > open.indent) {
        if (stack.length >= MAX_DEPTH) return undefined;
        const child: Container = content.startsWith('-') ? { indent, list: [] } : { indent, map: {}, keys: new Set() };
        open.map[open.key] = 'list' in child ? child.list : child.map;
        stack.push(child);
      } else {
        open.map[open.key] = null;
      }
      open = undefined;
    }
    while (stack.length > 1 && stack[stack.length - 1]!.indent > indent) stack.pop();
    const top = stack[stack.length - 1]!;
    if (top.indent !== indent) return undefined;

    if ('list' in top) {
      if (!content.startsWith('- ')) return undefined;
      const value = scalarValue(content.slice(2).trimStart(), limits);
      if (value === undefined || value === EMPTY || Array.isArray(value)) return undefined;
      if (top.list.length >= limits.maxArrayLength) return undefined;
      top.list.push(value);
      continue;
    }
    const match = KEY.exec(content);
    if (!match) return undefined;
    const key = match[1]!;
    if (limits.forbiddenKeys.has(key) || top.keys.has(key) || top.keys.size >= limits.maxObjectKeys) return undefined;
    top.keys.add(key);
    const value = scalarValue(match[2] ?? '', limits);
    if (value === undefined) return undefined;
    if (value === EMPTY) open = { key, indent, map: top.map };
    else top.map[key] = value;
  }
  if (lines === 0) return undefined;
  if (open) open.map[open.key] = null;
  return root;
}

const EMPTY = Symbol('no value on this line');

/** A value after `key:` or `- `: a scalar, a one-line flow list of scalars, EMPTY, or undefined (not plain). */
function scalarValue(raw: string, limits: PlainYamlLimits): Scalar | Scalar[] | typeof EMPTY | undefined {
  const first = raw[0];
  if (first === '"' || first === "'") {
    const end = raw.indexOf(first, 1);
    if (end === -1) return undefined;
    const inner = raw.slice(1, end);
    // Escapes, doubled quotes and lines folded into one are the full parser's.
    if ((first === '"' && inner.includes('\\')) || raw[end + 1] === first) return undefined;
    if (!/^(?:[ ]+#.*)?[ ]*$/.test(raw.slice(end + 1))) return undefined;
    return inner.length > limits.maxStringLength ? undefined : inner;
  }
  const comment = raw.search(/[ ]#/);
  const text = (comment === -1 ? raw : raw.slice(0, comment)).trimEnd();
  // Nothing, or only a comment: the value is the block below, if any.
  if (text === '' || text.startsWith('#')) return EMPTY;
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) return undefined;
    const inner = text.slice(1, -1).trim();
    if (inner === '') return [];
    if (/[[\]{}"'#]/.test(inner)) return undefined;
    const items: Scalar[] = [];
    for (const part of inner.split(',')) {
      const item = plainScalar(part.trim(), limits);
      if (item === undefined || items.length >= limits.maxArrayLength) return undefined;
      items.push(item);
    }
    return items;
  }
  return plainScalar(text, limits);
}

/** A plain scalar resolved as YAML 1.2's core schema does, or undefined when it is not that simple. */
function plainScalar(text: string, limits: PlainYamlLimits): Scalar | undefined {
  if (text === '' || text.length > limits.maxStringLength) return undefined;
  if (INT.test(text) || FLOAT.test(text)) {
    const n = Number(text);
    return Number.isFinite(n) ? n : undefined;
  }
  if (INDICATORS.has(text[0]!) || text.includes(': ') || text.endsWith(':') || text.includes(' #')) return undefined;
  switch (text) {
    case 'null':
    case 'Null':
    case 'NULL':
    case '~':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  // Hexadecimal and octal integers, infinities and not-a-number: the full parser's.
  if (/^[-+]?(?:0x|0o|\.inf|\.nan)/i.test(text)) return undefined;
  return text;
}
