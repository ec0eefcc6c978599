// Turns untrusted answers/rules text into plain JSON data, or an InputError that says where
// and why. Everything a hostile or careless file could do to us (huge input, alias bombs,
// deep nesting, prototype keys, YAML-only types) is refused here so later stages can assume
// ordinary JSON values.

import { InputError, joinPath } from './errors';
import { parsePlainYaml } from './plain-yaml';
import type { Problem } from './errors';
import type { CST, Document, DocumentOptions, LineCounter, ParseOptions, SchemaOptions, YAMLError } from 'yaml';

export interface ParseStructuredOptions {
  /** Shown in error messages, as the user named the file. */
  file: string;
  /** Size cap in bytes (UTF-8); defaults to 1 MiB. */
  maxBytes?: number;
  /** Only used to word error messages. */
  kind?: 'answers' | 'rules';
  /** Read plain YAML without the full parser (default true; the tests compare the two). */
  plainYaml?: boolean;
}

const KiB = 1024;
const MiB = 1024 * KiB;

export const STRUCTURED_LIMITS = Object.freeze({
  maxBytes: MiB,
  maxDepth: 32,
  maxStringLength: 10_000,
  maxArrayLength: 10_000,
  maxObjectKeys: 10_000,
  /** Total values after alias expansion; a 1 MiB JSON file holds at most ~520k. */
  maxValues: 1_000_000,
  maxAliasCount: 50,
});

const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const FORBIDDEN_KEYS_HINT = '__proto__, constructor and prototype are reserved key names';
/** What the plain-YAML reader must leave to the full parser, which refuses it with a message. */
export const PLAIN_YAML_LIMITS = Object.freeze({ ...STRUCTURED_LIMITS, forbiddenKeys: FORBIDDEN_KEYS });

// The YAML 1.2 core schema yields only JSON-compatible scalars. resolveKnownTags: false stops
// explicit `!!binary`, `!!set`, `!!timestamp`, ... from producing Buffers, Sets and Dates (they
// become warnings, which we treat as errors). stringKeys rejects lists/maps used as keys.
const YAML_OPTIONS = {
  version: '1.2',
  schema: 'core',
  merge: false,
  resolveKnownTags: false,
  stringKeys: true,
  uniqueKeys: true,
  strict: true,
  intAsBigInt: false,
  // We compute positions ourselves from the LineCounter, so messages stay one line.
  prettyErrors: false,
  logLevel: 'silent',
} as const satisfies ParseOptions & DocumentOptions & SchemaOptions;

type PathPart = string | number;
type Position = Pick<Problem, 'line' | 'column'>;

/**
 * Parses a YAML or JSON document into plain JSON data (objects, arrays, strings, finite
 * numbers, booleans, null). Throws InputError for anything else.
 */
export async function parseStructured(text: string, opts: ParseStructuredOptions): Promise<unknown> {
  const { file } = opts;
  const maxBytes = opts.maxBytes ?? STRUCTURED_LIMITS.maxBytes;

  // Checked before any parsing so an oversized file costs nothing but this count.
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxBytes) {
    const [shownSize, shownCap] = describeSizes(size, maxBytes);
    throw new InputError({
      file,
      message: `the file is ${shownSize}; ${opts.kind ?? 'input'} files are capped at ${shownCap}`,
    });
  }

  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstSignificant = source.search(/\S/);
  if (firstSignificant === -1) {
    throw new InputError({ file, message: 'the file is empty; expected a YAML or JSON document' });
  }

  const first = source[firstSignificant];
  if (first === '{' || first === '[') {
    const json = tryJson(source);
    if (json.ok) return finishJson(source, json.value, file);
    // Not valid JSON, but YAML flow style (`{a: 1}`) starts the same way, so give YAML a go;
    // if YAML cannot read it either, the JSON error is the more useful one to show.
    const yaml = await importYaml();
    let loaded: LoadedYaml;
    try {
      loaded = loadYaml(yaml, source, file);
    } catch (error) {
      if (json.position !== undefined && error instanceof InputError) {
        throw new InputError({
          file,
          message: `invalid JSON: ${json.reason}`,
          ...lineColumnAt(source, json.position),
        });
      }
      throw error;
    }
    return finishYaml(yaml, loaded, file);
  }

  // Most answers files are plain mappings of scalars: read those without loading the
  // full parser (plain-yaml.ts declines anything else, errors included).
  if (opts.plainYaml !== false) {
    const plain = parsePlainYaml(source, PLAIN_YAML_LIMITS);
    if (plain !== undefined) return plain;
  }
  const yaml = await importYaml();
  return finishYaml(yaml, loadYaml(yaml, source, file), file);
}

// ---------------------------------------------------------------------------------------------
// JSON

type JsonAttempt = { ok: true; value: unknown } | { ok: false; reason: string; position: number | undefined };

function tryJson(source: string): JsonAttempt {
  try {
    return { ok: true, value: JSON.parse(source) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const match = /\bat position (\d+)/.exec(message);
    if (match?.[1] !== undefined) {
      const reason = message.replace(/\s*in JSON at position \d+.*$/s, '');
      return { ok: false, reason: lowerFirst(reason), position: Number(match[1]) };
    }
    if (/unexpected end of JSON input/i.test(message)) {
      return { ok: false, reason: 'unexpected end of input', position: source.length };
    }
    return { ok: false, reason: message, position: undefined };
  }
}

function finishJson(source: string, parsed: unknown, file: string): unknown {
  let value: unknown;
  try {
    value = toPlainData(parsed);
  } catch (error) {
    if (!(error instanceof DataProblem)) throw error;
    const offset = error.parts.length > 0 ? locateJsonPath(source, error.parts, error.at) : undefined;
    throw error.toInputError(file, offset === undefined ? {} : lineColumnAt(source, offset));
  }
  // JSON.parse keeps the last of duplicate keys silently; YAML refuses them, so JSON must too.
  const duplicate = findJsonDuplicateKey(source);
  if (duplicate) {
    throw new InputError({
      file,
      path: joinPath(duplicate.parts),
      message: 'duplicate key; each key may appear only once in an object',
      ...lineColumnAt(source, duplicate.offset),
    });
  }
  return value;
}

interface JsonFrame {
  isObject: boolean;
  /** Index of the current element when the frame is an array. */
  index: number;
  /** Most recent key when the frame is an object. */
  key: string | undefined;
  keys: Set<string> | undefined;
}

/**
 * Walks text that JSON.parse has already accepted, calling `visit` at each key (with its
 * decoded name) and at the start of each value (key undefined). `frames` describes the
 * containers around that point. Iterative, so nesting depth cannot overflow the stack.
 * Returning true from `visit` stops the walk.
 */
function scanJson(text: string, visit: (frames: readonly JsonFrame[], offset: number, key: string | undefined) => boolean): void {
  const frames: JsonFrame[] = [];
  let expectKey = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    switch (c) {
      case ' ':
      case '\t':
      case '\n':
      case '\r':
      case ':':
        i++;
        break;
      case '{':
      case '[':
        if (visit(frames, i, undefined)) return;
        frames.push({ isObject: c === '{', index: 0, key: undefined, keys: undefined });
        expectKey = c === '{';
        i++;
        break;
      case '}':
      case ']':
        frames.pop();
        expectKey = false;
        i++;
        break;
      case ',': {
        const top = frames[frames.length - 1];
        if (top && !top.isObject) top.index++;
        expectKey = top?.isObject ?? false;
        i++;
        break;
      }
      case '"': {
        const end = jsonStringEnd(text, i);
        if (expectKey) {
          const raw = text.slice(i + 1, end);
          const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
          const top = frames[frames.length - 1];
          if (top) top.key = key;
          if (visit(frames, i, key)) return;
          expectKey = false;
        } else if (visit(frames, i, undefined)) {
          return;
        }
        i = end + 1;
        break;
      }
      default:
        // Numbers, true, false, null.
        if (visit(frames, i, undefined)) return;
        while (i < text.length && !/[\s,\]}]/.test(text[i] ?? '')) i++;
    }
  }
}

function jsonStringEnd(text: string, openQuote: number): number {
  let from = openQuote + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote === -1) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}

function framesToPath(frames: readonly JsonFrame[]): PathPart[] {
  return frames.map((f) => (f.isObject ? (f.key ?? '') : f.index));
}

/** The dot path of the first repeated key in JSON text (for a JSON Lines line: json-duplicates.ts finds that there is one). */
export function jsonDuplicateKeyPath(text: string): string | undefined {
  const found = findJsonDuplicateKey(text);
  return found && joinPath(found.parts);
}

function findJsonDuplicateKey(text: string): { parts: PathPart[]; offset: number } | undefined {
  let found: { parts: PathPart[]; offset: number } | undefined;
  scanJson(text, (frames, offset, key) => {
    if (key === undefined) return false;
    const top = frames[frames.length - 1];
    if (!top) return false;
    top.keys ??= new Set();
    if (top.keys.has(key)) {
      found = { parts: framesToPath(frames), offset };
      return true;
    }
    top.keys.add(key);
    return false;
  });
  return found;
}

function locateJsonPath(text: string, parts: readonly PathPart[], at: 'key' | 'value'): number | undefined {
  let found: number | undefined;
  scanJson(text, (frames, offset, key) => {
    if (frames.length !== parts.length) return false;
    if ((key !== undefined) !== (at === 'key')) return false;
    const path = framesToPath(frames);
    if (path.every((part, i) => part === parts[i])) {
      found = offset;
      return true;
    }
    return false;
  });
  return found;
}

// ---------------------------------------------------------------------------------------------
// YAML

type YamlModule = typeof import('yaml');

interface LoadedYaml {
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

/** Parses YAML into a single checked Document, refusing syntax errors and warnings. */
function loadYaml(yaml: YamlModule, source: string, file: string): LoadedYaml {
  const lineCounter = new yaml.LineCounter();
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const parser = new yaml.Parser(lineCounter.addNewLine);
  const composer = new yaml.Composer(YAML_OPTIONS);

  // The CST parser is iterative but composing is recursive: a few hundred levels of `[[[[`
  // overflow the stack, and V8 can even abort the process instead of throwing. So measure
  // each top-level token's depth before composing it.
  function* depthChecked(tokens: Iterable<CST.Token>): Generator<CST.Token> {
    for (const token of tokens) {
      const tooDeep = findTooDeepCst(token, STRUCTURED_LIMITS.maxDepth);
      if (tooDeep) {
        throw new InputError({
          file,
          message: `nesting is deeper than ${STRUCTURED_LIMITS.maxDepth} levels`,
          ...at(tooDeep.offset),
        });
      }
      yield token;
    }
  }

  const docs: Document.Parsed[] = [];
  try {
    for (const doc of composer.compose(depthChecked(parser.parse(source)))) docs.push(doc);
  } catch (error) {
    if (error instanceof InputError) throw error;
    // Any other throw comes from the yaml library reacting to this input.
    throw new InputError({ file, message: `could not read YAML: ${errorMessage(error)}` });
  }

  const [doc, second] = docs;
  if (!doc) {
    const streamError = composer.streamInfo().errors[0];
    if (streamError) throw yamlProblem(streamError, file, at);
    throw new InputError({
      file,
      message: 'the file has nothing but comments; expected a YAML or JSON document',
    });
  }
  if (second) {
    throw new InputError({
      file,
      message: 'the file holds more than one YAML document; expected exactly one',
      hint: 'remove the `---` line that starts the second document',
      ...at(second.range[0]),
    });
  }
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) throw yamlProblem(problem, file, at);
  // `---` with nothing after it composes to an empty plain scalar, which reads as null.
  const contents = doc.contents;
  if (contents === null || (yaml.isScalar(contents) && contents.source === '' && contents.value === null)) {
    throw new InputError({ file, message: 'the document is empty; expected a YAML or JSON document' });
  }
  return { doc, lineCounter };
}

function finishYaml(yaml: YamlModule, { doc, lineCounter }: LoadedYaml, file: string): unknown {
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: STRUCTURED_LIMITS.maxAliasCount });
  } catch (error) {
    if (/excessive alias count/i.test(errorMessage(error))) {
      throw new InputError({
        file,
        message: 'YAML aliases expand the document too much (this is how "billion laughs" attacks work)',
        hint: 'write the repeated content out, or use fewer aliases',
      });
    }
    throw new InputError({ file, message: `could not read YAML: ${errorMessage(error)}` });
  }
  try {
    return toPlainData(raw);
  } catch (error) {
    if (!(error instanceof DataProblem)) throw error;
    const offset = error.parts.length > 0 ? locateYamlPath(yaml, doc, error.parts, error.at) : undefined;
    let position: Position = {};
    if (offset !== undefined) {
      const { line, col } = lineCounter.linePos(offset);
      position = { line, column: col };
    }
    throw error.toInputError(file, position);
  }
}

function yamlProblem(error: YAMLError, file: string, at: (offset: number) => Position): InputError {
  let message = `invalid YAML: ${lowerFirst(error.message)}`;
  let hint: string | undefined;
  switch (error.code) {
    case 'DUPLICATE_KEY':
      message = 'duplicate key; each key may appear only once in a map';
      break;
    case 'NON_STRING_KEY':
      message = 'keys must be plain text, not lists or maps';
      break;
    case 'TAG_RESOLVE_FAILED':
      message = `unsupported YAML tag: ${error.message.replace(/^Unresolved tag:\s*/, '')}`;
      hint = 'only plain strings, numbers, booleans, null, lists and maps are supported';
      break;
  }
  return new InputError({ file, message, ...(hint === undefined ? {} : { hint }), ...at(error.pos[0]) });
}

function isCstCollection(token: CST.Token): token is CST.BlockMap | CST.BlockSequence | CST.FlowCollection {
  return token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection';
}

/** First collection (in document order) nested deeper than `max`, without recursion. */
function findTooDeepCst(root: CST.Token, max: number): CST.Token | undefined {
  const stack: Array<{ token: CST.Token; depth: number }> = [{ token: root, depth: 0 }];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const { token, depth } = entry;
    if (token.type === 'document') {
      if (token.value) stack.push({ token: token.value, depth });
      continue;
    }
    if (!isCstCollection(token)) continue;
    const inner = depth + 1;
    if (inner > max) return token;
    // Pushed in reverse so the first offending collection in the file is reported.
    for (let i = token.items.length - 1; i >= 0; i--) {
      const item = token.items[i];
      if (item?.value) stack.push({ token: item.value, depth: inner });
      if (item?.key) stack.push({ token: item.key, depth: inner });
    }
  }
  return undefined;
}

function locateYamlPath(yaml: YamlModule, doc: Document.Parsed, parts: readonly PathPart[], at: 'key' | 'value'): number | undefined {
  let node: unknown = doc.contents;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    // Aliases are followed so problems inside aliased content point at the anchor.
    for (let hops = 0; yaml.isAlias(node) && hops < STRUCTURED_LIMITS.maxAliasCount; hops++) {
      node = node.resolve(doc);
    }
    if (yaml.isMap(node)) {
      const pair = node.items.find((p) => yaml.isScalar(p.key) && String(p.key.value ?? '') === String(part));
      if (!pair) return undefined;
      node = i === parts.length - 1 && at === 'key' ? pair.key : pair.value;
    } else if (yaml.isSeq(node) && typeof part === 'number') {
      node = node.items[part];
    } else {
      return undefined;
    }
  }
  return yaml.isNode(node) ? node.range?.[0] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Shared: plain-data check and copy

class DataProblem extends Error {
  constructor(
    readonly parts: PathPart[],
    message: string,
    readonly at: 'key' | 'value' = 'value',
    readonly hint?: string,
  ) {
    super(message);
  }

  toInputError(file: string, position: Position): InputError {
    return new InputError({
      file,
      ...(this.parts.length > 0 ? { path: joinPath(this.parts) } : {}),
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...position,
    });
  }
}

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * Checks limits and returns a fresh copy built from object literals and arrays, so shared
 * YAML alias targets become independent values and nothing exotic survives.
 */
function toPlainData(root: unknown): unknown {
  const L = STRUCTURED_LIMITS;
  let values = 0;
  const ancestors: object[] = [];

  const visit = (value: unknown, parts: PathPart[]): unknown => {
    if (++values > L.maxValues) {
      throw new DataProblem([], `the document expands to more than ${count(L.maxValues)} values`, 'value', 'YAML aliases can multiply content; write it out or use fewer aliases');
    }
    switch (typeof value) {
      case 'string':
        if (value.length > L.maxStringLength) {
          throw new DataProblem(parts, `text is ${count(value.length)} characters long; the limit is ${count(L.maxStringLength)}`);
        }
        return value;
      case 'number':
        if (!Number.isFinite(value)) {
          throw new DataProblem(parts, `number must be finite, got ${String(value)}`, 'value', '.inf, .nan and out-of-range numbers such as 1e999 are not allowed');
        }
        return value;
      case 'boolean':
        return value;
      case 'object':
        if (value === null) return null;
        break;
      default:
        throw new DataProblem(parts, `unsupported value of type ${typeof value}`);
    }

    if (ancestors.includes(value)) {
      throw new DataProblem(parts, 'value contains itself (a YAML alias points at its own anchor)');
    }
    if (ancestors.length >= L.maxDepth) {
      throw new DataProblem(parts, `nesting is deeper than ${L.maxDepth} levels`);
    }

    if (Array.isArray(value)) {
      if (value.length > L.maxArrayLength) {
        throw new DataProblem(parts, `list has ${count(value.length)} items; the limit is ${count(L.maxArrayLength)}`);
      }
      ancestors.push(value);
      const out: unknown[] = [];
      for (let i = 0; i < value.length; i++) out.push(visit(value[i], [...parts, i]));
      ancestors.pop();
      return out;
    }

    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
      throw new DataProblem(parts, `unsupported value${typeof name === 'string' ? ` (${name})` : ''}; only strings, numbers, booleans, null, lists and maps are allowed`);
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length > L.maxObjectKeys) {
      throw new DataProblem(parts, `map has ${count(keys.length)} keys; the limit is ${count(L.maxObjectKeys)}`);
    }
    ancestors.push(value);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const childParts = [...parts, key];
      if (FORBIDDEN_KEYS.has(key)) {
        throw new DataProblem(childParts, 'key is not allowed', 'key', FORBIDDEN_KEYS_HINT);
      }
      if (key.length > L.maxStringLength) {
        throw new DataProblem(childParts, `key is ${count(key.length)} characters long; the limit is ${count(L.maxStringLength)}`, 'key');
      }
      // Safe as a plain assignment: the only keys with setter semantics were refused above.
      out[key] = visit(record[key], childParts);
    }
    ancestors.pop();
    return out;
  };

  return visit(root, []);
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function lineColumnAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let nl = text.indexOf('\n'); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function formatSize(bytes: number): string {
  const trim = (n: number): string => n.toFixed(1).replace(/\.0$/, '');
  if (bytes >= MiB) return `${trim(bytes / MiB)} MiB`;
  if (bytes >= KiB) return `${trim(bytes / KiB)} KiB`;
  return `${count(bytes)} bytes`;
}

/** Rounded sizes, unless rounding would make an oversized file look exactly at the cap. */
function describeSizes(size: number, cap: number): [string, string] {
  const shownSize = formatSize(size);
  const shownCap = formatSize(cap);
  if (shownSize !== shownCap) return [shownSize, shownCap];
  return [`${count(size)} bytes`, `${count(cap)} bytes`];
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// `yaml` ships CommonJS for Node; bundled and imported lazily, its namespace arrives as
// `default`. Accept both shapes so src (vitest) and dist (esbuild) behave the same.
async function importYaml(): Promise<YamlModule> {
  const mod = (await import('yaml')) as YamlModule & { default?: YamlModule };
  return mod.default && typeof mod.default.parseDocument === 'function' ? mod.default : mod;
}
