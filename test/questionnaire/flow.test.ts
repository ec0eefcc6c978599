import { beforeAll, describe, expect, it } from 'vitest';
import { validateAnswers } from '../../src/answers/validate';
import { assessAnswers } from '../../src/engine/assess';
import { draftYaml, loadDraft, writeAnswersFile } from '../../src/questionnaire/answers-file';
import { runQuestionnaire, type Draft, type FlowResult } from '../../src/questionnaire/flow';
import type { PartialAnswers } from '../../src/questionnaire/questions';
import { loadDefaultRules } from '../../src/rules/load';
import type { RuleSet } from '../../src/rules/schema';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INTERRUPT, SHORT_STEPS, TASK_API_ANSWERS, TASK_API_STEPS, fields, scriptedAsk, type Step } from './scripted-ask';

let rules: RuleSet;
beforeAll(async () => {
  rules = await loadDefaultRules();
});

const REVIEW_DONE: Step[] = [['@review', '@done']];

async function run(steps: readonly Step[], extra: Partial<Parameters<typeof runQuestionnaire>[0]> = {}) {
  const script = scriptedAsk(steps);
  const printed: string[] = [];
  const drafts: Draft[] = [];
  const result = await runQuestionnaire({
    rules,
    ask: script.ask,
    print: (t) => printed.push(t),
    saveDraft: async (d) => {
      drafts.push(structuredClone(d));
    },
    ...extra,
  });
  expect(script.remaining()).toEqual([]);
  return { result, script, printed: printed.join('\n'), drafts };
}

function completed(result: FlowResult) {
  if (result.status !== 'completed') throw new Error(`expected a completed run, got ${result.status}`);
  return result.answers;
}

describe('a full run', () => {
  it('asks the Task API questions in order and reaches valid answers with the hybrid verdict', async () => {
    const { result, script } = await run([...TASK_API_STEPS, ...REVIEW_DONE]);
    const answers = completed(result);
    expect(answers).toEqual(TASK_API_ANSWERS);
    expect(() => validateAnswers(answers, rules)).not.toThrow();
    expect(assessAnswers(rules, answers).recommendation.approach).toBe('hybrid');
    // Data before the anti-indicators; insufficientData never asked.
    const paths = script.paths();
    expect(paths.indexOf('data.examples')).toBeLessThan(paths.indexOf('antiIndicators.rapidlyChangingRequirements'));
    expect(paths).not.toContain('antiIndicators.insufficientData');
  });

  it('says where the user is: section, position in it and overall', async () => {
    const { script } = await run([...TASK_API_STEPS, ...REVIEW_DONE]);
    const brandVoice = script.asked.find((a) => a.question.path === 'indicators.brandVoice')!.question;
    expect(brandVoice.section.title).toBe('Indicators');
    expect([brandVoice.index, brandVoice.total]).toEqual([3, 6]);
    const antis = script.asked.filter((a) => a.question.section.id === 'antiIndicators').map((a) => [a.question.index, a.question.total]);
    // Four asked, one derived: numbered 1-4 of 4.
    expect(antis).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
    const overall = script.asked.filter((a) => !a.question.path.startsWith('@')).map((a) => a.question.overall.index);
    expect(overall).toEqual(overall.map((_, i) => i + 1));
  });

  it('takes wording, hints, help and defaults from the rule set', async () => {
    const { script } = await run([...TASK_API_STEPS, ...REVIEW_DONE]);
    const q = script.asked.find((a) => a.question.path === 'ceiling.fewShot')!.question;
    const field = rules.sections.find((s) => s.id === 'ceiling')!.fields!.find((f) => f.id === 'fewShot')!;
    expect(q).toMatchObject({ kind: 'boolean', message: field.prompt, hint: field.hint, help: field.help, default: field.default });
    const needs = script.asked.find((a) => a.question.path === 'needs')!.question;
    expect(needs.kind).toBe('multiselect');
    expect(needs.choices!.map((c) => c.value)).toEqual(rules.sections.find((s) => s.id === 'needs')!.choices!.map((c) => c.id));
    expect(needs.minItems).toBe(1);
    const offer = script.asked.find((a) => a.question.path === 'roi')!.question;
    expect(offer).toMatchObject({ kind: 'offer', default: false, message: rules.sections.find((s) => s.id === 'roi')!.offer });
  });
});

describe('less to ask', () => {
  it('skips the knowledge section when knowledge is not a need', async () => {
    const { result, script } = await run([...SHORT_STEPS, ...REVIEW_DONE]);
    expect(script.paths().some((p) => p.startsWith('knowledge'))).toBe(false);
    const answers = completed(result);
    expect(answers.knowledge).toBeUndefined();
    expect(assessAnswers(rules, answers).recommendation.approach).toBeTypeOf('string');
  });

  it('asks the knowledge section when knowledge is a need', async () => {
    const steps = SHORT_STEPS.map((s): Step => (s[0] === 'needs' ? ['needs', ['format', 'knowledge']] : s));
    const at = steps.findIndex((s) => s[0] === 'training');
    const withKnowledge = [...steps.slice(0, at), ...fields('knowledge', { changesOften: false, mustCite: true }), ...steps.slice(at)];
    const { result } = await run([...withKnowledge, ...REVIEW_DONE]);
    expect(completed(result).knowledge).toEqual({ changesOften: false, mustCite: true });
  });

  it('derives insufficientData from data.examples instead of asking, and says so', async () => {
    const { result, script, printed } = await run([...SHORT_STEPS, ...REVIEW_DONE]);
    expect(script.paths()).not.toContain('antiIndicators.insufficientData');
    expect(printed).toMatch(/Insufficient data: derived as yes \(300 labelled examples\b[^)]*\)/);
    const answers = completed(result);
    // Derived answers are not stored: replaying derives them again.
    expect((answers.antiIndicators as Record<string, unknown>).insufficientData).toBeUndefined();
    expect(assessAnswers(rules, answers).derived.map((d) => [d.path, d.value])).toContainEqual(['antiIndicators.insufficientData', true]);
  });

  it('asks insufficientData when the number of examples is left empty', async () => {
    const steps = SHORT_STEPS.flatMap((s): Step[] => {
      if (s[0] === 'data.examples') return [['data.examples', undefined]];
      if (s[0] === 'antiIndicators.explorationPhase') return [s, ['antiIndicators.insufficientData', true]];
      return [s];
    });
    const { result, printed } = await run([...steps, ...REVIEW_DONE]);
    expect(printed).not.toMatch(/derived as/);
    expect((completed(result).antiIndicators as Record<string, unknown>).insufficientData).toBe(true);
  });

  it('derives lowVolume once token economics are given', async () => {
    const at = SHORT_STEPS.findIndex((s) => s[0] === 'usage');
    const steps: Step[] = [
      ...SHORT_STEPS.slice(0, at),
      ['usage', true],
      ...fields('usage', {
        requestsPerDay: 10,
        promptTokens: 700,
        inputTokens: 200,
        tunedPromptTokens: 20,
        pricePerMillionTokens: undefined,
        completionTokens: undefined,
        pricePerMillionOutputTokens: undefined,
      }),
      ...SHORT_STEPS.slice(at + 1),
    ];
    // usage is optional, so it is offered after the anti-indicators: lowVolume was asked.
    const { result } = await run([...steps, ...REVIEW_DONE]);
    const answers = completed(result);
    expect(answers.usage).toEqual({ requestsPerDay: 10, promptTokens: 700, inputTokens: 200, tunedPromptTokens: 20 });
    expect((answers.antiIndicators as Record<string, unknown>).lowVolume).toBe(false);
  });
});

describe('review before scoring', () => {
  it('shows every answer and changes one before finishing', async () => {
    const steps: Step[] = [
      ...SHORT_STEPS,
      ['@review', '@change'],
      ['@change', 'indicators.brandVoice'],
      [
        'indicators.brandVoice',
        (q, ctx) => {
          expect(ctx.editing).toBe(true);
          expect(q.default).toBe(false);
          return true;
        },
      ],
      ['@review', '@done'],
    ];
    const { result, printed } = await run(steps);
    const answers = completed(result);
    expect((answers.indicators as Record<string, unknown>).brandVoice).toBe(true);
    expect(printed).toMatch(/Brand voice +no/);
    expect(printed).toMatch(/Brand voice +yes/);
    expect(printed).toMatch(/Insufficient data +yes \(derived/);
  });

  it('asks what a change makes applicable: adding knowledge to the needs opens the knowledge section', async () => {
    const steps: Step[] = [
      ...SHORT_STEPS,
      ['@review', '@change'],
      ['@change', 'needs'],
      [
        'needs',
        (q) => {
          expect(q.default).toEqual(['format']);
          return ['format', 'knowledge'];
        },
      ],
      ...fields('knowledge', { changesOften: true, mustCite: false }),
      ['@review', '@done'],
    ];
    const { result } = await run(steps);
    const answers = completed(result);
    expect(answers.knowledge).toEqual({ changesOften: true, mustCite: false });
    expect(assessAnswers(rules, answers).recommendation.approach).toBe('rag');
  });

  it('keeps an answer given to a derivable question when the review gives what it derives from', async () => {
    const steps: Step[] = [
      ...SHORT_STEPS.flatMap((s): Step[] => {
        if (s[0] === 'data.examples') return [['data.examples', undefined]];
        if (s[0] === 'antiIndicators.explorationPhase') return [s, ['antiIndicators.insufficientData', false]];
        return [s];
      }),
      ['@review', '@change'],
      ['@change', 'data.examples'],
      ['data.examples', 200],
      ['@review', '@done'],
    ];
    const { result, printed } = await run(steps);
    const answers = completed(result);
    expect(answers.data).toEqual({ examples: 200 });
    expect((answers.antiIndicators as Record<string, unknown>).insufficientData).toBe(false);
    expect(printed).not.toMatch(/Insufficient data: derived as/);
  });

  it('never turns an explicit answer into a derived one when an unrelated answer changes', async () => {
    const at = SHORT_STEPS.findIndex((s) => s[0] === 'usage');
    const steps: Step[] = [
      ...SHORT_STEPS.slice(0, at),
      ['usage', true],
      ...fields('usage', {
        requestsPerDay: 10,
        promptTokens: 700,
        inputTokens: 200,
        tunedPromptTokens: 20,
        pricePerMillionTokens: undefined,
        completionTokens: undefined,
        pricePerMillionOutputTokens: undefined,
      }),
      ...SHORT_STEPS.slice(at + 1),
      ['@review', '@change'],
      ['@change', 'indicators.brandVoice'],
      ['indicators.brandVoice', true],
      ['@review', '@done'],
    ];
    const { result, printed } = await run(steps);
    const answers = completed(result);
    // lowVolume was asked (usage comes after the anti-indicators) and answered no.
    expect((answers.antiIndicators as Record<string, unknown>).lowVolume).toBe(false);
    expect(printed).not.toMatch(/Low volume +yes \(derived/);
    const report = assessAnswers(rules, answers);
    expect(report.derived.map((d) => d.path)).not.toContain('antiIndicators.lowVolume');
    expect(report.warnings.join('\n')).not.toMatch(/lowVolume was not answered/);
  });

  it('goes back without changing anything', async () => {
    const { result } = await run([...SHORT_STEPS, ['@review', '@change'], ['@change', '@back'], ['@review', '@done']]);
    expect(completed(result).useCase).toEqual({ name: 'Support bot' });
  });

  it('opens a declined optional section from the review', async () => {
    const steps: Step[] = [
      ...SHORT_STEPS,
      ['@review', '@change'],
      ['@change', 'training'],
      ['training', true],
      ...fields('training', { criticalUseCase: true, limitedGpuMemory: false, quickExperiment: false }),
      ['@review', '@done'],
    ];
    const { result } = await run(steps);
    expect(completed(result).training).toEqual({ criticalUseCase: true, limitedGpuMemory: false, quickExperiment: false });
  });
});

describe('nothing lost', () => {
  const UNTIL_INDICATORS: Step[] = SHORT_STEPS.slice(
    0,
    SHORT_STEPS.findIndex((s) => s[0] === 'indicators.brandVoice'),
  );

  it('an interruption hands exactly the answers given so far to the draft writer', async () => {
    const { result, drafts } = await run([...UNTIL_INDICATORS, ['indicators.brandVoice', INTERRUPT]]);
    expect(result.status).toBe('interrupted');
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.answers).toEqual({
      version: 1,
      useCase: { name: 'Support bot' },
      needs: ['format'],
      ceiling: { promptVariations: true, multipleModels: true, retrievalOptimized: true, fewShot: true, structuredPrompt: true },
      alternatives: { declarativeOptimization: true },
      indicators: { consistentBehavior: true, domainKnowledge: false },
    });
    expect(drafts[0]!.skipped).toEqual(['useCase.description']);
  });

  it('an interruption before the first answer writes no draft', async () => {
    const { result, drafts } = await run([['useCase.name', INTERRUPT]]);
    expect(result).toMatchObject({ status: 'interrupted', saved: false });
    expect(drafts).toEqual([]);
  });

  it('any other failure also saves the draft, then fails', async () => {
    const drafts: Draft[] = [];
    const script = scriptedAsk([
      ['useCase.name', 'X'],
      ['useCase.description', 'Y'],
      ['needs', 'not-a-list'],
    ]);
    await expect(runQuestionnaire({ rules, ask: script.ask, saveDraft: async (d) => void drafts.push(d) })).rejects.toThrow(/needs: expected a list/);
    expect(drafts.map((d) => d.answers.useCase)).toEqual([{ name: 'X', description: 'Y' }]);
  });

  it('resuming asks only the remaining questions and ends with all answers', async () => {
    const first = await run([...UNTIL_INDICATORS, ['indicators.brandVoice', INTERRUPT]]);
    // Through the draft file and back, as --resume reads it.
    const dir = await mkdtemp(join(tmpdir(), 'ft-advisor-flow-'));
    try {
      await writeAnswersFile(dir, 'draft.yaml', await draftYaml(rules, first.drafts[0]!, 'ft-advisor assess --resume draft.yaml'));
      const draft = await loadDraft('draft.yaml', rules, dir);
      expect(draft).toEqual(first.drafts[0]);
      const rest = SHORT_STEPS.slice(UNTIL_INDICATORS.length);
      const second = await run([...rest, ...REVIEW_DONE], { answers: draft.answers, skipped: draft.skipped });
      expect(second.script.paths()[0]).toBe('indicators.brandVoice');
      const full = await run([...SHORT_STEPS, ...REVIEW_DONE]);
      expect(completed(second.result)).toEqual(completed(full.result));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('resuming an interrupted review goes straight back to the review', async () => {
    const first = await run([...SHORT_STEPS, ['@review', INTERRUPT]]);
    expect(first.result.status).toBe('interrupted');
    const second = await run([['@review', '@done']], { answers: first.drafts[0]!.answers, skipped: first.drafts[0]!.skipped });
    expect(completed(second.result).useCase).toEqual({ name: 'Support bot' });
  });
});

describe('partial files (--ask-missing)', () => {
  it('asks only what the file leaves out and offers no new optional section', async () => {
    // The file gives roi without trainingCost (optional): left out on purpose, not asked.
    const partial: PartialAnswers = structuredClone(TASK_API_ANSWERS);
    delete (partial.indicators as Record<string, unknown>).brandVoice;
    delete (partial.antiIndicators as Record<string, unknown>).promptsWorking;
    delete partial.knowledge;
    expect(() => validateAnswers(partial, rules, { partial: true })).not.toThrow();
    const { result, script } = await run([['indicators.brandVoice', true], ['antiIndicators.promptsWorking', false], ...fields('knowledge', { changesOften: true, mustCite: false }), ...REVIEW_DONE], {
      answers: partial,
      scope: 'missing',
    });
    expect(completed(result)).toEqual(TASK_API_ANSWERS);
    // Progress counts only what is asked: question 1 of 4 ... 4 of 4.
    const progress = script.asked.filter((a) => !a.question.path.startsWith('@')).map((a) => `${a.question.overall.index}/${a.question.overall.total}`);
    expect(progress).toEqual(['1/4', '2/4', '3/4', '4/4']);
  });

  it('completes the required questions of an optional section the file opened', async () => {
    const partial = { ...structuredClone(TASK_API_ANSWERS), roi: { upfrontHours: 60 } } as PartialAnswers;
    const { result } = await run([['roi.hourlyRate', 100], ...REVIEW_DONE], { answers: partial, scope: 'missing' });
    expect(completed(result).roi).toEqual({ upfrontHours: 60, hourlyRate: 100 });
  });

  it('asks a whole section the file leaves out, and the derivable question it cannot derive', async () => {
    const partial = structuredClone(TASK_API_ANSWERS) as PartialAnswers;
    delete partial.data;
    // Without data.examples, insufficientData cannot be derived: it must be answered.
    const { result } = await run([...fields('data', { examples: undefined, preferencePairs: undefined, documents: undefined }), ['antiIndicators.insufficientData', false], ...REVIEW_DONE], {
      answers: partial,
      scope: 'missing',
    });
    const answers = completed(result);
    expect(answers.data).toBeUndefined();
    expect((answers.antiIndicators as Record<string, unknown>).insufficientData).toBe(false);
  });
});

describe('generated from the rule set', () => {
  it('asks a question added to a custom rule set without code changes', async () => {
    const custom = structuredClone(rules);
    const anti = custom.sections.find((s) => s.id === 'antiIndicators')!;
    anti.fields!.push({
      id: 'regulatedDomain',
      type: 'boolean',
      weight: 'high',
      label: 'Regulated domain',
      prompt: 'Must every model change pass a regulator review?',
      hint: 'Each retraining then waits for approval.',
      default: false,
      source: 'ft-advisor',
    });
    const at = SHORT_STEPS.findIndex((s) => s[0] === 'training');
    const steps: Step[] = [...SHORT_STEPS.slice(0, at), ['antiIndicators.regulatedDomain', true], ...SHORT_STEPS.slice(at), ...REVIEW_DONE];
    const script = scriptedAsk(steps);
    const result = await runQuestionnaire({ rules: custom, ask: script.ask });
    expect(script.remaining()).toEqual([]);
    const q = script.asked.find((a) => a.question.path === 'antiIndicators.regulatedDomain')!.question;
    expect(q).toMatchObject({ message: 'Must every model change pass a regulator review?', hint: 'Each retraining then waits for approval.', index: 5, total: 5 });
    const answers = completed(result);
    expect(() => validateAnswers(answers, custom)).not.toThrow();
    const report = assessAnswers(custom, answers);
    expect(report.framework.factors.find((f) => f.id === 'regulatedDomain')?.present).toBe(true);
  });

  it('rejects an answer of the wrong type from ask', async () => {
    const script = scriptedAsk([['useCase.name', 42]]);
    await expect(runQuestionnaire({ rules, ask: script.ask })).rejects.toThrow(/useCase\.name: expected text/);
  });
});
