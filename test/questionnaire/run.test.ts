// interactiveAssess end to end in-process: the scripted ask stands in for the terminal.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateAnswers } from '../../src/answers/validate';
import { assessCommand, type AssessOptions } from '../../src/cli/commands/assess';
import { assessAnswers } from '../../src/engine/assess';
import { DRAFT_FILE } from '../../src/questionnaire/answers-file';
import { interactiveAssess } from '../../src/cli/commands/assess-interactive';
import { loadDefaultRules } from '../../src/rules/load';
import type { RuleSet } from '../../src/rules/schema';
import { UsageError } from '../../src/util/errors';
import { parseStructured } from '../../src/util/safe-yaml';
import { fakeTerminal } from '../support/fake-io';
import { INTERRUPT, SHORT_STEPS, TASK_API_ANSWERS, scriptedAsk, type Step } from './scripted-ask';

let rules: RuleSet;
let dir: string;
beforeAll(async () => {
  rules = await loadDefaultRules();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ft-advisor-run-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const terminal = () => fakeTerminal(dir);

const OPTS: AssessOptions = { format: 'text' };
const NO_SAVES: Step[] = [
  ['@saveAnswers', false],
  ['@saveReport', false],
];

/** The first question: eval results to start from (Enter skips). */
const NO_EVIDENCE: Step = ['@evidence', undefined];

async function interactive(given: readonly Step[], opts: Partial<AssessOptions> = {}) {
  const t = terminal();
  // Resuming skips the eval-results step, which the first run already had; --evidence
  // names the files, and a script that starts with the step answers it itself.
  const steps = opts.resume !== undefined || opts.evidence || ['@resumeDraft', '@evidence'].includes(given[0]?.[0] ?? '') ? given : [NO_EVIDENCE, ...given];
  const script = scriptedAsk(steps);
  const code = await interactiveAssess(rules, { ...OPTS, ...opts }, t.io, { ask: script.ask, trapSignals: false });
  expect(script.remaining()).toEqual([]);
  return { code, out: t.out(), err: t.err(), script };
}

async function readYaml(file: string): Promise<unknown> {
  return parseStructured(await readFile(join(dir, file), 'utf8'), { file });
}

describe('interactiveAssess', () => {
  it('talks on standard error when standard output is redirected, so only the report lands in the file', async () => {
    const t = terminal();
    t.io.stderr.isTTY = true;
    const script = scriptedAsk([NO_EVIDENCE, ...SHORT_STEPS, ['@review', '@done'], ...NO_SAVES]);
    const code = await interactiveAssess(rules, OPTS, t.io, { ask: script.ask, trapSignals: false });
    expect(code).toBe(0);
    expect(t.out()).toMatch(/^ft-advisor · /);
    expect(t.out()).toMatch(/VERDICT/);
    expect(t.out()).not.toMatch(/should you fine-tune\?/);
    expect(t.err()).toMatch(/should you fine-tune\?/);
  });

  it('asks, shows the verdict as the text report, and saves answers that replay to the same verdict', async () => {
    const { code, out } = await interactive([
      ...SHORT_STEPS,
      ['@review', '@done'],
      ['@saveAnswers', true],
      [
        '@answersFile',
        (q) => {
          expect(q.default).toBe('answers.yaml');
          return 'answers.yaml';
        },
      ],
      ['@saveReport', true],
      ['@reportFile', 'report.md'],
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(/VERDICT/);
    expect(out).toMatch(/Saved the answers to answers\.yaml/);
    const text = await readFile(join(dir, 'answers.yaml'), 'utf8');
    expect(text).toMatch(/^# ft-advisor answers/);
    expect(text).toMatch(/^version: 1$/m);
    const saved = validateAnswers(await readYaml('answers.yaml'), rules);
    // Only what was answered: no derived insufficientData, no empty description.
    expect(saved.antiIndicators).toEqual({ rapidlyChangingRequirements: false, lowVolume: false, explorationPhase: false, promptsWorking: false });
    expect(saved.useCase).toEqual({ name: 'Support bot' });
    const verdict = /VERDICT\s+(.+?)\s+\((prompt|rag|fine-tune|hybrid)\)/.exec(out)?.[2];
    expect(verdict).toBe(assessAnswers(rules, saved).recommendation.approach);
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toMatch(/Support bot/);
    expect(existsSync(join(dir, DRAFT_FILE))).toBe(false);
  });

  it('--save-answers saves without asking, and --answers replays the same verdict through the CLI path', async () => {
    const { code } = await interactive([...SHORT_STEPS, ['@review', '@done'], ['@saveReport', false]], { saveAnswers: 'ci.yaml' });
    expect(code).toBe(0);
    const replay = terminal();
    const replayCode = await assessCommand([], { format: 'json', answers: 'ci.yaml' }, replay.io);
    expect(replayCode).toBe(0);
    const report = JSON.parse(replay.out()) as { recommendation: { approach: string } };
    expect(report.recommendation.approach).toBe(assessAnswers(rules, validateAnswers(await readYaml('ci.yaml'), rules)).recommendation.approach);
  });

  it('refuses an unwritable --save-answers before asking anything', async () => {
    const t = terminal();
    const script = scriptedAsk([]);
    await expect(interactiveAssess(rules, { ...OPTS, saveAnswers: 'missing-dir/a.yaml' }, t.io, { ask: script.ask, trapSignals: false })).rejects.toThrow(/cannot save the answers/);
    expect(script.asked).toEqual([]);
  });

  it('an interruption saves a draft, says where, exits 130; --resume continues and then deletes the draft', async () => {
    const at = SHORT_STEPS.findIndex((s) => s[0] === 'indicators.brandVoice');
    const first = await interactive([...SHORT_STEPS.slice(0, at), ['indicators.brandVoice', INTERRUPT]]);
    expect(first.code).toBe(130);
    expect(first.err).toMatch(/saved in \.ft-advisor-draft\.yaml/);
    expect(first.err).toMatch(/ft-advisor assess --resume/);
    const draft = validateAnswers(await readYaml(DRAFT_FILE), rules, { partial: true });
    expect(draft.indicators).toEqual({ consistentBehavior: true, domainKnowledge: false });
    expect(Object.keys(draft)).toEqual(['version', 'useCase', 'needs', 'ceiling', 'alternatives', 'indicators']);

    const second = await interactive([...SHORT_STEPS.slice(at), ['@review', '@done'], ...NO_SAVES], { resume: true });
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/Continuing from \.ft-advisor-draft\.yaml/);
    expect(second.out).toMatch(/VERDICT/);
    expect(existsSync(join(dir, DRAFT_FILE))).toBe(false);
  });

  it('--resume with a named draft that does not exist is a usage error', async () => {
    const t = terminal();
    await expect(interactiveAssess(rules, { ...OPTS, resume: 'nope.yaml' }, t.io, { ask: scriptedAsk([]).ask, trapSignals: false })).rejects.toThrow(UsageError);
  });

  it('offers to continue a draft found in the working directory', async () => {
    await writeFile(join(dir, DRAFT_FILE), 'version: 1\nuseCase: { name: Found }\nneeds: [format]\n');
    const rest = SHORT_STEPS.filter((s) => !['useCase.name', 'needs'].includes(s[0]));
    const { code, script } = await interactive([['@resumeDraft', true], ...rest, ['@review', '@done'], ...NO_SAVES]);
    expect(code).toBe(0);
    expect(script.paths()).not.toContain('useCase.name');
  });

  it('--answers partial.yaml --ask-missing asks only what the file leaves out', async () => {
    const partial = structuredClone(TASK_API_ANSWERS) as Record<string, unknown>;
    delete (partial.indicators as Record<string, unknown>).latency;
    await writeFile(join(dir, 'partial.yaml'), JSON.stringify(partial));
    const { code, out } = await interactive(
      [
        ['indicators.latency', true],
        ['@review', '@done'],
        ['@saveAnswers', true],
        [
          '@answersFile',
          (q) => {
            expect(q.default).toBe('partial.yaml');
            return 'partial.yaml';
          },
        ],
        ['@answersFile:overwrite', true],
        ['@saveReport', false],
      ],
      { answers: 'partial.yaml', askMissing: true },
    );
    expect(code).toBe(0);
    expect(out).toMatch(/asking only what it leaves out/);
    expect(validateAnswers(await readYaml('partial.yaml'), rules)).toEqual(TASK_API_ANSWERS);
  });

  it('never prints control sequences typed into an answer', async () => {
    const steps = SHORT_STEPS.map((s): Step => (s[0] === 'useCase.name' ? ['useCase.name', 'Bot\x1b]0;owned\x07\x1b[2J'] : s));
    const { out } = await interactive([...steps, ['@review', '@done'], ...NO_SAVES]);
    // No colour on a non-TTY stdout, so no escape character at all.
    expect(out).not.toContain('\x1b');
    expect(out).toContain('Bot');
  });

  it('declining to replace answers.yaml offers answers-2.yaml, so Enter at every question reaches the end', async () => {
    await writeFile(join(dir, 'answers.yaml'), 'kept: true\n');
    await writeFile(join(dir, 'answers-2.yaml'), 'kept: true\n');
    const enter: Step[] = [
      ['@saveAnswers', true],
      ['@answersFile', (q) => q.default],
      ['@answersFile:overwrite', (q) => q.default],
      [
        '@answersFile',
        (q) => {
          expect(q.default).toBe('answers-3.yaml');
          return q.default;
        },
      ],
      ['@saveReport', (q) => q.default],
    ];
    const { code, out } = await interactive([...SHORT_STEPS, ['@review', '@done'], ...enter]);
    expect(code).toBe(0);
    expect(await readFile(join(dir, 'answers.yaml'), 'utf8')).toBe('kept: true\n');
    expect(await readFile(join(dir, 'answers-2.yaml'), 'utf8')).toBe('kept: true\n');
    expect(validateAnswers(await readYaml('answers-3.yaml'), rules)).toBeTruthy();
    expect(out).toContain('Saved the answers to answers-3.yaml. Replay this run (e.g. in CI) with: ft-advisor assess --answers answers-3.yaml');
  });

  it('writes hints as the person runs the tool (npx ft-advisor after a local install)', async () => {
    const t = terminal();
    t.io.command = 'npx ft-advisor';
    const script = scriptedAsk([NO_EVIDENCE, ...SHORT_STEPS, ['@review', '@done'], ['@saveAnswers', true], ['@answersFile', 'mine.yaml'], ['@saveReport', false]]);
    const code = await interactiveAssess(rules, OPTS, t.io, { ask: script.ask, trapSignals: false });
    expect(code).toBe(0);
    expect(t.out()).toContain('Replay this run (e.g. in CI) with: npx ft-advisor assess --answers mine.yaml');
    expect(await readFile(join(dir, 'mine.yaml'), 'utf8')).toContain('# Replay: npx ft-advisor assess --answers mine.yaml');
  });

  it('--expect still gates the interactive verdict', async () => {
    const { code, err } = await interactive([...SHORT_STEPS, ['@review', '@done'], ...NO_SAVES], { expect: 'hybrid' });
    expect(code).toBe(1);
    expect(err).toMatch(/expected approach "hybrid"/);
  });
});

describe('the eval-results step', () => {
  const RESULTS = join(__dirname, '../../examples/evidence/promptfoo-results.json');
  const settled = ['ceiling.promptVariations', 'ceiling.multipleModels', 'antiIndicators.promptsWorking'];
  const rest = SHORT_STEPS.filter((s) => !settled.includes(s[0]));
  const targets = (passRate: number | undefined): Step[] => [
    [
      'evalTargets.passRate',
      (q) => {
        expect(q.default).toBe(80);
        return passRate;
      },
    ],
    ['evalTargets.latencyMs', undefined],
    ['evalTargets.costPerRequest', undefined],
  ];

  it('reads eval results first, shows what they settle and does not ask those questions', async () => {
    const { code, out } = await interactive([['@evidence', RESULTS], ...targets(undefined), ...rest, ['@review', '@done'], ...NO_SAVES], { whatIf: false });
    expect(code).toBe(0);
    expect(out).toContain('promptfoo results (version 3)');
    expect(out).toMatch(/ceiling\.promptVariations = yes \(5 distinct prompts in the eval/);
    expect(out).toMatch(/ceiling\.multipleModels = yes \(2 distinct providers/);
    expect(out).toMatch(/antiIndicators\.promptsWorking = yes \(the best prompt passes 80% of the tests against a target of 80%\)/);
    expect(out).toMatch(/Prompting has plateaued/);
    expect(out).toMatch(/The questionnaire skips these 3 answers/);
    // The report: the evidence section, with the answers as filled (not as typed in).
    expect(out).toMatch(/Filled from the evidence/);
    expect(out).not.toMatch(/Contradicted by the evidence/);
  });

  it('a higher pass-rate target asked in the step decides promptsWorking', async () => {
    const t = terminal();
    const script = scriptedAsk([['@evidence', RESULTS], ...targets(90), ...rest, ['@review', '@done'], ...NO_SAVES]);
    const code = await interactiveAssess(rules, { ...OPTS, format: 'json', whatIf: false }, t.io, { ask: script.ask, trapSignals: false });
    expect(code).toBe(0);
    const report = JSON.parse(t.out().slice(t.out().indexOf('\n{') + 1, t.out().lastIndexOf('}') + 1));
    expect(report.evidence.filled.map((f: { path: string; value: unknown }) => [f.path, f.value])).toEqual([
      ['ceiling.promptVariations', true],
      ['ceiling.multipleModels', true],
      ['antiIndicators.promptsWorking', false],
    ]);
    expect(report.answers.evalTargets).toEqual({ passRate: 90 });
  });

  it('explains a file it cannot read and asks again; Enter then skips the step', async () => {
    await writeFile(join(dir, 'notes.json'), '{"name": "not results"}');
    const { code, out } = await interactive([['@evidence', 'missing.json'], ['@evidence', 'notes.json'], ['@evidence', ''], ...SHORT_STEPS, ['@review', '@done'], ...NO_SAVES]);
    expect(code).toBe(0);
    expect(out).toMatch(/Cannot use it: missing\.json: no such file; expected eval results/);
    expect(out).toMatch(/Cannot use it: notes\.json: is JSON but not eval results/);
    expect(out).not.toMatch(/Evidence/);
  });

  it('saved answers name the eval results (relative to the saved file) instead of what they filled, and replay to the same verdict with the evidence', async () => {
    await writeFile(join(dir, 'results.json'), await readFile(RESULTS));
    await mkdir(join(dir, 'ci'));
    const { code, out } = await interactive(
      [
        ['@evidence', 'results.json'],
        ...targets(undefined),
        ...rest,
        ['@review', '@done'],
        ['@saveAnswers', true],
        ['@answersFile', 'ci/answers.yaml'],
        ['@saveReport', true],
        ['@reportFile', 'report.md'],
      ],
      { whatIf: false },
    );
    expect(code).toBe(0);
    const saved = (await readYaml('ci/answers.yaml')) as Record<string, Record<string, unknown>>;
    expect(saved.evidence).toEqual(['../results.json']);
    expect(saved.ceiling).not.toHaveProperty('promptVariations');
    expect(saved.ceiling).not.toHaveProperty('multipleModels');
    expect(saved.antiIndicators).not.toHaveProperty('promptsWorking');
    expect(await readFile(join(dir, 'ci/answers.yaml'), 'utf8')).toMatch(/the replay reads the files again/);
    // The Markdown report is the report shown: with its evidence.
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toMatch(/Filled from the evidence/);
    const replay = terminal();
    expect(await assessCommand([], { format: 'json', answers: 'ci/answers.yaml', whatIf: false, strictEvidence: true }, replay.io)).toBe(0);
    const report = JSON.parse(replay.out()) as { recommendation: { approach: string }; evidence: { filled: { path: string }[] } };
    expect(report.evidence.filled.map((f) => f.path)).toEqual(settled);
    expect(report.recommendation.approach).toBe(/VERDICT\s+(.+?)\s+\((prompt|rag|fine-tune|hybrid)\)/.exec(out)?.[2]);
  });

  it("an answer changed in the review is the team's, and is saved as such beside the evidence file", async () => {
    const { code } = await interactive(
      [
        ...targets(undefined),
        ...rest,
        ['@review', '@change'],
        ['@change', 'ceiling.multipleModels'],
        ['ceiling.multipleModels', false],
        ['@review', '@done'],
        ['@saveAnswers', true],
        ['@answersFile', 'answers.yaml'],
        ['@saveReport', false],
      ],
      { evidence: [RESULTS], whatIf: false },
    );
    expect(code).toBe(0);
    const saved = (await readYaml('answers.yaml')) as Record<string, Record<string, unknown>>;
    expect(saved.ceiling!.multipleModels).toBe(false);
    expect(saved.ceiling).not.toHaveProperty('promptVariations');
    expect((saved.evidence as unknown as string[])[0]).toMatch(/examples\/evidence\/promptfoo-results\.json$/);
  });

  it('--output onto the eval results typed in the questionnaire: exit 2, nothing written over them, and the answers can still be saved', async () => {
    await writeFile(join(dir, 'results.json'), await readFile(RESULTS));
    const before = await readFile(join(dir, 'results.json'), 'utf8');
    const t = terminal();
    const script = scriptedAsk([['@evidence', 'results.json'], ...targets(undefined), ...rest, ['@review', '@done'], ['@saveAnswers', true], ['@answersFile', 'answers.yaml'], ['@saveReport', false]]);
    const code = await interactiveAssess(rules, { ...OPTS, output: 'results.json', whatIf: false }, t.io, { ask: script.ask, trapSignals: false });
    expect(script.remaining()).toEqual([]);
    expect(code).toBe(2);
    expect(t.err()).toMatch(/results\.json: is also an input \(results\.json\); writing the report there would destroy it/);
    expect(await readFile(join(dir, 'results.json'), 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'answers.yaml'))).toBe(true);
  });

  it('--output onto --evidence is refused before the first question', async () => {
    await writeFile(join(dir, 'results.json'), await readFile(RESULTS));
    const t = terminal();
    expect(await assessCommand([], { format: 'text', evidence: ['results.json'], output: 'results.json' }, t.io)).toBe(2);
    expect(t.err()).toMatch(/is also an input/);
    expect(t.out()).toBe('');
  });

  it('--evidence on the command line is read without asking for a file', async () => {
    const { code, out } = await interactive([...targets(undefined), ...rest, ['@review', '@done'], ...NO_SAVES], { evidence: [RESULTS] });
    expect(code).toBe(0);
    expect(out).toMatch(/The questionnaire skips these 3 answers/);
  });
});
