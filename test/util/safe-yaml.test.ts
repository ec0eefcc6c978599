import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/util/errors';
import type { Problem } from '../../src/util/errors';
import { parseStructured } from '../../src/util/safe-yaml';

const MiB = 1024 * 1024;

/** Runs parseStructured expecting an InputError and returns its single problem. */
async function problemOf(text: string, opts: Partial<Parameters<typeof parseStructured>[1]> = {}): Promise<Problem> {
  const error: unknown = await parseStructured(text, { file: 'in.yaml', ...opts }).then(
    (value) => {
      throw new Error(`expected an InputError, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  const problems = (error as InputError).problems;
  expect(problems).toHaveLength(1);
  const [problem] = problems;
  if (!problem) throw new Error('no problem');
  expect(problem.file).toBe(opts.file ?? 'in.yaml');
  return problem;
}

describe('size cap', () => {
  it('refuses an oversized file before parsing it', async () => {
    // Invalid YAML and JSON: any parse attempt would report a syntax error instead.
    const text = '{ : ] ['.repeat(Math.ceil((2 * MiB) / 7)).slice(0, 2 * MiB);
    const problem = await problemOf(text, { kind: 'answers' });
    expect(problem.message).toBe('the file is 2 MiB; answers files are capped at 1 MiB');
    expect(problem.line).toBeUndefined();
  });

  it.each([
    { size: 3.2 * MiB, kind: 'answers' as const, maxBytes: undefined, message: 'the file is 3.2 MiB; answers files are capped at 1 MiB' },
    { size: 150, kind: 'rules' as const, maxBytes: 100, message: 'the file is 150 bytes; rules files are capped at 100 bytes' },
    { size: 3000, kind: undefined, maxBytes: 2048, message: 'the file is 2.9 KiB; input files are capped at 2 KiB' },
    // Rounding would show "1 MiB; capped at 1 MiB", so exact byte counts are used instead.
    { size: MiB + 1, kind: 'rules' as const, maxBytes: undefined, message: 'the file is 1,048,577 bytes; rules files are capped at 1,048,576 bytes' },
  ])('words the refusal for $size bytes', async ({ size, kind, maxBytes, message }) => {
    const problem = await problemOf('#'.repeat(Math.round(size)), { kind, maxBytes });
    expect(problem.message).toBe(message);
  });

  it('measures UTF-8 bytes, not characters', async () => {
    const text = `"${'é'.repeat(60)}"`; // 62 characters, 122 bytes
    const problem = await problemOf(text, { maxBytes: 100 });
    expect(problem.message).toMatch(/^the file is 122 bytes;/);
  });

  it('accepts a file exactly at the cap', async () => {
    await expect(parseStructured('{"a":1234}', { file: 'x.json', maxBytes: 10 })).resolves.toEqual({ a: 1234 });
  });
});

describe('empty input', () => {
  it.each(['', '   ', '\n\t\n  \r\n', '\uFEFF \n'])('refuses %j', async (text) => {
    const problem = await problemOf(text);
    expect(problem.message).toBe('the file is empty; expected a YAML or JSON document');
  });

  it('refuses a YAML file with only comments', async () => {
    const problem = await problemOf('# just a comment\n# and another\n');
    expect(problem.message).toMatch(/nothing but comments/);
  });

  it('refuses an empty YAML document', async () => {
    const problem = await problemOf('---\n');
    expect(problem.message).toMatch(/document is empty/);
  });
});

describe('valid documents', () => {
  it.each([
    { name: 'YAML map', text: 'goal: style\nneeds:\n  - a\n  - b\n', expected: { goal: 'style', needs: ['a', 'b'] } },
    { name: 'JSON object', text: '{"goal": "style", "n": [1, 2.5, -3], "ok": true, "none": null}', expected: { goal: 'style', n: [1, 2.5, -3], ok: true, none: null } },
    { name: 'JSON array', text: '  [1, "two"]', expected: [1, 'two'] },
    { name: 'JSON with a byte order mark', text: '\uFEFF{"a": 1}', expected: { a: 1 } },
    { name: 'YAML flow map (not JSON)', text: '{a: 1, b: [x, y]}', expected: { a: 1, b: ['x', 'y'] } },
    { name: 'YAML 1.2 keeps yes/no and dates as strings', text: 'a: yes\nb: 2001-01-01\nc: on\n', expected: { a: 'yes', b: '2001-01-01', c: 'on' } },
    { name: 'YAML non-string keys become strings', text: '1: a\ntrue: b\n', expected: { '1': 'a', true: 'b' } },
    { name: 'YAML scalar document', text: 'hello\n', expected: 'hello' },
    { name: 'YAML explicit null', text: 'null\n', expected: null },
    { name: 'long but allowed string', text: `s: ${'x'.repeat(10_000)}\n`, expected: { s: 'x'.repeat(10_000) } },
  ])('parses $name', async ({ text, expected }) => {
    await expect(parseStructured(text, { file: 'in' })).resolves.toEqual(expected);
  });

  it('returns objects with the ordinary prototype', async () => {
    for (const text of ['a: {b: 1}\n', '{"a": {"b": 1}}']) {
      const value = (await parseStructured(text, { file: 'in' })) as { a: object };
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(Object.getPrototypeOf(value.a)).toBe(Object.prototype);
    }
  });

  it('turns aliases into independent copies', async () => {
    const value = (await parseStructured('a: &x {k: [1]}\nb: *x\n', { file: 'in' })) as Record<string, { k: number[] }>;
    expect(value).toEqual({ a: { k: [1] }, b: { k: [1] } });
    expect(value.a).not.toBe(value.b);
    expect(value.a?.k).not.toBe(value.b?.k);
  });

  it('accepts 32 levels of nesting', async () => {
    const json = '['.repeat(32) + ']'.repeat(32);
    await expect(parseStructured(json, { file: 'in.json' })).resolves.toBeDefined();
    const yaml = 'a:\n' + Array.from({ length: 31 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:\n`).join('');
    await expect(parseStructured(yaml, { file: 'in.yaml' })).resolves.toBeDefined();
  });
});

describe('alias bombs', () => {
  it('stops "billion laughs" quickly with an InputError', async () => {
    const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i <= 9; i++) {
      const refs = Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ');
      lines.push(`a${i}: &a${i} [${refs}]`);
    }
    const started = performance.now();
    const problem = await problemOf(lines.join('\n') + '\n');
    // A guard against expanding it (billions of nodes: minutes, or out of memory), generous
    // for a busy machine: the refusal itself takes milliseconds.
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(problem.message).toMatch(/aliases expand the document too much/);
  });

  it('refuses an alias that contains itself', async () => {
    const problem = await problemOf('a: &loop [1, *loop]\n');
    expect(problem.path).toBe('a[1]');
    expect(problem.message).toMatch(/contains itself/);
  });
});

describe('duplicate keys', () => {
  it.each([
    { name: 'YAML top level', text: 'a: 1\nb: 2\na: 3\n', path: undefined, line: 3, column: 1 },
    { name: 'YAML nested', text: 'x:\n  a: 1\n  a: 2\n', path: undefined, line: 3, column: 3 },
    { name: 'JSON top level', text: '{\n  "a": 1,\n  "a": 2\n}', path: 'a', line: 3, column: 3 },
    { name: 'JSON nested', text: '{"x": [{"a": 1}, {"b": 1, "b": 2}]}', path: 'x[1].b', line: 1, column: 27 },
    { name: 'JSON escaped spelling', text: '{"k\\u0061": 1, "ka": 2}', path: 'ka', line: 1, column: 16 },
  ])('reports $name with its line', async ({ text, path, line, column }) => {
    const problem = await problemOf(text);
    expect(problem.message).toMatch(/duplicate key/);
    expect(problem.path).toBe(path);
    expect(problem.line).toBe(line);
    expect(problem.column).toBe(column);
  });

  it('allows the same key in different objects', async () => {
    await expect(parseStructured('[{"a": 1}, {"a": 2}]', { file: 'in' })).resolves.toEqual([{ a: 1 }, { a: 2 }]);
  });
});

describe('reserved keys', () => {
  const keys = ['__proto__', 'constructor', 'prototype'];
  const cases = keys.flatMap((key) => [
    { key, format: 'YAML', text: `indicators:\n  ${key}: {polluted: true}\n`, path: `indicators.${key}`, line: 2 },
    { key, format: 'YAML quoted', text: `needs:\n  - ok\n  - "${key}": 1\n`, path: `needs[1].${key}`, line: 3 },
    { key, format: 'JSON', text: `{"indicators": {\n  "${key}": {"polluted": true}}}`, path: `indicators.${key}`, line: 2 },
    { key, format: 'JSON top level', text: `{"${key}": 1}`, path: key, line: 1 },
  ]);

  it.each(cases)('refuses $key in $format with its path', async ({ text, path, line }) => {
    const problem = await problemOf(text);
    expect(problem.message).toBe('key is not allowed');
    expect(problem.path).toBe(path);
    expect(problem.line).toBe(line);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('non-finite numbers', () => {
  it.each([
    { text: 'x: .inf\n', path: 'x', line: 1 },
    { text: 'x: -.Inf\n', path: 'x', line: 1 },
    { text: 'list:\n  - 1\n  - .nan\n', path: 'list[1]', line: 3 },
    { text: 'deep:\n  x: 1e999\n', path: 'deep.x', line: 2 },
    { text: '{"x": 1e999}', path: 'x', line: 1 },
    { text: '{"a": [0,\n -1e999]}', path: 'a[1]', line: 2 },
  ])('refuses $text', async ({ text, path, line }) => {
    const problem = await problemOf(text);
    expect(problem.message).toMatch(/^number must be finite, got (-?Infinity|NaN)$/);
    expect(problem.path).toBe(path);
    expect(problem.line).toBe(line);
  });
});

describe('size and shape limits', () => {
  it.each([
    { name: 'long YAML string', text: `a:\n  b: ${'x'.repeat(10_001)}\n`, path: 'a.b', message: /text is 10,001 characters long/ },
    { name: 'long JSON string', text: `{"a": ["${'x'.repeat(10_001)}"]}`, path: 'a[0]', message: /text is 10,001 characters long/ },
    { name: 'long key', text: `{"${'k'.repeat(10_001)}": 1}`, path: 'k'.repeat(10_001), message: /key is 10,001 characters long/ },
    { name: 'long list', text: `{"a": [${Array(10_001).fill(0).join(',')}]}`, path: 'a', message: /list has 10,001 items/ },
    { name: 'wide map', text: `{${Array.from({ length: 10_001 }, (_, i) => `"k${i}":0`).join(',')}}`, path: undefined, message: /map has 10,001 keys/ },
    { name: 'deep JSON', text: '{"a":' + '['.repeat(32) + ']'.repeat(32) + '}', path: 'a' + '[0]'.repeat(31), message: /nesting is deeper than 32 levels/ },
    { name: 'deep YAML flow', text: 'a: ' + '['.repeat(32) + ']'.repeat(32) + '\n', path: undefined, message: /nesting is deeper than 32 levels/ },
  ])('refuses a $name', async ({ text, path, message }) => {
    const problem = await problemOf(text);
    expect(problem.message).toMatch(message);
    expect(problem.path).toBe(path);
  });

  it.each([
    { name: 'block sequences', text: 'a:\n' + '  - '.repeat(5000) + 'x\n' },
    { name: 'flow sequences', text: 'a: ' + '['.repeat(100_000) + '\n' },
    { name: 'JSON arrays', text: '['.repeat(200_000) + ']'.repeat(200_000) },
  ])('refuses thousands of nested $name without overflowing the stack', async ({ text }) => {
    const problem = await problemOf(text);
    expect(problem.message).toBe('nesting is deeper than 32 levels');
  });

  it('gives the line of YAML nested too deeply', async () => {
    const problem = await problemOf('ok: 1\ndeep: ' + '['.repeat(40) + ']'.repeat(40) + '\n');
    expect(problem.message).toBe('nesting is deeper than 32 levels');
    expect(problem.line).toBe(2);
    expect(problem.column).toBe(6 + 32);
  });
});

describe('YAML-only values', () => {
  it.each([
    ['b: !!binary aGVsbG8=\n', /tag:yaml.org,2002:binary/],
    ['s: !!set {a, b}\n', /tag:yaml.org,2002:set/],
    ['d: !!timestamp 2001-12-14\n', /tag:yaml.org,2002:timestamp/],
    ['o: !!omap [a: 1]\n', /tag:yaml.org,2002:omap/],
    ['c: !custom value\n', /!custom/],
  ])('refuses %j', async (text, tag) => {
    const problem = await problemOf(text);
    expect(problem.message).toMatch(/^unsupported YAML tag: /);
    expect(problem.message).toMatch(tag);
    expect(problem.line).toBe(1);
    expect(problem.column).toBe(4);
  });

  it('refuses a list used as a key', async () => {
    const problem = await problemOf('? [a, b]\n: value\n');
    expect(problem.message).toMatch(/keys must be plain text/);
    expect(problem.line).toBe(1);
  });

  it('does not merge `<<` keys', async () => {
    await expect(parseStructured('base: &b {x: 1}\nchild:\n  <<: *b\n', { file: 'in' })).resolves.toEqual({
      base: { x: 1 },
      child: { '<<': { x: 1 } },
    });
  });
});

describe('syntax errors', () => {
  it.each([
    { name: 'compact nested map', text: 'a: b: c\n', line: 1, column: 4, message: /^invalid YAML: nested mappings/ },
    { name: 'unclosed flow sequence', text: 'key: [1, 2\n', line: 2, column: 1, message: /^invalid YAML: / },
    { name: 'bad indentation', text: 'a:\n  - b\n - c\n', line: 3, column: 1, message: /^invalid YAML: / },
    { name: 'unterminated quote', text: 'a: "open\n', line: 2, column: 1, message: /^invalid YAML: missing closing "quote/ },
    { name: 'second document', text: 'a: 1\n---\nb: 2\n', line: 2, column: 1, message: /more than one YAML document/ },
    { name: 'JSON missing comma', text: '{\n  "a": 1 "b": 2\n}', line: 2, column: 10, message: /^invalid JSON: expected ',' or '}' after property value$/ },
    { name: 'JSON missing bracket', text: '[1, 2', line: 1, column: 6, message: /^invalid JSON: / },
  ])('reports $name with line and column', async ({ text, line, column, message }) => {
    const problem = await problemOf(text);
    expect(problem.message).toMatch(message);
    expect(problem.line).toBe(line);
    expect(problem.column).toBe(column);
  });

  it('formats the problem with file, line and column', async () => {
    const error = await parseStructured('a: b: c\n', { file: 'answers.yaml' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/^answers\.yaml:1:4: invalid YAML: /);
  });
});
