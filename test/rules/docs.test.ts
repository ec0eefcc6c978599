// docs/rules.md must stay true: every complete example in it (a YAML block that
// extends the default) is a valid rule set, and the example files it points to are too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkRuleSetData } from '../../src/rules/load';
import { staleNumberWarnings } from '../../src/rules/stale-numbers';

const ROOT = join(import.meta.dirname, '../..');
const doc = readFileSync(join(ROOT, 'docs/rules.md'), 'utf8');
const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => /^extends: default$/m.test(b) && /^name: /m.test(b));

describe('docs/rules.md', () => {
  it('has complete examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  it.each(blocks.map((b, i) => [i + 1, b]))('example %i is a valid rule set whose texts match its thresholds', async (_i, block) => {
    const { problems, rules } = await checkRuleSetData(parse(block), 'docs/rules.md');
    expect(problems).toEqual([]);
    expect(rules).toBeDefined();
    expect(staleNumberWarnings(rules!)).toEqual([]);
  });

  it.each(['examples/rules/strict.yaml', 'examples/rules/platform.yaml'])('%s, which it cites, is valid', async (file) => {
    expect(doc).toContain(file);
    const { problems } = await checkRuleSetData(parse(readFileSync(join(ROOT, file), 'utf8')), file);
    expect(problems).toEqual([]);
  });

  it('names every operator the engine knows', async () => {
    const { OPERATORS } = await import('../../src/rules/schema');
    for (const op of OPERATORS) expect(doc).toContain(`\`${op}\``);
  });
});
