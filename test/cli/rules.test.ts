// `ft-advisor rules validate` and `ft-advisor rules show`, through the built CLI.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, expectNoStackTrace, runBuilt, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
beforeAll(async () => {
  await ensureBuilt();
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

const write = (name: string, text: string) => {
  const path = join(tmp.dir, name);
  writeFileSync(path, text);
  return path;
};

/** One file with a problem of every class; each line must come back with its dot path. */
const BROKEN = `extends: default
name: broken
version: 1
sources:
  - { id: acme, title: "Acme policy" }
  - { id: acme, title: "Acme policy, again" }
sections:
  - id: antiIndicators
    fields:
      - id: noEvalHarness
        type: boolean
        weight: heavy
        prompt: No evaluation harness?
        source: "acme: section 2"
        colour: red
decision:
  tree:
    - id: tree.indicators
      when: { fact: framework.indicators, gt: 9 }
    - id: tree.anti-indicators
      when: { fact: framework.antiIndicator, lt: 2 }
  adjustments:
    - id: acme.gate
      when: { fact: antiIndicators.noEvalHarnes, is: true }
      approach: prompt
      because: "No harness: {framework.indicatorz} indicators."
      source: "policy: section 2"
warnings:
  - id: warn.long-prompt
    remove: true
  - id: warn.not-there
    remove: true
`;

describe('rules validate', () => {
  it.each([
    ['rules/default.yaml', /^ok: rules\/default\.yaml is a valid rule set \(default [\d.]+, 59 questions\)\n$/],
    ['examples/rules/strict.yaml', /^ok: examples\/rules\/strict\.yaml is a valid rule set \(strict 1, 59 questions\), extending default\n$/],
    ['examples/rules/platform.yaml', /^ok: examples\/rules\/platform\.yaml is a valid rule set \(acme-platform 3, 60 questions\), extending default\n$/],
  ])('%s is valid: exit 0', async (file, line) => {
    const r = await runBuilt(['rules', 'validate', file]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(line);
    expect(r.code).toBe(0);
  });

  it('"rules check" is "rules validate" (the word the help for rules uses)', async () => {
    const file = write('broken-check.yaml', BROKEN);
    for (const target of ['rules/default.yaml', file]) {
      const [check, validate] = await Promise.all([runBuilt(['rules', 'check', target]), runBuilt(['rules', 'validate', target])]);
      expect(check).toEqual(validate);
    }
    const help = await runBuilt(['rules', '--help']);
    expect(help.stdout).toMatch(/validate\|check \[options\] <file>/);
  });

  it('lists every problem of a broken file by dot path, exit 2', async () => {
    const file = write('broken.yaml', BROKEN);
    const r = await runBuilt(['rules', 'validate', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expectNoStackTrace(r.stderr);
    const expected: [string, RegExp][] = [
      ['sections[antiIndicators].fields[noEvalHarness].colour', /unknown key/], // unknown key (zod)
      ['sources[1].id', /duplicate id "acme" \(also at sources\[0\]\)/], // duplicate ids
      ['sections[antiIndicators].fields[noEvalHarness].weight', /unknown weight "heavy"/], // dangling reference
      ['decision.tree[tree.indicators].when', /threshold 9 is out of range/], // out of range
      ['decision.tree[tree.anti-indicators].when', /unknown fact "framework.antiIndicator".*did you mean framework\.antiIndicators\?/], // unknown fact
      ['decision.adjustments[acme.gate].when', /unknown fact "antiIndicators.noEvalHarnes".*did you mean antiIndicators\.noEvalHarness\?/], // unknown question id
      ['decision.adjustments[acme.gate].because', /\{framework.indicatorz\}, which is not a known fact/], // template
      ['decision.adjustments[acme.gate].source', /unknown source "policy"/], // dangling source
      ['warnings[1].id', /remove: true, but the default rule set has no item "warn.not-there"/], // merge
    ];
    for (const [path, message] of expected) {
      const line = r.stderr.split('\n').find((l) => l.includes(`${file}: ${path}: `));
      expect(line, `no problem at ${path} in:\n${r.stderr}`).toBeDefined();
      expect(line).toMatch(message);
    }
    expect(r.stderr).toMatch(/^ft-advisor: \d+ problems\n/);
    expect(r.stderr).toMatch(/not a valid rule set \(\d+ problems\)/);
  });

  it('--format json lists the problems for scripts', async () => {
    const file = write('broken2.yaml', BROKEN);
    const r = await runBuilt(['rules', 'validate', file, '--format', 'json']);
    expect(r.code).toBe(2);
    const body = JSON.parse(r.stdout);
    expect(body.valid).toBe(false);
    expect(body.file).toBe(file);
    expect(body.problems.length).toBeGreaterThanOrEqual(9);
    for (const p of body.problems) {
      expect(typeof p.path).toBe('string');
      expect(typeof p.message).toBe('string');
      expect(p.file).toBeUndefined();
    }
    expect(body.problems).toContainEqual(expect.objectContaining({ path: 'decision.tree[tree.anti-indicators].when', hint: 'did you mean framework.antiIndicators?' }));
  });

  it('--format json for a valid file', async () => {
    const r = await runBuilt(['rules', 'validate', 'examples/rules/strict.yaml', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ file: 'examples/rules/strict.yaml', valid: true, name: 'strict', version: '1', questions: 59, extends: 'default', warnings: [] });
  });

  it.each([
    ['a missing file', ['rules', 'validate', 'nope.yaml'], /nope\.yaml: no such file; expected a rule set file/],
    ['YAML that does not parse', ['rules', 'validate', 'BAD'], /bad\.yaml:\d+:\d+: invalid YAML/],
    ['an empty file', ['rules', 'validate', 'EMPTY'], /empty/],
    ['a list instead of a mapping', ['rules', 'validate', 'LIST'], /expected a mapping/],
  ])('%s: exit 2 with the file named', async (_name, args, message) => {
    const paths: Record<string, string> = {
      BAD: write('bad.yaml', 'name: [unclosed\n'),
      EMPTY: write('empty.yaml', '\n'),
      LIST: write('list.yaml', '- a\n- b\n'),
    };
    const r = await runBuilt(args.map((a) => paths[a] ?? a));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expectNoStackTrace(r.stderr);
  });

  it('reads the rule set from standard input with -', async () => {
    const r = await runBuilt(['rules', 'validate', '-'], { input: 'extends: default\nname: piped\nversion: 2\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ok: - is a valid rule set (piped 2, 59 questions), extending default\n');
  });

  it('structure and meaning problems are reported together for a complete rule set', async () => {
    const file = write(
      'full.yaml',
      `${(await import('node:fs')).readFileSync(join(import.meta.dirname, '../../rules/default.yaml'), 'utf8')}\nframwork: {}\n`.replace(
        'source: "four-options: failure mode 5"',
        'source: "five-options: failure mode 5"',
      ),
    );
    const r = await runBuilt(['rules', 'validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/full\.yaml: framwork: unknown key/);
    expect(r.stderr).toMatch(/full\.yaml: risks\[6\]\.source: unknown source "five-options"/);
  });
});

describe('rules show', () => {
  it('prints every part of the rule set as tables, plain when not a terminal', async () => {
    const r = await runBuilt(['rules', 'show']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/\x1b\[/);
    for (const heading of [
      'Sources',
      'Sections and questions',
      'Framework: scores and bands',
      'Decision tree',
      'Adjustments',
      'Method: objectives',
      'Method: techniques',
      'Data levels',
      'Economics and rubric',
      'Resolutions',
      'Verdicts',
    ]) {
      expect(r.stdout).toContain(heading);
    }
    // Questions with their weights and sources; ids are never cut.
    expect(r.stdout).toMatch(/indicators\.consistentBehavior[^\n]*│ boolean[^\n]*│ high \(2\)/);
    expect(r.stdout).toContain('antiIndicators.rapidlyChangingRequirements');
    expect(r.stdout).toMatch(/│ framework: step 1\s/);
    // Thresholds and bands, the tree and the adjustments, method and data tables.
    expect(r.stdout).toContain('framework.indicators > 3');
    expect(r.stdout).toMatch(/strong if score > 0\.5;\s+moderate if\s/);
    expect(r.stdout).toContain('gate.too-few-examples');
    expect(r.stdout).toMatch(/preferencePairs\s+│[^\n]*│/);
    expect(r.stdout).toContain('behavioural-minimum');
    expect(r.stdout).toMatch(/justified if months < 6;/);
    const widest = Math.max(...r.stdout.split('\n').map((l) => [...l].length));
    expect(widest).toBeLessThanOrEqual(120);
  });

  it('shows a custom rule set merged with the default', async () => {
    const r = await runBuilt(['rules', 'show', '--rules', 'examples/rules/platform.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Rule set acme-platform 3/);
    expect(r.stdout).toContain('antiIndicators.noEvalHarness');
    expect(r.stdout).toContain('acme.no-eval-harness');
    expect(r.stdout).toContain('(indicators − anti-indicators) / 12');
  });

  it('--format json prints the merged rule set', async () => {
    const r = await runBuilt(['rules', 'show', '--rules', 'examples/rules/strict.yaml', '--format', 'json']);
    expect(r.code).toBe(0);
    const rules = JSON.parse(r.stdout);
    expect(rules.name).toBe('strict');
    expect(rules.decision.tree[1]).toMatchObject({ id: 'tree.indicators', when: { fact: 'framework.indicators', gt: 4 } });
    expect(rules.extends).toBeUndefined();
  });

  it('--facts lists the engine facts and the answer paths with their types', async () => {
    const r = await runBuilt(['rules', 'show', '--facts']);
    expect(r.code).toBe(0);
    for (const [fact, type] of <[string, string][]>[
      ['framework.indicators', 'number'],
      ['framework.ceilingPassed', 'boolean'],
      ['needs.weights', 'list'],
      ['approach', 'text'],
      ['indicators.brandVoice', 'boolean'],
      ['data.examples', 'number'],
      ['usage.requestsPerMonth', 'number'],
    ]) {
      expect(r.stdout).toMatch(new RegExp(`│ ${fact.replace('.', '\\.')}\\s+│ ${type}`));
    }
    const json = await runBuilt(['rules', 'show', '--facts', '--format', 'json']);
    const facts = JSON.parse(json.stdout) as { fact: string; from: string; type: string; meaning: string }[];
    expect(facts.find((f) => f.fact === 'framework.score')).toMatchObject({ from: 'engine', type: 'number' });
    expect(facts.find((f) => f.fact === 'antiIndicators.insufficientData')!.meaning).toMatch(/derived when omitted: \(data\.unit = examples and \(data\.count < 1000/);
  });

  it.each([
    ['FORCE_COLOR=1', { FORCE_COLOR: '1' }, [], true],
    ['FORCE_COLOR=1 and NO_COLOR=1', { FORCE_COLOR: '1', NO_COLOR: '1' }, [], false],
    ['FORCE_COLOR=1 and --no-color', { FORCE_COLOR: '1' }, ['--no-color'], false],
    ['--color', {}, ['--color'], true],
  ] as const)('colour: %s', async (_name, env, args, coloured) => {
    const r = await runBuilt(['rules', 'show', ...args], { env });
    expect(r.code).toBe(0);
    expect(/\x1b\[/.test(r.stdout)).toBe(coloured);
  });

  it.each([
    ['--no-color', { FORCE_COLOR: '1' }, false],
    ['--color', {}, true],
  ] as const)('colour: %s before the command', async (flag, env, coloured) => {
    const r = await runBuilt([flag, 'rules', 'show'], { env });
    expect(r.code).toBe(0);
    expect(/\x1b\[/.test(r.stdout)).toBe(coloured);
  });

  it('a broken --rules file is exit 2 with its problems', async () => {
    const file = write('show-broken.yaml', 'extends: default\nname: x\nversion: 1\nframework: { score: { bands: [{ band: strong }, { band: weak, when: { lt: 0 } }] } }\n');
    const r = await runBuilt(['rules', 'show', '--rules', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/framework\.score\.bands\[0\]: only the last band may omit `when`/);
    expectNoStackTrace(r.stderr);
  });
});

describe('help', () => {
  it.each([['rules'], ['rules', 'validate'], ['rules', 'show'], ['schema'], ['init'], ['diff']])('%s --help has examples', async (...cmd) => {
    const r = await runBuilt([...cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:\n {2}\$ ft-advisor /);
  });
});
