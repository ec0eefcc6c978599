// The questionnaire reads the training data instead of asking the data questions.
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AssessOptions } from '../../src/cli/commands/assess';
import { interactiveAssess } from '../../src/cli/commands/assess-interactive';
import { loadDefaultRules } from '../../src/rules/load';
import type { RuleSet } from '../../src/rules/schema';
import { fakeTerminal } from '../support/fake-io';
import { ROOT } from '../support/run-cli';
import { fields, scriptedAsk, SHORT_STEPS, type Step } from './scripted-ask';

let rules: RuleSet;
let dir: string;
beforeAll(async () => {
  rules = await loadDefaultRules();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ft-advisor-data-offer-'));
  await copyFile(join(ROOT, 'examples/data/chat.jsonl'), join(dir, 'train.jsonl'));
  await copyFile(join(ROOT, 'examples/data/chat-holdout.jsonl'), join(dir, 'holdout.jsonl'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The eval-results step comes first; Enter skips it. */
const NO_EVAL: Step = ['@evidence', ''];
const END: Step[] = [
  ['@review', '@done'],
  ['@saveAnswers', false],
  ['@saveReport', false],
];
const before = (path: string) =>
  SHORT_STEPS.slice(
    0,
    SHORT_STEPS.findIndex((s) => s[0] === path),
  );
const from = (path: string) => SHORT_STEPS.slice(SHORT_STEPS.findIndex((s) => s[0] === path));
/** SHORT_STEPS without the data section, with the checklist the file opened asked item by item. */
const withoutData = (checklist: Record<string, boolean>): Step[] => [
  ...before('data.examples'),
  ...fields('antiIndicators', { rapidlyChangingRequirements: false, lowVolume: false, explorationPhase: false, promptsWorking: false }),
  ['training', false],
  ...fields('dataChecklist', checklist),
  ...from('usage'),
];
const WITHOUT_DATA = withoutData({ productionDistribution: true, formatMatchesProduction: true, expertReviewed: false, edgeCases: false });
// Without a holdout file, the holdout question is still asked.
const WITHOUT_HOLDOUT = withoutData({ productionDistribution: true, formatMatchesProduction: true, heldOutTestSet: true, expertReviewed: false, edgeCases: false });

async function run(steps: readonly Step[], opts: Partial<AssessOptions> = {}, evalAsked = true) {
  const t = fakeTerminal(dir);
  const script = scriptedAsk(evalAsked ? [NO_EVAL, ...steps] : steps);
  const code = await interactiveAssess(rules, { format: 'json', whatIf: false, ...opts }, t.io, { ask: script.ask, trapSignals: false });
  expect(script.remaining()).toEqual([]);
  return { code, out: t.out(), script };
}

const reportIn = (out: string) => JSON.parse(out.slice(out.indexOf('\n{') + 1, out.lastIndexOf('\n}') + 2));

describe('the questionnaire and the training data', () => {
  it('offers the JSONL files it finds; the file answers the data questions, which are not asked', async () => {
    const { code, out } = await run([['@dataFile', 'train.jsonl'], ['@holdoutFile', 'holdout.jsonl'], ...WITHOUT_DATA, ...END]);
    expect(code).toBe(0);
    expect(out).toContain('From train.jsonl:\n  data.examples = 13 (13 usable examples: lines without problems, each duplicate counted once)\n  dataChecklist.noPii = false');
    expect(out).toContain('  ! train.jsonl: 11.1% of the examples are duplicates');
    const report = reportIn(out);
    expect(report.answers.data).toEqual({ examples: 13 });
    expect(report.answers.dataChecklist).toMatchObject({ noPii: false, heldOutTestSet: false, productionDistribution: true });
    expect(report.trace.filter((t: { kind: string }) => t.kind === 'evidence').map((t: { rule: string }) => t.rule)).toEqual([
      'evidence.data.examples',
      'evidence.dataChecklist.noPii',
      'evidence.dataChecklist.heldOutTestSet',
    ]);
  });

  it('saved answers name the training and holdout files instead of the answers they filled, and replay the same', async () => {
    const steps = [
      ['@dataFile', 'train.jsonl'],
      ['@holdoutFile', 'holdout.jsonl'],
      ...WITHOUT_DATA,
      ['@review', '@done'],
      ['@saveAnswers', true],
      ['@answersFile', 'answers.yaml'],
      ['@saveReport', false],
    ] as Step[];
    const { code, out } = await run(steps);
    expect(code).toBe(0);
    const text = await readFile(join(dir, 'answers.yaml'), 'utf8');
    expect(text).toMatch(/^data:\n {2}file: train\.jsonl\n {2}holdout: holdout\.jsonl\n(?! {2}examples)/m);
    expect(text).not.toMatch(/noPii/);
    const replay = fakeTerminal(dir);
    const { assessCommand } = await import('../../src/cli/commands/assess');
    expect(await assessCommand([], { format: 'json', answers: 'answers.yaml', whatIf: false }, replay.io)).toBe(0);
    const report = JSON.parse(replay.out());
    expect(report.recommendation.approach).toBe(reportIn(out).recommendation.approach);
    expect(report.answers.data).toEqual({ examples: 13 });
  });

  it('Enter declines the offer and the data questions are asked as usual', async () => {
    const { code, out } = await run([['@dataFile', ''], ...SHORT_STEPS, ...END]);
    expect(code).toBe(0);
    expect(reportIn(out).evidence).toBeUndefined();
  });

  it('a file it cannot read is said, and the offer made again', async () => {
    const { out } = await run([['@dataFile', 'nope.jsonl'], ['@holdoutFile', ''], ['@dataFile', 'train.jsonl'], ['@holdoutFile', ''], ...WITHOUT_HOLDOUT, ...END]);
    expect(out).toContain('Cannot read it: nope.jsonl: no such file; expected a JSONL training file');
  });

  it('--data reads the file without asking', async () => {
    const { out } = await run([...WITHOUT_DATA, ...END], { data: 'train.jsonl', holdout: 'holdout.jsonl' });
    expect(reportIn(out).evidence.filled).toHaveLength(3);
  });

  it('no offer when the folder has no JSONL file', async () => {
    await rm(join(dir, 'train.jsonl'));
    await rm(join(dir, 'holdout.jsonl'));
    const { code } = await run([...SHORT_STEPS, ...END]);
    expect(code).toBe(0);
  });
});

describe('--ask-missing with data: { file, holdout } in the answers file', () => {
  it('reads the files the answers name instead of refusing their keys', async () => {
    await copyFile(join(ROOT, 'examples/data/answers.yaml'), join(dir, 'answers.yaml'));
    await copyFile(join(dir, 'train.jsonl'), join(dir, 'chat.jsonl'));
    await copyFile(join(dir, 'holdout.jsonl'), join(dir, 'chat-holdout.jsonl'));
    // The file leaves out the primary goal (it has three needs) and declarative optimisation: both are asked.
    const { code, out } = await run([['goal.primary', 'behavior'], ['alternatives.declarativeOptimization', true], ...END], { answers: 'answers.yaml', askMissing: true });
    expect(code).toBe(0);
    expect(out).toContain('From chat.jsonl:\n  data.examples = 13');
    expect(reportIn(out).evidence.filled.map((f: { path: string }) => f.path)).toEqual(['data.examples', 'dataChecklist.noPii', 'dataChecklist.heldOutTestSet']);
  });
});

describe('eval results and training data in one questionnaire', () => {
  it('reads the eval results first, then the training file; one evidence result holds both', async () => {
    await copyFile(join(ROOT, 'examples/evidence/evals.yaml'), join(dir, 'evals.yaml'));
    await copyFile(join(dir, 'train.jsonl'), join(dir, 'chat.jsonl'));
    await copyFile(join(dir, 'holdout.jsonl'), join(dir, 'chat-holdout.jsonl'));
    const answers = (await readFile(join(ROOT, 'examples/data/answers.yaml'), 'utf8')) + 'goal: { primary: behavior }\nalternatives: { declarativeOptimization: true }\nevidence: [evals.yaml]\n';
    await writeFile(join(dir, 'answers.yaml'), answers);
    const targets: Step[] = [
      ['evalTargets.passRate', undefined],
      ['evalTargets.latencyMs', undefined],
      ['evalTargets.costPerRequest', undefined],
    ];
    const { code, out } = await run([...targets, ...END], { answers: 'answers.yaml', askMissing: true }, false);
    expect(code).toBe(0);
    expect(out.indexOf('evals.yaml')).toBeLessThan(out.indexOf('From chat.jsonl:'));
    const report = reportIn(out);
    expect(report.evidence.files.map((f: { file: string }) => f.file)).toEqual(['evals.yaml', 'chat.jsonl']);
    expect(report.evidence.confirmed.map((c: { path: string }) => c.path)).toContain('ceiling.promptVariations');
    expect(report.evidence.filled.map((f: { path: string }) => f.path)).toEqual(['data.examples', 'dataChecklist.noPii', 'dataChecklist.heldOutTestSet']);
  });
});
