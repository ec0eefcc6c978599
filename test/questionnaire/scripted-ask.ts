// A scripted `ask` for the questionnaire: each step names the question it expects (by
// path) and the answer to give. Any other question, or one past the end of the script,
// fails the run, so a test also proves what was NOT asked.
import { Interrupted } from '../../src/cli/io';
import type { Ask, AskContext } from '../../src/questionnaire/flow';
import type { Question, QuestionValue } from '../../src/questionnaire/questions';

export const INTERRUPT = Symbol('interrupt');

export type Answer = QuestionValue | typeof INTERRUPT | ((q: Question, ctx: AskContext) => QuestionValue);
export type Step = readonly [path: string, answer: Answer];

export interface Asked {
  question: Question;
  editing: boolean;
}

export function scriptedAsk(steps: readonly Step[]) {
  const asked: Asked[] = [];
  let next = 0;
  const ask: Ask = async (question, context) => {
    const step = steps[next];
    if (!step) throw new Error(`unexpected question ${question.path} ("${question.message}"): the script has ended`);
    if (step[0] !== question.path) throw new Error(`unexpected question ${question.path} ("${question.message}"); the script expected ${step[0]}`);
    next++;
    asked.push({ question, editing: context.editing });
    const answer = step[1];
    if (answer === INTERRUPT) throw new Interrupted();
    return typeof answer === 'function' ? answer(question, context) : answer;
  };
  return {
    ask,
    asked,
    paths: () => asked.map((a) => a.question.path),
    /** Steps not reached: a finished script leaves none. */
    remaining: () => steps.slice(next).map((s) => s[0]),
  };
}

/** Steps for several fields of one section, in the order given. */
export function fields(section: string, values: Record<string, QuestionValue | typeof INTERRUPT>): Step[] {
  return Object.entries(values).map(([id, value]) => [`${section}.${id}`, value] as const);
}

/** The Task API assistant of the framework document, answered question by question. */
export const TASK_API_STEPS: readonly Step[] = [
  ['useCase.name', 'Task API assistant'],
  ['useCase.description', 'Answers questions about the Task API in the brand voice.'],
  ['needs', ['behavior', 'style', 'knowledge', 'tools', 'safety']],
  // Several needs go to training, so the primary one is asked.
  ['goal.primary', 'behavior'],
  ...fields('ceiling', { promptVariations: true, multipleModels: true, retrievalOptimized: true, fewShot: true, structuredPrompt: true }),
  // The ceiling is passed, so declarative optimisation is asked.
  ['alternatives.declarativeOptimization', true],
  ...fields('indicators', { consistentBehavior: true, domainKnowledge: true, brandVoice: true, costOptimization: false, latency: true, dataSovereignty: false }),
  // Data comes before the anti-indicators, so insufficientData is derived, not asked.
  ...fields('data', { examples: 10000, preferencePairs: 0, documents: 0 }),
  ...fields('antiIndicators', { rapidlyChangingRequirements: false, lowVolume: false, explorationPhase: false, promptsWorking: false }),
  ...fields('knowledge', { changesOften: true, mustCite: false }),
  ['training', false],
  ['dataChecklist', false],
  ['usage', false],
  ['roi', true],
  ...fields('roi', { upfrontHours: 60, hourlyRate: 100, trainingCost: undefined, monthlyApiSavings: 1500, monthlyQualityValue: 500, monthlyOngoingCosts: 500 }),
  ['rubric', false],
];

export const TASK_API_ANSWERS = {
  version: 1 as const,
  useCase: { name: 'Task API assistant', description: 'Answers questions about the Task API in the brand voice.' },
  needs: ['behavior', 'style', 'knowledge', 'tools', 'safety'],
  goal: { primary: 'behavior' },
  ceiling: { promptVariations: true, multipleModels: true, retrievalOptimized: true, fewShot: true, structuredPrompt: true },
  alternatives: { declarativeOptimization: true },
  indicators: { consistentBehavior: true, domainKnowledge: true, brandVoice: true, costOptimization: false, latency: true, dataSovereignty: false },
  antiIndicators: { rapidlyChangingRequirements: false, lowVolume: false, explorationPhase: false, promptsWorking: false },
  knowledge: { changesOften: true, mustCite: false },
  data: { examples: 10000, preferencePairs: 0, documents: 0 },
  roi: { upfrontHours: 60, hourlyRate: 100, monthlyApiSavings: 1500, monthlyQualityValue: 500, monthlyOngoingCosts: 500 },
};

/** A short run: one need (format), no knowledge, 300 examples, every offer declined. */
export const SHORT_STEPS: readonly Step[] = [
  ['useCase.name', 'Support bot'],
  ['useCase.description', undefined],
  ['needs', ['format']],
  ...fields('ceiling', { promptVariations: true, multipleModels: true, retrievalOptimized: true, fewShot: true, structuredPrompt: true }),
  ['alternatives.declarativeOptimization', true],
  ...fields('indicators', { consistentBehavior: true, domainKnowledge: false, brandVoice: false, costOptimization: false, latency: false, dataSovereignty: false }),
  ...fields('data', { examples: 300, preferencePairs: undefined, documents: undefined }),
  ...fields('antiIndicators', { rapidlyChangingRequirements: false, lowVolume: false, explorationPhase: false, promptsWorking: false }),
  ['training', false],
  ['dataChecklist', false],
  ['usage', false],
  ['roi', false],
  ['rubric', false],
];
