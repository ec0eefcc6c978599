// The GitHub Action (action.yml), run here as the runner would: each step's `run:` script
// with bash, its inputs in the environment as the step's `env:` maps them, GITHUB_OUTPUT
// and GITHUB_STEP_SUMMARY pointing at temp files. `npx` is a stand-in on PATH that
// records what it was asked to run and runs the ft-advisor built here instead of
// downloading one.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { BIN, ensureBuilt, ROOT, tempDir } from './helpers';

interface Step {
  id?: string;
  shell: string;
  env?: Record<string, string>;
  run: string;
}
interface Action {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = YAML.parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  await ensureBuilt();
  tmp = tempDir('ft-advisor-action-');
  const npx = join(tmp.dir, 'npx');
  writeFileSync(
    npx,
    `#!/usr/bin/env bash
printf '%s\\n' "$*" >> "$NPX_LOG"
[ "$1" = --yes ] && shift
case "$1" in ft-advisor@*) shift ;; *) echo "npx stand-in: unexpected $1" >&2; exit 99 ;; esac
exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"
`,
  );
  chmodSync(npx, 0o755);
});
afterAll(() => tmp.cleanup());

interface ActionRun {
  code: number | null;
  log: string;
  outputs: Record<string, string>;
  summary: string;
  npx: string[];
}

/** Runs the action's steps with these inputs; `${{ inputs.x }}` is the input or its default. */
async function runAction(inputs: Record<string, string>, name: string): Promise<ActionRun> {
  const files = { output: join(tmp.dir, `${name}.output`), summary: join(tmp.dir, `${name}.summary.md`), npx: join(tmp.dir, `${name}.npx.log`) };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const runnerTemp = join(tmp.dir, `${name}-runner`);
  await import('node:fs').then((fs) => fs.mkdirSync(runnerTemp, { recursive: true }));
  const value = (expr: string) =>
    expr.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, key: string) => {
      if (!(key in action.inputs)) throw new Error(`action.yml uses an undeclared input ${key}`);
      return inputs[key] ?? action.inputs[key]!.default ?? '';
    });
  let log = '';
  let code: number | null = 0;
  const outputs: Record<string, string> = {};
  for (const step of action.runs.steps) {
    expect(step.shell).toBe('bash');
    // Inputs go through env: the script itself must not paste them in.
    expect(step.run).not.toMatch(/\$\{\{/);
    const env: Record<string, string> = {
      PATH: `${tmp.dir}:${process.env.PATH}`,
      HOME: process.env.HOME ?? tmp.dir,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      RUNNER_TEMP: runnerTemp,
      NPX_LOG: files.npx,
    };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = value(v);
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      execFile('bash', ['-e', '-c', step.run], { cwd: ROOT, env }, (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr }));
    });
    log += r.out;
    code = r.code;
    for (const line of readFileSync(files.output, 'utf8').split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0 && step.id) outputs[`${step.id}.${line.slice(0, eq)}`] = line.slice(eq + 1);
    }
    if (code !== 0) break;
  }
  // The action's outputs, as its `outputs:` map them from the steps'.
  const mapped: Record<string, string> = {};
  for (const [name, o] of Object.entries(action.outputs)) {
    const m = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}$/.exec(o.value);
    expect(m, `output ${name}`).not.toBeNull();
    const v = outputs[`${m![1]}.${m![2]}`];
    if (v !== undefined) mapped[name] = v;
  }
  return { code, log, outputs: mapped, summary: readFileSync(files.summary, 'utf8'), npx: readFileSync(files.npx, 'utf8').split('\n').filter(Boolean) };
}

describe('action.yml', () => {
  it('is a composite action with the documented inputs and outputs, pinned to this version', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs).sort()).toEqual(['answers', 'baseline', 'data', 'evidence', 'expect', 'format', 'rules', 'strict-evidence', 'version']);
    expect(action.inputs.answers!.required).toBe(true);
    expect(Object.keys(action.outputs)).toEqual(expect.arrayContaining(['approach', 'confidence']));
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(String(action.inputs.version!.default)).toBe(pkg.version);
  });

  it('assesses, passes the gate, sets the outputs and writes the job summary', async () => {
    const r = await runAction({ answers: 'examples/task-api.yaml', expect: 'hybrid' }, 'pass');
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ approach: 'hybrid', confidence: 'moderate-strong' });
    expect(JSON.parse(readFileSync(r.outputs.report!, 'utf8')).useCase).toBe('Task API assistant');
    expect(r.summary).toContain('# ft-advisor: Task API assistant');
    // Once in the summary: the second run, for the log, leaves it alone.
    expect(r.summary.match(/# ft-advisor: Task API assistant/g)).toHaveLength(1);
    expect(r.log).toContain('VERDICT');
    expect(r.npx.every((l) => l.startsWith('--yes ft-advisor@0.1.0 assess'))).toBe(true);
  });

  it('fails the step when the gate fails, with the outputs still set', async () => {
    const r = await runAction({ answers: 'examples/task-api.yaml', expect: 'fine-tune' }, 'gate');
    expect(r.code).toBe(1);
    expect(r.outputs.approach).toBe('hybrid');
    expect(r.log).toMatch(/expected approach "fine-tune"/);
  });

  it('takes a rule set, a baseline and the format of the log', async () => {
    const baseline = join(tmp.dir, 'baseline.json');
    await runAction({ answers: 'examples/task-api.yaml', format: 'json' }, 'baseline').then((r) => writeFileSync(baseline, readFileSync(r.outputs.report!, 'utf8')));
    const same = await runAction({ answers: 'examples/task-api.yaml', baseline, format: 'json' }, 'same');
    expect(same.code).toBe(0);
    expect(same.log).toMatch(/^ {4}"approach": "hybrid",$/m);
    expect(same.log).not.toContain('VERDICT');
    const strict = await runAction({ answers: 'examples/task-api.yaml', rules: 'examples/rules/strict.yaml', baseline }, 'strict');
    expect(strict.outputs.approach).toBe('rag');
    expect(strict.code).toBe(1);
  });

  it('passes --evidence only when the input is given', async () => {
    const without = await runAction({ answers: 'examples/task-api.yaml' }, 'no-evidence');
    expect(without.npx.join('\n')).not.toContain('--evidence');
    const evidence = join(tmp.dir, 'evidence.yaml');
    writeFileSync(evidence, 'version: 1\n');
    const withEvidence = await runAction({ answers: 'examples/task-api.yaml', evidence }, 'evidence');
    expect(withEvidence.npx[0]).toContain(`--evidence ${evidence}`);
  });

  it('strict-evidence fails the step when the evidence contradicts an answer; data is passed on as --data', async () => {
    // The support bot answers "not tested on several models"; the results show two providers.
    const results = join(ROOT, 'examples/evidence/promptfoo-results.json');
    const lenient = await runAction({ answers: 'examples/support-bot.yaml', evidence: results }, 'lenient');
    expect(lenient.code).toBe(0);
    const strict = await runAction({ answers: 'examples/support-bot.yaml', evidence: results, 'strict-evidence': 'true' }, 'strict-evidence');
    expect(strict.code).toBe(1);
    expect(strict.log).toMatch(/--strict-evidence: 1 explicit answer is contradicted by evidence/);
    expect(strict.outputs.approach).toBe('rag');
    // Not a fine-tuning verdict: no confidence, rather than the word "null".
    expect(strict.outputs.confidence).toBe('');
    const data = await runAction({ answers: 'examples/task-api.yaml', data: 'examples/data/chat.jsonl' }, 'data');
    expect(data.npx[0]).toContain('--data examples/data/chat.jsonl');
    const wrong = await runAction({ answers: 'examples/task-api.yaml', 'strict-evidence': 'yes' }, 'strict-wrong');
    expect(wrong.code).toBe(2);
    expect(wrong.log).toMatch(/strict-evidence must be 'true' or 'false', got 'yes'/);
  });

  it("a missing answers file fails the step with the tool's message and no outputs", async () => {
    const r = await runAction({ answers: 'nowhere.yaml' }, 'missing');
    expect(r.code).toBe(2);
    expect(r.log).toMatch(/nowhere\.yaml: no such file/);
    expect(r.outputs).toEqual({});
    expect(existsSync(join(tmp.dir, 'missing-runner', 'ft-advisor-report.json'))).toBe(false);
  });
});
