// `.ft-advisor.yaml`: the project's rule set and default options, found upward from the
// working directory; flags on the command line win; the report names the file used.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, expectNoStackTrace, ROOT, runBuilt, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
let deep: string;
const taskApi = join(ROOT, 'examples/task-api.yaml');

beforeAll(async () => {
  await ensureBuilt();
  tmp = tempDir('ft-advisor-config-');
  mkdirSync(join(tmp.dir, 'ml'));
  copyFileSync(join(ROOT, 'examples/rules/strict.yaml'), join(tmp.dir, 'ml/strict.yaml'));
  writeFileSync(join(tmp.dir, '.ft-advisor.yaml'), '# the project defaults\nrules: ml/strict.yaml\nassess:\n  format: json\n  whatIf: false\n');
  deep = join(tmp.dir, 'services/bot');
  mkdirSync(deep, { recursive: true });
});
afterAll(() => tmp.cleanup());

const json = (stdout: string) => JSON.parse(stdout) as { rules: { name: string }; config?: string; recommendation: { approach: string }; whatIf: unknown[] };

describe('.ft-advisor.yaml', () => {
  it('is found upward from the working directory: its rule set and options apply, and the report names it', async () => {
    const r = await runBuilt(['assess', '--answers', taskApi], { cwd: deep });
    expect(r.code).toBe(0);
    const report = json(r.stdout);
    expect(report.rules.name).toBe('strict');
    expect(report.recommendation.approach).toBe('rag');
    expect(report.whatIf).toEqual([]);
    expect(report.config).toBe(join('..', '..', '.ft-advisor.yaml'));
  });

  it('is named in every report of a batch', async () => {
    const r = await runBuilt(['assess', taskApi, join(ROOT, 'examples/support-bot.yaml')], { cwd: deep });
    expect(r.code).toBe(0);
    const reports = JSON.parse(r.stdout) as { config?: string; rules: { name: string } }[];
    expect(reports.map((x) => [x.rules.name, x.config])).toEqual([
      ['strict', join('..', '..', '.ft-advisor.yaml')],
      ['strict', join('..', '..', '.ft-advisor.yaml')],
    ]);
  });

  it('loses to flags given on the command line', async () => {
    const r = await runBuilt(['assess', '--answers', taskApi, '--rules', join(ROOT, 'rules/default.yaml'), '--format', 'text'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('VERDICT');
    expect(r.stdout).toContain('rules default');
    // The text report names the config it took the remaining defaults from.
    expect(r.stdout).toMatch(/^config \.ft-advisor\.yaml$/m);
  });

  it('--no-config ignores it; without one the report has no config field', async () => {
    const r = await runBuilt(['assess', '--answers', taskApi, '--no-config', '--format', 'json'], { cwd: deep });
    expect(r.code).toBe(0);
    const report = json(r.stdout);
    expect(report.rules.name).toBe('default');
    expect(report.config).toBeUndefined();
  });

  it('--config names another file', async () => {
    const other = join(tmp.dir, 'other.yaml');
    writeFileSync(other, 'assess:\n  expect: hybrid\n');
    const r = await runBuilt(['assess', '--answers', taskApi, '--config', other, '--format', 'json'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(json(r.stdout).config).toBe('other.yaml');
  });

  it('applies to rules show and schema answers too', async () => {
    const show = await runBuilt(['rules', 'show', '--format', 'json'], { cwd: deep });
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout).name).toBe('strict');
    const schema = await runBuilt(['schema', 'rules'], { cwd: deep });
    expect(schema.code).toBe(0);
  });

  it.each([
    ['an unknown setting', 'rule: ml/strict.yaml\n', /\.ft-advisor\.yaml: rule: unknown setting \(did you mean rules\?\)/],
    ['an unknown assess option', 'assess:\n  fromat: json\n', /\.ft-advisor\.yaml: assess\.fromat: unknown option \(did you mean format\?\)/],
    ['a format that does not exist', 'assess:\n  format: html\n', /assess\.format: expected one of text, json, markdown, jsonl, got "html"/],
    ['a rule set that does not exist', 'rules: ml/missing.yaml\n', /missing\.yaml/],
  ])('%s is exit 2, naming the file and the dot path', async (_name, text, message) => {
    const dir = join(tmp.dir, `bad-${Math.random().toString(36).slice(2)}`);
    mkdirSync(dir);
    writeFileSync(join(dir, '.ft-advisor.yaml'), text);
    const r = await runBuilt(['assess', '--answers', taskApi], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expectNoStackTrace(r.stderr);
  });
});
