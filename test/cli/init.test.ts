// `ft-advisor init [file]`: a commented answers template that validates and assesses
// as written, never overwrites without --force, and points editors at the schema.
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, expectNoStackTrace, runBuilt, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
beforeAll(async () => {
  await ensureBuilt();
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

describe('init', () => {
  it('writes the template to standard output when no file is given', async () => {
    const r = await runBuilt(['init'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('# yaml-language-server: $schema=./node_modules/ft-advisor/schemas/answers.schema.json');
    expect(r.stdout).toContain('ft-advisor schema answers > answers.schema.json');
    // Every section and question of the rule set, with its prompt as a comment.
    for (const section of ['useCase', 'needs', 'ceiling', 'indicators', 'antiIndicators', 'knowledge', 'data', 'training', 'dataChecklist', 'usage', 'roi', 'rubric']) {
      expect(r.stdout).toMatch(new RegExp(`^(# )?${section}:`, 'm'));
    }
    expect(r.stdout).toContain('# Have you tried at least five different prompt variations?');
    expect(r.stdout).toMatch(/^ {2}promptVariations: false$/m);
    expect(r.stdout).toMatch(/^ {2}brandVoice: false$/m);
    // Optional sections are commented out.
    expect(r.stdout).toMatch(/^# usage:$/m);
    expect(r.stdout).toMatch(/^# {3}requestsPerDay: 0$/m);
    expect(r.stdout).toMatch(/^# rubric:$/m);
    // Every choice is listed; one safe placeholder is left in.
    expect(r.stdout).toMatch(/^ {2}- general/m);
    expect(r.stdout).toMatch(/^# {3}- knowledge +# Facts the model does not know/m);
  });

  it('the template, with only the required yes/no answers filled, validates and assesses', async () => {
    const r = await runBuilt(['init'], { cwd: tmp.dir });
    const file = join(tmp.dir, 'as-is.yaml');
    writeFileSync(file, r.stdout);
    const data = parse(r.stdout);
    expect(Object.keys(data)).toEqual(['version', 'useCase', 'needs', 'ceiling', 'indicators', 'antiIndicators']);
    const a = await runBuilt(['assess', '--answers', file, '--format', 'json']);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).recommendation.approach).toBe('prompt');
  });

  it('filled in like the Task API example, the template gives the same verdict', async () => {
    const r = await runBuilt(['init'], { cwd: tmp.dir });
    const text = r.stdout
      .replace('name: "My use case"', 'name: "Task API assistant"')
      .replace(/^ {2}- general.*$/m, '  - behavior\n  - style\n  - knowledge\n  - tools\n  - safety')
      .replace(/^(\s+)(promptVariations|multipleModels|retrievalOptimized|fewShot|structuredPrompt|consistentBehavior|domainKnowledge|brandVoice|latency): false$/gm, '$1$2: true')
      .replace(/^ {2}insufficientData: false\n/m, '')
      .replace(/^# data:\n# {3}# .*\n# {3}# .*\n# {3}# .*\n# {3}examples: 0$/m, 'data:\n  examples: 10000');
    const file = join(tmp.dir, 'task-api.yaml');
    writeFileSync(file, text);
    const a = await runBuilt(['assess', '--answers', file, '--format', 'json']);
    expect(a.stderr).toBe('');
    const report = JSON.parse(a.stdout);
    expect(report.recommendation.approach).toBe('hybrid');
    expect(report.derived.map((d: { path: string }) => d.path)).toContain('antiIndicators.insufficientData');
  });

  it('writes a file atomically, says what to do next, and refuses to overwrite it (exit 2) unless --force', async () => {
    const file = join(tmp.dir, 'answers.yaml');
    const first = await runBuilt(['init', 'answers.yaml'], { cwd: tmp.dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr).toMatch(/wrote answers\.yaml\. .*ft-advisor assess --answers answers\.yaml/);
    expect(readFileSync(file, 'utf8')).toMatch(/^# yaml-language-server: /);
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.tmp'))).toEqual([]);

    writeFileSync(file, 'mine\n');
    const again = await runBuilt(['init', 'answers.yaml'], { cwd: tmp.dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('ft-advisor: answers.yaml: already exists; not overwritten (pass --force to replace it, or choose another file name)\n');
    expect(readFileSync(file, 'utf8')).toBe('mine\n');

    const forced = await runBuilt(['init', 'answers.yaml', '--force'], { cwd: tmp.dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^# yaml-language-server: /);
  });

  it('points at answers.schema.json when that file sits next to the target', async () => {
    const dir = join(tmp.dir, 'with-schema');
    mkdirSync(dir);
    const schema = await runBuilt(['schema', 'answers']);
    writeFileSync(join(dir, 'answers.schema.json'), schema.stdout);
    const r = await runBuilt(['init', 'with-schema/a.yaml'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=answers.schema.json');
    const stdout = await runBuilt(['init'], { cwd: dir });
    expect(stdout.stdout.split('\n')[0]).toBe('# yaml-language-server: $schema=answers.schema.json');
  });

  it('follows --rules: the template asks the custom questions and still assesses', async () => {
    const r = await runBuilt(['init', '--rules', 'examples/rules/platform.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rule set acme-platform 3');
    expect(r.stdout).toContain('# Is there no automated evaluation harness for this use case yet?');
    expect(r.stdout).toMatch(/^ {2}noEvalHarness: false$/m);
    expect(r.stdout).toContain('--rules examples/rules/platform.yaml');
    const file = join(tmp.dir, 'platform.yaml');
    writeFileSync(file, r.stdout);
    const a = await runBuilt(['assess', '--answers', file, '--rules', 'examples/rules/platform.yaml', '--format', 'json']);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).framework.totalFactors).toBe(12);
  });

  it.each([
    ['a missing folder', 'no/such/dir/a.yaml', /no\/such\/dir\/a\.yaml: cannot write the template: directory no\/such\/dir does not exist/],
    ['a folder as the target', '.', /^ft-advisor: .: is a folder; expected a file name for the template/],
  ])('%s: exit 2, nothing written', async (_name, target, message) => {
    const r = await runBuilt(['init', target, '--force'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expectNoStackTrace(r.stderr);
  });

  it.skipIf(process.getuid?.() === 0)('a read-only folder: exit 2', async () => {
    const dir = join(tmp.dir, 'ro');
    mkdirSync(dir);
    chmodSync(dir, 0o500);
    const r = await runBuilt(['init', 'ro/a.yaml'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not writable/);
    expect(existsSync(join(dir, 'a.yaml'))).toBe(false);
  });
});
