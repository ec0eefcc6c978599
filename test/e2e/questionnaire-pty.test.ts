// The built binary in a real pseudo-terminal, keystroke by keystroke, as a person uses it.
// util-linux `script` gives the child a pty even when the test runner has no terminal
// (CI: no stdin, no TTY). Each keystroke waits for the prompt it answers to be on screen.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateAnswers } from '../../src/answers/validate';
import { assessAnswers } from '../../src/engine/assess';
import { loadDefaultRules } from '../../src/rules/load';
import type { RuleSet } from '../../src/rules/schema';
import { parseStructured } from '../../src/util/safe-yaml';
import { ensureBuilt } from '../support/run-cli';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/ft-advisor.cjs');
const SCRIPT = '/usr/bin/script';
const hasScript = existsSync(SCRIPT) && spawnSync(SCRIPT, ['--version']).status === 0;

const KEY = { enter: '\r', down: '\x1b[B', up: '\x1b[A', space: ' ', ctrlC: '\x03' } as const;

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const flat = (s: string) => stripVTControlCharacters(s).replace(/\s+/g, ' ');

class Terminal {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;
  private output = '';
  private mark = 0;

  constructor(args: string[], cwd: string) {
    const command = `stty cols 100 rows 40; exec ${[process.execPath, BIN, ...args].map(shellQuote).join(' ')}`;
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('npm_') && !['NO_COLOR', 'FORCE_COLOR', 'GITHUB_STEP_SUMMARY', 'CI'].includes(k)) env[k] = v;
    env.TERM = 'xterm';
    this.child = spawn(SCRIPT, ['-qfec', command, '/dev/null'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (d: Buffer) => (this.output += d.toString('utf8')));
    this.child.stderr.on('data', (d: Buffer) => (this.output += d.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  /** Everything shown so far, escape sequences removed, whitespace collapsed. */
  get screen(): string {
    return flat(this.output);
  }

  /** Waits until `text` appears in what was printed since the last keystrokes. */
  async expect(text: string | RegExp, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const want = typeof text === 'string' ? flat(text) : text;
    for (;;) {
      const fresh = flat(this.output.slice(this.mark));
      if (typeof want === 'string' ? fresh.includes(want) : want.test(fresh)) return;
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`waited for ${String(text)}; the terminal shows:\n${stripVTControlCharacters(this.output.slice(this.mark)).slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Types keys one at a time, with a short pause between them, like a person. */
  async type(...keys: string[]): Promise<void> {
    this.mark = this.output.length;
    for (const key of keys) {
      this.child.stdin.write(key);
      await new Promise((r) => setTimeout(r, 40));
    }
  }

  /** Waits for the prompt, then answers it. */
  async answer(prompt: string | RegExp, ...keys: string[]): Promise<void> {
    await this.expect(prompt);
    await this.type(...keys);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

let rules: RuleSet;
let dir: string;
const terminals: Terminal[] = [];

function open(args: string[]): Terminal {
  const t = new Terminal(args, dir);
  terminals.push(t);
  return t;
}

/** The prompt text of a question, from the rule set the binary uses. */
function prompt(path: string): string {
  const [sectionId, fieldId] = path.split('.');
  const section = rules.sections.find((s) => s.id === sectionId)!;
  if (!fieldId) return section.optional ? section.offer! : section.prompt!;
  return section.fields!.find((f) => f.id === fieldId)!.prompt;
}

/** The first question: eval results to start from (Enter skips). */
const EVIDENCE = 'Eval results to start from?';

const yes = [KEY.up, KEY.enter];
const no = [KEY.enter]; // Yes/No questions default to no in the default rules.

/** The questions up to (not including) the indicators' brand voice. */
async function firstPart(t: Terminal): Promise<void> {
  await t.answer(prompt('useCase.name'), 'PTY bot', KEY.enter);
  await t.answer(prompt('useCase.description'), KEY.enter);
  // Pick the first need (format), Enter.
  await t.answer(prompt('needs'), KEY.space, KEY.enter);
  for (const id of ['promptVariations', 'multipleModels', 'retrievalOptimized', 'fewShot', 'structuredPrompt']) {
    await t.answer(prompt(`ceiling.${id}`), ...yes);
  }
  // The ceiling is passed, so declarative prompt optimisation is asked.
  await t.answer(prompt('alternatives.declarativeOptimization'), ...yes);
  await t.answer(prompt('indicators.consistentBehavior'), ...yes);
  await t.answer(prompt('indicators.domainKnowledge'), ...no);
}

/** From the brand voice question to the verdict and the save offers. */
async function secondPart(t: Terminal): Promise<void> {
  await t.answer(prompt('indicators.brandVoice'), ...yes);
  for (const id of ['costOptimization', 'latency', 'dataSovereignty']) await t.answer(prompt(`indicators.${id}`), ...no);
  await t.answer(prompt('data.examples'), '300', KEY.enter);
  await t.answer(prompt('data.preferencePairs'), KEY.enter);
  await t.answer(prompt('data.documents'), KEY.enter);
  for (const id of ['rapidlyChangingRequirements', 'lowVolume', 'explorationPhase']) await t.answer(prompt(`antiIndicators.${id}`), ...no);
  await t.answer(prompt('antiIndicators.promptsWorking'), ...no);
  for (const id of ['training', 'dataChecklist', 'usage', 'roi', 'rubric']) await t.answer(prompt(id), KEY.enter);
  await t.answer('Are these answers right?', KEY.enter);
  await t.answer('Save your answers to a YAML file?', KEY.enter);
  await t.answer('Save the answers as:', KEY.enter);
  await t.answer('Also write the report as Markdown?', KEY.enter);
}

const EXPECTED = {
  version: 1,
  useCase: { name: 'PTY bot' },
  needs: ['format'],
  ceiling: { promptVariations: true, multipleModels: true, retrievalOptimized: true, fewShot: true, structuredPrompt: true },
  alternatives: { declarativeOptimization: true },
  indicators: { consistentBehavior: true, domainKnowledge: false, brandVoice: true, costOptimization: false, latency: false, dataSovereignty: false },
  antiIndicators: { rapidlyChangingRequirements: false, lowVolume: false, explorationPhase: false, promptsWorking: false },
  data: { examples: 300 },
};

async function readYaml(file: string): Promise<unknown> {
  return parseStructured(await readFile(join(dir, file), 'utf8'), { file });
}

describe.skipIf(!hasScript)('the questionnaire in a pseudo-terminal', () => {
  beforeAll(async () => {
    await ensureBuilt();
    rules = await loadDefaultRules();
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ft-advisor-pty-'));
  });
  afterEach(async () => {
    for (const t of terminals.splice(0)) {
      t.kill();
      await t.exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('takes a first-time user from the first question to a verdict and a replayable answers file', async () => {
    const t = open(['assess']);
    await t.answer(EVIDENCE, KEY.enter);
    await t.expect(/\d+ questions to go/);
    await firstPart(t);
    await secondPart(t);
    expect(await t.exited).toBe(0);
    const screen = t.screen;
    expect(screen).toMatch(/Indicators · 3 of 6 · question \d+ of \d+/);
    expect(screen).toMatch(/Insufficient data: derived as yes \(300 labelled examples/);
    expect(screen).toContain('── Your answers ──');
    const verdict = /VERDICT (.+?) \((prompt|rag|fine-tune|hybrid)\)/.exec(screen)?.[2];
    expect(verdict).toBeDefined();
    const saved = validateAnswers(await readYaml('answers.yaml'), rules);
    expect(saved).toEqual(EXPECTED);
    expect(assessAnswers(rules, saved).recommendation.approach).toBe(verdict);
    expect(existsSync(join(dir, '.ft-advisor-draft.yaml'))).toBe(false);
  }, 30_000);

  it('saves a draft on Ctrl-C (exit 130) and --resume continues with nothing lost', async () => {
    const first = open(['assess']);
    await first.answer(EVIDENCE, KEY.enter);
    await firstPart(first);
    await first.answer(prompt('indicators.brandVoice'), KEY.ctrlC);
    expect(await first.exited).toBe(130);
    expect(first.screen).toContain('saved in .ft-advisor-draft.yaml');
    expect(first.screen).toContain('ft-advisor assess --resume');
    const draft = validateAnswers(await readYaml('.ft-advisor-draft.yaml'), rules, { partial: true });
    expect(draft).toEqual({
      version: 1,
      useCase: { name: 'PTY bot' },
      needs: ['format'],
      ceiling: EXPECTED.ceiling,
      alternatives: EXPECTED.alternatives,
      indicators: { consistentBehavior: true, domainKnowledge: false },
    });

    const second = open(['assess', '--resume']);
    await second.expect('Continuing from .ft-advisor-draft.yaml');
    await secondPart(second);
    expect(await second.exited).toBe(0);
    // The first questions were not asked again.
    expect(second.screen).not.toContain(prompt('useCase.name'));
    expect(second.screen).toMatch(/VERDICT/);
    expect(validateAnswers(await readYaml('answers.yaml'), rules)).toEqual(EXPECTED);
    expect(existsSync(join(dir, '.ft-advisor-draft.yaml'))).toBe(false);
  }, 30_000);

  it('saves a draft when the terminal is closed part-way through', async () => {
    const t = open(['assess']);
    await t.answer(EVIDENCE, KEY.enter);
    await t.answer(prompt('useCase.name'), 'Closed bot', KEY.enter);
    await t.answer(prompt('useCase.description'), 'Gone', KEY.enter);
    await t.expect(prompt('needs'));
    // Ending `script` closes the pty: the questionnaire gets a hang-up, as when a window closes.
    t.child.kill('SIGTERM');
    await t.exited;
    const draftFile = join(dir, '.ft-advisor-draft.yaml');
    const deadline = Date.now() + 10_000;
    while (!existsSync(draftFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(validateAnswers(await readYaml('.ft-advisor-draft.yaml'), rules, { partial: true })).toEqual({ version: 1, useCase: { name: 'Closed bot', description: 'Gone' } });
  }, 30_000);

  it('starts from eval results: shows what they settle, skips those questions and reports the evidence', async () => {
    const results = join(ROOT, 'examples/evidence/promptfoo-results.json');
    const t = open(['assess', '--no-what-if']);
    await t.answer(EVIDENCE, results, KEY.enter);
    // The targets: Enter takes the 80% default, then no latency or cost budget.
    await t.answer(prompt('evalTargets.passRate'), KEY.enter);
    await t.answer(prompt('evalTargets.latencyMs'), KEY.enter);
    await t.answer(prompt('evalTargets.costPerRequest'), KEY.enter);
    await t.expect('The questionnaire skips these 3 answers');
    await t.answer(prompt('useCase.name'), 'Evidence bot', KEY.enter);
    await t.answer(prompt('useCase.description'), KEY.enter);
    await t.answer(prompt('needs'), KEY.space, KEY.enter);
    // promptVariations and multipleModels came from the results.
    for (const id of ['retrievalOptimized', 'fewShot', 'structuredPrompt']) await t.answer(prompt(`ceiling.${id}`), ...yes);
    await t.answer(prompt('alternatives.declarativeOptimization'), ...yes);
    await t.answer(prompt('indicators.consistentBehavior'), ...yes);
    for (const id of ['domainKnowledge', 'brandVoice', 'costOptimization', 'latency', 'dataSovereignty']) await t.answer(prompt(`indicators.${id}`), ...no);
    await t.answer(prompt('data.examples'), '300', KEY.enter);
    await t.answer(prompt('data.preferencePairs'), KEY.enter);
    await t.answer(prompt('data.documents'), KEY.enter);
    // promptsWorking too: no question for it.
    for (const id of ['rapidlyChangingRequirements', 'lowVolume', 'explorationPhase']) await t.answer(prompt(`antiIndicators.${id}`), ...no);
    for (const id of ['training', 'dataChecklist', 'usage', 'roi', 'rubric']) await t.answer(prompt(id), KEY.enter);
    await t.answer('Are these answers right?', KEY.enter);
    await t.answer('Save your answers to a YAML file?', KEY.enter);
    await t.answer('Save the answers as:', KEY.enter);
    await t.answer('Also write the report as Markdown?', KEY.enter);
    expect(await t.exited).toBe(0);
    const screen = t.screen;
    expect(screen).toContain('promptfoo results (version 3)');
    expect(screen).toMatch(/ceiling\.promptVariations = yes \(5 distinct prompts/);
    expect(screen).not.toContain(prompt('ceiling.promptVariations'));
    expect(screen).not.toContain(prompt('antiIndicators.promptsWorking'));
    expect(screen).toMatch(/Filled from the evidence/);
    expect(screen).toMatch(/Prompting has plateaued/);
    // The saved answers name the results file (relative to themselves) instead of what it filled;
    // read again, it fills the same answers.
    const saved = (await readYaml('answers.yaml')) as Record<string, any>;
    expect(saved.evidence).toEqual([relative(dir, results).split(sep).join('/')]);
    expect(saved.ceiling).not.toHaveProperty('promptVariations');
    const { prepareEvidence } = await import('../../src/evidence/eval/prepare');
    const replayed = validateAnswers((await prepareEvidence(rules, saved, { answersFile: join(dir, 'answers.yaml') })).data, rules) as Record<string, any>;
    expect(replayed.ceiling).toMatchObject({ promptVariations: true, multipleModels: true });
    expect(replayed.antiIndicators.promptsWorking).toBe(true);
  }, 45_000);
});
