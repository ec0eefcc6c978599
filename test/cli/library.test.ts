// The library entry, imported the way an installed package is: `import ... from
// 'ft-advisor'` resolves through package.json "exports" to the built dist/index.js.
import { execFile } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, tempDir } from './helpers';

const run = promisify(execFile);
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  await ensureBuilt();
  tmp = tempDir('ft-advisor-lib-');
  mkdirSync(join(tmp.dir, 'node_modules'));
  symlinkSync(ROOT, join(tmp.dir, 'node_modules', 'ft-advisor'), 'dir');
  writeFileSync(join(tmp.dir, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
});
afterAll(() => tmp.cleanup());

async function script(name: string, code: string): Promise<{ stdout: string; stderr: string }> {
  const file = join(tmp.dir, name);
  writeFileSync(file, code);
  return run(process.execPath, [file], { cwd: tmp.dir });
}

describe("import from 'ft-advisor'", () => {
  it('assesses the Task API example: hybrid', async () => {
    const { stdout } = await script(
      'assess.mjs',
      `import { readFileSync } from 'node:fs';
import { assess, loadRules, validateAnswers } from 'ft-advisor';
const { default: YAML } = await import(${JSON.stringify(join(ROOT, 'node_modules/yaml/dist/index.js'))});
const data = YAML.parse(readFileSync(${JSON.stringify(join(ROOT, 'examples/task-api.yaml'))}, 'utf8'));
const rules = await loadRules();
const answers = await validateAnswers(data, rules);
const report = await assess(answers, rules);
console.log(JSON.stringify({ approach: report.recommendation.approach, method: report.recommendation.method.objective, rules: report.rules.name, whatIf: report.whatIf.length > 0 }));
`,
    );
    expect(JSON.parse(stdout)).toEqual({ approach: 'hybrid', method: 'sft', rules: 'default', whatIf: true });
  });

  it('takes a rule set of its own and reports invalid answers as InputError with dot paths', async () => {
    const { stdout } = await script(
      'custom.mjs',
      `import { assess, loadRules, InputError } from 'ft-advisor';
const rules = await loadRules(${JSON.stringify(join(ROOT, 'examples/rules/strict.yaml'))});
const answers = {
  version: 1, useCase: { name: 'Task API assistant' }, needs: ['behavior', 'style', 'knowledge', 'tools', 'safety'],
  ceiling: { promptVariations: true, multipleModels: true, retrievalOptimized: true, fewShot: true, structuredPrompt: true },
  indicators: { consistentBehavior: true, domainKnowledge: true, brandVoice: true, costOptimization: false, latency: true, dataSovereignty: false },
  antiIndicators: { rapidlyChangingRequirements: false, lowVolume: false, explorationPhase: false, promptsWorking: false },
  data: { examples: 10000 },
};
const strict = await assess(answers, rules, { whatIf: false });
const byDefault = await assess(answers);
let error;
try { await assess({ ...answers, indicators: { ...answers.indicators, brandVoise: true } }); } catch (e) { error = e; }
console.log(JSON.stringify({ strict: strict.recommendation.approach, byDefault: byDefault.recommendation.approach, isInputError: error instanceof InputError, paths: error.problems.map((p) => p.path) }));
`,
    );
    expect(JSON.parse(stdout)).toEqual({ strict: 'rag', byDefault: 'hybrid', isInputError: true, paths: ['indicators.brandVoise'] });
  });
});
