// Method selection: objective (002 "The Fine-Tuning Spectrum" / phase 5), technique
// (001 "Fine-Tuning Methods") and distillation (001 latency/cost).
import { describe, expect, it } from 'vitest';
import { antiIndicatorsOn, baseAnswers, candidateAnswers, ceilingExcept, exampleFiles, indicatorsOn, loadExample } from '../helpers/answers';
import { run } from '../helpers/engine';

/** A fine-tuning candidate with the given needs and data; insufficientData derived from the count. */
function tuned(needs: string[], data: Record<string, number> = {}, training?: Record<string, boolean>) {
  return candidateAnswers({
    needs,
    antiIndicators: { insufficientData: undefined },
    data: { examples: 5000, ...data },
    ...(training ? { training } : {}),
  });
}

const OBJECTIVES = ['sft', 'persona', 'instruction', 'function-calling', 'dpo', 'continued-pretraining'];
const TECHNIQUES = ['lora', 'qlora', 'full', 'prompt-tuning'];

describe('objective by need (002 phase 5 "Match primary goal to fine-tuning type")', () => {
  it.each([
    // [need, data, objective, source]
    ['style', {}, 'persona'], //                                       "Persona -> Persona tuning"
    ['format', {}, 'instruction'], //                                  "Format -> Instruction tuning"
    ['tools', {}, 'function-calling'], //                              "API/Tools -> Function calling tuning"
    ['behavior', {}, 'sft'], //                                        Task API P0: SFT on support conversations
    ['safety', { preferencePairs: 10000 }, 'dpo'], //                  "Safety -> DPO", 10K+ preference pairs
    ['safety', { preferencePairs: 50000 }, 'dpo'],
    ['safety', { preferencePairs: 9999 }, 'sft'], //                   under 10K pairs: DPO cannot run
    ['safety', {}, 'sft'], //                                          no pairs given at all
    ['vocabulary', { documents: 100000 }, 'continued-pretraining'], // "Deep Domain Expertise -> Continued Pretraining, 100K+ documents"
    ['vocabulary', { documents: 99999 }, 'sft'],
    ['vocabulary', {}, 'sft'],
  ] as [string, Record<string, number>, string][])('%s with %j -> %s', async (need, data, objective) => {
    const r = await run(tuned([need], data), { whatIf: false });
    expect(r.recommendation.approach).toBe('fine-tune');
    const m = r.recommendation.method!;
    expect(m.objective).toBe(objective);
    expect(m.why.length).toBeGreaterThan(0);
  });

  it.each([
    ['safety', { preferencePairs: 9999 }, 'dpo', /10,000|10000|10K/i, /preference pair/i],
    ['vocabulary', { documents: 99999 }, 'continued-pretraining', /100,000|100000|100K/i, /document/i],
  ] as [string, Record<string, number>, string, RegExp, RegExp][])('%s with %j: the phase keeps %s and says why it falls back to sft', async (need, data, wanted, figure, what) => {
    const m = (await run(tuned([need], data), { whatIf: false })).recommendation.method!;
    const phase = m.phases.find((p) => p.objective === wanted);
    expect(phase).toBeDefined();
    expect(phase!.instead?.objective).toBe('sft');
    expect(phase!.instead?.reason).toMatch(figure);
    expect(phase!.instead?.reason).toMatch(what);
  });

  it('with enough pairs there is no fallback note', async () => {
    const m = (await run(tuned(['safety'], { preferencePairs: 10000 }), { whatIf: false })).recommendation.method!;
    expect(m.phases.every((p) => p.instead === undefined)).toBe(true);
  });
});

describe("several needs: the primary goal first (002 phase 5), then the Task API plan's order (P0 SFT, P1 persona, P2 function calling, P3 DPO)", () => {
  it.each([
    // [needs as listed, goal.primary, phases]
    [['behavior', 'style', 'tools', 'safety'], undefined, ['sft', 'persona', 'function-calling', 'dpo']],
    [['safety', 'tools', 'style', 'behavior'], undefined, ['dpo', 'sft', 'persona', 'function-calling']], // the first listed is primary
    [['tools', 'behavior', 'safety', 'style'], undefined, ['function-calling', 'sft', 'persona', 'dpo']], // a tools-first agent
    [['tools', 'behavior', 'safety', 'style'], 'style', ['persona', 'sft', 'function-calling', 'dpo']], // the goal overrides the order
    [['knowledge', 'style', 'tools'], undefined, ['persona', 'function-calling']], // knowledge trains nothing: the first need training serves
    [['format', 'tools'], undefined, ['instruction', 'function-calling']],
    [['tools', 'format'], undefined, ['function-calling', 'instruction']],
  ] as [string[], string | undefined, string[]][])('needs %j, primary %s -> phases %j', async (needs, primary, phases) => {
    const answers = tuned(needs, { preferencePairs: 10000 }) as Record<string, unknown>;
    if (primary) answers.goal = { primary };
    const r = await run(answers, { whatIf: false });
    const m = r.recommendation.method!;
    expect(m.phases.map((p) => p.objective)).toEqual(phases);
    expect(m.phases.map((p) => p.phase)).toEqual(phases.map((_, i) => i + 1));
    expect(m.objective).toBe(phases[0]); // phase 1 is the headline objective
  });

  it.each([
    [['tools', 'style'], 'knowledge', /not one of your needs/],
    [['tools', 'style'], 'toolz', /goal\.primary: expected one of: .*got the text "toolz" \(did you mean tools\?\)/],
  ])('needs %j with goal.primary %s is refused with the path and a hint', async (needs, primary, message) => {
    const answers = { ...tuned(needs), goal: { primary } };
    await expect(run(answers, { whatIf: false })).rejects.toThrow(message);
  });

  it('a primary goal that training does not serve is said so, and the method starts with the first need it does', async () => {
    const r = await run({ ...tuned(['knowledge', 'tools']), goal: { primary: 'knowledge' } }, { whatIf: false });
    expect(r.recommendation.method!.objective).toBe('function-calling');
    expect(r.warningItems.map((w) => w.id)).toContain('warn.primary-goal-not-trained');
  });

  it('each phase names the needs it serves', async () => {
    const m = (await run(tuned(['style', 'behavior', 'tools']), { whatIf: false })).recommendation.method!;
    expect(m.phases.find((p) => p.objective === 'persona')!.needs).toEqual(['style']);
    expect(m.phases.find((p) => p.objective === 'sft')!.needs).toEqual(['behavior']);
    expect(m.phases.find((p) => p.objective === 'function-calling')!.needs).toEqual(['tools']);
  });
});

describe('technique (001 "Fine-Tuning Methods")', () => {
  it.each([
    // [examples, training, technique, source]
    [5000, undefined, 'lora'], //                                   "LoRA/QLoRA ... Most use cases"
    [5000, { limitedGpuMemory: true }, 'qlora'], //                 QLoRA: adapters on a quantised model
    [1000, { criticalUseCase: true }, 'full'], //                   "Full fine-tune: 1K-100K examples, Critical production use case"
    [50000, { criticalUseCase: true }, 'full'],
    [100000, { criticalUseCase: true }, 'full'],
    [500, { criticalUseCase: true }, 'lora'], //                    under 1K: not enough for full
    [999, { criticalUseCase: true }, 'lora'],
    [100001, { criticalUseCase: true }, 'lora'], //                 over 100K: outside the full fine-tune range
    [5000, { quickExperiment: true }, 'prompt-tuning'], //          "Prompt tuning ... Quick experiments"
    [500, { quickExperiment: true }, 'prompt-tuning'],
    [5000, { criticalUseCase: false, limitedGpuMemory: false, quickExperiment: false }, 'lora'],
  ] as [number, Record<string, boolean> | undefined, string][])('%i examples, training %j -> %s', async (examples, training, technique) => {
    const r = await run(tuned(['behavior'], { examples }, training), { whatIf: false });
    expect(r.recommendation.approach).toBe('fine-tune');
    expect(r.recommendation.method!.technique).toBe(technique);
  });

  it('a critical use case with 500 examples and tight GPU memory gets QLoRA, not full', async () => {
    const r = await run(tuned(['behavior'], { examples: 500 }, { criticalUseCase: true, limitedGpuMemory: true }), { whatIf: false });
    expect(r.recommendation.method!.technique).not.toBe('full');
    expect(r.recommendation.method!.technique).toBe('qlora');
  });
});

describe('method is null exactly when the approach is prompt or rag (contract)', () => {
  const needsSets = [['behavior'], ['knowledge'], ['general'], ['style', 'knowledge'], ['cost'], ['safety', 'tools'], ['general', 'knowledge']];
  const states: Record<string, Record<string, unknown>> = {
    candidate: {},
    strong: { indicators: indicatorsOn(6) },
    'ceiling open': { ceiling: ceilingExcept('structuredPrompt') },
    'three indicators': { indicators: indicatorsOn(3) },
    'two anti-indicators': { antiIndicators: antiIndicatorsOn(2) },
    'ten examples': { antiIndicators: { insufficientData: undefined }, data: { examples: 10 } },
    'no data section': { data: undefined },
  };
  const cases = Object.entries(states).flatMap(([name, state]) => needsSets.map((needs) => [name, needs, state] as const));

  it.each(cases)('%s, needs %j', async (_name, needs, state) => {
    const r = await run(candidateAnswers({ ...state, needs }), { whatIf: false });
    const { approach, method } = r.recommendation;
    expect(method === null).toBe(approach === 'prompt' || approach === 'rag');
    if (method) {
      expect(OBJECTIVES).toContain(method.objective);
      expect(TECHNIQUES).toContain(method.technique);
      expect(typeof method.distillation).toBe('boolean');
      expect(method.why).toMatch(/\S/);
    }
  });

  it.each(exampleFiles().map((f) => [f]))('examples/%s', async (file) => {
    const r = await run(loadExample(file), { whatIf: false });
    expect(r.recommendation.method === null).toBe(['prompt', 'rag'].includes(r.recommendation.approach));
  });

  it('the Socratic tutor (000): behaviour in a LoRA adapter, course content from retrieval, distilled for cost', async () => {
    const r = await run(loadExample('socratic-tutor.yaml'), { whatIf: false });
    expect(r.recommendation.approach).toBe('hybrid');
    expect(r.recommendation.method!.technique).toBe('lora');
    expect(r.recommendation.method!.distillation).toBe(true); // needs include cost
    expect(r.recommendation.method!.phases.map((p) => p.objective)).toEqual(['sft', 'persona']);
  });

  it('the support chatbot (004): RAG + prompting is the right stopping point, no method', async () => {
    const r = await run(loadExample('support-bot.yaml'), { whatIf: false });
    expect(r.recommendation.approach).toBe('rag');
    expect(r.recommendation.method).toBeNull();
  });
});

describe('data readiness per objective (resolution 4: "each objective and technique then checks its own range")', () => {
  it.each([
    // [need, examples, objective minimum (002 spectrum), met]
    ['tools', 500, 1000, false], //   Tool/API Calling: 1K-5K examples
    ['tools', 1000, 1000, true],
    ['style', 500, 500, true], //     Persona/Voice: 500-2K examples
    ['style', 499, 500, false],
    ['behavior', 499, 500, false], // behaviour: 004's 500+ for reliable results, not SFT's knowledge row
    ['behavior', 500, 500, true],
    ['classification', 499, 500, false], // 001: 500 minimum
    ['vocabulary', 999, 1000, false], // continued pretraining without documents falls back to SFT: 1K-10K
  ] as [string, number, number, boolean][])('%s with %i examples: the %i-example minimum is met: %s', async (need, examples, minimum, met) => {
    const r = await run(tuned([need], { examples }), { whatIf: false });
    const line = r.dataReadiness!.lines.find((l) => /\((objective|fallback)\)/.test(l.what) && l.field === 'examples');
    expect(line).toBeDefined();
    expect(line!.need).toBe(minimum);
    expect(line!.met).toBe(met);
    expect(line!.gap).toBe(Math.max(0, minimum - examples));
  });
});

describe('a fine-tune without a data count', () => {
  it('still recommends by the framework, but warns that the data gates could not run', async () => {
    const r = await run(candidateAnswers({ data: undefined }), { whatIf: false });
    expect(r.recommendation.approach).toBe('fine-tune');
    expect(r.warningItems.map((w) => w.id)).toContain('warn.no-data-count');
  });
});

describe('base answers sanity', () => {
  it('the neutral base is not a candidate (0 indicators)', async () => {
    const r = await run(baseAnswers(), { whatIf: false });
    expect(r.recommendation.approach).toBe('prompt');
    expect(r.recommendation.method).toBeNull();
  });
});
