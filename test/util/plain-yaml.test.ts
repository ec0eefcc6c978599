// The plain-YAML reader (src/util/plain-yaml.ts) may decline anything, but what it
// accepts it must read exactly as the full parser does. The reference here is
// parseStructured with the reader switched off.
//
// The generated and mutated documents use a fixed seed, so CI runs the same cases every
// time. To search further (it found a lone carriage return and Unicode spaces this way):
//   FUZZ_SEED=$RANDOM FUZZ_RUNS=60000 npx vitest run test/util/plain-yaml.test.ts
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { answersTemplate } from '../../src/cli/commands/init';
import { loadDefaultRules } from '../../src/rules/load';
import { parsePlainYaml } from '../../src/util/plain-yaml';
import { parseStructured, PLAIN_YAML_LIMITS } from '../../src/util/safe-yaml';
import { EXAMPLES } from '../cli/helpers';

const plain = (text: string) => parsePlainYaml(text, PLAIN_YAML_LIMITS);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

/** What the full parser makes of the text: the data, or 'error'. */
async function full(text: string): Promise<unknown> {
  try {
    return await parseStructured(text, { file: 'x.yaml', plainYaml: false });
  } catch {
    return 'error';
  }
}

/** The reader's result agrees with the full parser's, or the reader declined. */
async function expectAgreement(text: string): Promise<boolean> {
  const mine = plain(text);
  if (mine === undefined) return false;
  expect(await full(text), JSON.stringify(text)).toEqual(mine);
  return true;
}

describe('plain YAML: what answers files look like', () => {
  const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));

  it.each(examples)('reads examples/%s as the full parser does', async (name) => {
    const text = readFileSync(join(EXAMPLES, name), 'utf8');
    expect(await expectAgreement(text)).toBe(true);
  });

  it('reads the `ft-advisor init` template, and the same with CRLF line ends', async () => {
    const text = answersTemplate(await loadDefaultRules(), { schemaRef: 'schema.json' });
    expect(await expectAgreement(text)).toBe(true);
    expect(await expectAgreement(text.replace(/\n/g, '\r\n'))).toBe(true);
  });

  it('reads what YAML.stringify writes for answers, unless it folds a long line', async () => {
    const answers = YAML.parse(readFileSync(join(EXAMPLES, 'task-api.yaml'), 'utf8'));
    expect(await expectAgreement(YAML.stringify(answers, { lineWidth: 0 }))).toBe(true);
    // A plain scalar folded over two lines is the full parser's.
    expect(plain(YAML.stringify(answers, { lineWidth: 40 }))).toBeUndefined();
  });
});

describe('plain YAML: scalars and lists', () => {
  it.each([
    ['a: 1', { a: 1 }],
    ['a: -2.5e3', { a: -2500 }],
    ['a: .5', { a: 0.5 }],
    ['a: +7', { a: 7 }],
    ['a: 010', { a: 10 }],
    ['a: true\nb: False\nc: NULL\nd: ~\ne:', { a: true, b: false, c: null, d: null, e: null }],
    ['a: yes', { a: 'yes' }],
    ['a: 1_000', { a: '1_000' }],
    ['a: 2026-11-22', { a: '2026-11-22' }],
    ['a: https://example.com/x#y', { a: 'https://example.com/x#y' }],
    ["a: it's fine # a comment", { a: "it's fine" }],
    ['a: "quoted: with # inside"  # comment', { a: 'quoted: with # inside' }],
    ["a: '  spaced  '", { a: '  spaced  ' }],
    ['a: [x, y z, 3, true]', { a: ['x', 'y z', 3, true] }],
    ['a: []', { a: [] }],
    ['a:\n  - x\n  - 2\nb: 1', { a: ['x', 2], b: 1 }],
    ['a:\n  b:\n    c: 1\n  d: 2\ne: 3', { a: { b: { c: 1 }, d: 2 }, e: 3 }],
    ['# only a comment above\na: 1 # and beside', { a: 1 }],
  ])('%j', async (text, expected) => {
    expect(plain(text)).toEqual(expected);
    expect(await full(text)).toEqual(expected);
  });

  it.each([
    ['an anchor and alias', 'a: &x 1\nb: *x'],
    ['a block scalar', 'a: |\n  text'],
    ['a folded plain scalar', 'a: one\n  two'],
    ['a tab', 'a:\t1'],
    ['a duplicate key', 'a: 1\na: 2'],
    ['__proto__', '__proto__: 1'],
    ['constructor', 'a:\n  constructor: 1'],
    ['a quoted key', '"a": 1'],
    ['an escape', 'a: "x\\ty"'],
    ['a doubled quote', "a: 'it''s'"],
    ['a flow mapping', 'a: {b: 1}'],
    ['a nested flow list', 'a: [[1]]'],
    ['a list at the same indent as its key', 'a:\n- x'],
    ['a document marker', '---\na: 1'],
    ['a tag', 'a: !!str 1'],
    ['a hex number', 'a: 0x1F'],
    ['infinity', 'a: .inf'],
    ['a number too big for a double', 'a: 1e999'],
    ['a top-level list', '- a'],
    ['an indented first line', '  a: 1'],
    ['a bad dedent', 'a:\n    b: 1\n  c: 2'],
    ['a mapping in a list', 'a:\n  - b: 1'],
    ['only comments', '# nothing'],
    ['a colon and space inside a plain scalar', 'a: b: c'],
    ['a string over the length cap', `a: ${'x'.repeat(10_001)}`],
    ['a lone carriage return at the end', 'a: true\r'],
    ['a lone carriage return inside', 'a: 1\rb: 2\n'],
    ['an ideographic space after a number', 'a: 20\u3000'],
    ['a no-break space before a key', 'a:\n\u00a0 b: 1'],
    ['a byte-order mark inside', 'a: 1\n\ufeffb: 2'],
  ])('declines %s', async (_name, text) => {
    expect(plain(text)).toBeUndefined();
  });
});

describe('plain YAML: generated and mutated documents', () => {
  const key = fc.constantFrom('version', 'name', 'needs', 'fewShot', 'examples', 'a', 'b_2', 'useCase', 'data');
  const scalar = fc.oneof(
    fc.integer({ min: -1e6, max: 1e6 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('yes', 'no', '~', 'null', '0x10', '1_000', '.5', '+1', '-', 'a: b', 'a #b', 'x#y', "it's", '"q"', ' lead', 'trail ', '', '[x]', '{y}', '*z', '&w', '!t', '%p', '@a', '`b'),
    fc.string({ maxLength: 12 }),
  );
  const doc = fc.dictionary(key, fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), fc.dictionary(key, fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })), { maxKeys: 4 })), {
    minKeys: 1,
    maxKeys: 6,
  });

  it('agrees on documents YAML.stringify writes, in block and flow list styles', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(doc, fc.boolean(), async (data, flowLists) => {
        const text = YAML.stringify(data, { flowCollectionPadding: false, collectionStyle: 'block', lineWidth: 0 });
        const variant = flowLists
          ? text.replace(/^(\s*\w+):\n((?:\s+- [^\n]*\n)+)/gm, (m, k: string, items: string) =>
              /[[\]{}#,"']/.test(items)
                ? m
                : `${k}: [${items
                    .trim()
                    .split(/\n\s*- /)
                    .join(', ')
                    .replace(/^- /, '')}]\n`,
            )
          : text;
        if (await expectAgreement(variant)) accepted++;
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 400), seed: SEED },
    );
    // Most generated documents are plain; the reader must not be declining them all.
    expect(accepted).toBeGreaterThan(100);
  });

  it('agrees on thousands of mutations of the examples, or declines them', async () => {
    const texts = readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => readFileSync(join(EXAMPLES, f), 'utf8'));
    const insert = fc.constantFrom(
      ' ',
      '  ',
      '\n',
      '\t',
      '#',
      ':',
      ': ',
      '- ',
      '-',
      '[',
      ']',
      ',',
      '"',
      "'",
      '&a ',
      '*a',
      '!',
      '|',
      '>',
      '~',
      '0x',
      '.inf',
      '1e999',
      '__proto__: 1\n',
      'a: 1\n',
      '\r',
      '\r\n',
      '{',
      '}',
      '?',
      '%',
      '\\',
      'é',
      '\u2028',
      '\u00a0',
      '\u3000',
      '\ufeff',
      '0o7',
      '1_0',
      '+',
      '.',
      '-.5',
      '.nan',
      '0b1',
      '1e3',
      'Null',
      'TRUE',
      'yes',
      '<<: ',
      '? ',
      '!!str ',
      '- - a',
      ': #',
      ' # ',
      '#x',
      "''",
      '""',
      '"a\\"',
      '---\n',
      '...\n',
      '=',
    );
    const mutation = fc.record({ text: fc.constantFrom(...texts), at: fc.nat(), cut: fc.nat({ max: 3 }), insert });
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (edits) => {
        let text = edits[0]!.text;
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert + text.slice(at + e.cut);
        }
        await expectAgreement(text);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 3000), seed: SEED },
    );
  });
});
