// The strategy document's (001) decision tree by problem type, and 004's tree.
import { describe, expect, it } from 'vitest';
import { antiIndicatorsOn, baseAnswers, candidateAnswers, ceilingExcept, indicatorsOn, indicatorsOnly } from '../helpers/answers';
import { approachOf, run } from '../helpers/engine';

describe('general improvement (001: "DON\'T fine-tune. Improve prompts first. Always.")', () => {
  it('as the only need, gives prompt even when the framework says fine-tune', async () => {
    const r = await run(baseAnswers({ needs: ['general'], indicators: indicatorsOn(6) }), { whatIf: false });
    expect(r.decisionPath.outcome).toBe('fine-tune-candidate');
    expect(r.decisionPath.treeApproach).toBe('fine-tune');
    expect(r.framework.confidence).toBe('strong');
    expect(r.recommendation.approach).toBe('prompt');
    expect(r.recommendation.method).toBeNull();
    expect(r.trace.map((t) => t.rule)).toContain('gate.general-improvement');
  });

  it('with a specific behavioural need beside it, the specific need decides: fine-tune', async () => {
    expect(await approachOf(candidateAnswers({ needs: ['general', 'style'] }))).toBe('fine-tune');
  });

  it('with knowledge beside it, and nothing behavioural: rag', async () => {
    expect(await approachOf(candidateAnswers({ needs: ['general', 'knowledge'] }))).toBe('rag');
  });

  it('is reported with its "try first" advice', async () => {
    const r = await run(baseAnswers({ needs: ['general'] }), { whatIf: false });
    expect(r.problemTypes.map((p) => p.need)).toEqual(['general']);
    expect(r.problemTypes[0]!.tryFirst).toMatch(/prompt/i);
  });
});

describe('lower latency / cost (001: "Fine-tune smaller model ... Distillation"; 004: the clearest win)', () => {
  it.each([[['cost']], [['latency']], [['cost', 'latency']], [['style', 'cost']], [['behavior', 'latency', 'knowledge']]])('needs %j -> a tuned method with distillation', async (needs) => {
    const r = await run(candidateAnswers({ needs }), { whatIf: false });
    expect(['fine-tune', 'hybrid']).toContain(r.recommendation.approach);
    expect(r.recommendation.method!.distillation).toBe(true);
  });

  it.each([[['style']], [['format']], [['behavior', 'tools']], [['classification']]])('needs %j -> no distillation', async (needs) => {
    const r = await run(candidateAnswers({ needs }), { whatIf: false });
    expect(r.recommendation.method!.distillation).toBe(false);
  });
});

describe('classification / extraction (001: "Fine-tune — usually most effective approach")', () => {
  it('a candidate with classification as the need is fine-tuned', async () => {
    expect(await approachOf(candidateAnswers({ needs: ['classification'] }))).toBe('fine-tune');
  });
});

describe('problem type vs indicator count (resolution problem-type)', () => {
  // 002's tree alone would stop at "Indicators > 3? no". For classification with enough
  // data (001: fine-tune, usually most effective; 003: RAG not relevant) and for cost or
  // latency at volume (001, 004: distillation), the problem type still leads to tuning.
  it.each([['format'], ['style'], ['behavior'], ['vocabulary'], ['tools'], ['safety']])('%s with only 3 indicators -> prompt', async (need) => {
    expect(await approachOf(baseAnswers({ needs: [need], indicators: indicatorsOn(3) }))).toBe('prompt');
  });

  const usage = (requestsPerDay: number) => ({ requestsPerDay, promptTokens: 700, inputTokens: 200, tunedPromptTokens: 20 });
  it.each([
    // [case, answers, approach, distillation]
    ['classification, 3 indicators, 500 examples', baseAnswers({ needs: ['classification'], indicators: indicatorsOn(3), data: { examples: 500 } }), 'fine-tune', false],
    [
      'classification, 3 indicators, 499 examples',
      baseAnswers({ needs: ['classification'], indicators: indicatorsOn(3), data: { examples: 499 }, antiIndicators: { insufficientData: undefined } }),
      'prompt',
      null,
    ],
    [
      'classification, 3 indicators, 1 anti-indicator (difference 2)',
      baseAnswers({ needs: ['classification'], indicators: indicatorsOn(3), antiIndicators: { explorationPhase: true } }),
      'fine-tune',
      false,
    ],
    ['classification, 3 indicators, 2 anti-indicators', baseAnswers({ needs: ['classification'], indicators: indicatorsOn(3), antiIndicators: antiIndicatorsOn(2) }), 'prompt', null],
    [
      'classification, 1 indicator, 1 anti-indicator (difference 0)',
      baseAnswers({ needs: ['classification'], indicators: indicatorsOn(1), antiIndicators: { explorationPhase: true } }),
      'prompt',
      null,
    ],
    ['classification, ceiling not reached', baseAnswers({ needs: ['classification'], indicators: indicatorsOn(3), ceiling: ceilingExcept('fewShot') }), 'prompt', null],
    ['classification and knowledge, 500 examples', baseAnswers({ needs: ['classification', 'knowledge'], indicators: indicatorsOn(3), data: { examples: 500 } }), 'hybrid', false],
    ['the cost need, 3 indicators', baseAnswers({ needs: ['cost'], indicators: indicatorsOn(3) }), 'fine-tune', true],
    ['the latency need, 1 indicator', baseAnswers({ needs: ['latency'], indicators: indicatorsOn(1) }), 'fine-tune', true],
    ['the latency need, 0 indicators (difference 0)', baseAnswers({ needs: ['latency'] }), 'prompt', null],
    // 003: with prompts at 80%+ you are done, unless cost is the reason: then the prompted model teaches a smaller one.
    [
      'the cost need, working prompts, 1 indicator (difference 0)',
      baseAnswers({ needs: ['cost'], indicators: indicatorsOnly('costOptimization'), antiIndicators: { promptsWorking: true }, data: { examples: 0 } }),
      'fine-tune',
      true,
    ],
    ['the style need, working prompts, 3 indicators', baseAnswers({ needs: ['style'], indicators: indicatorsOn(3), antiIndicators: { promptsWorking: true } }), 'prompt', null],
    ['the cost need at low volume', baseAnswers({ needs: ['cost'], indicators: indicatorsOn(3), antiIndicators: { lowVolume: true } }), 'prompt', null],
    ['the cost indicator with 1,000 requests a month', baseAnswers({ needs: ['style'], indicators: indicatorsOnly('costOptimization', 'brandVoice'), usage: usage(1000 / 30) }), 'fine-tune', true],
    [
      'the cost indicator with 999 requests a month',
      baseAnswers({ needs: ['style'], indicators: indicatorsOnly('costOptimization', 'brandVoice'), usage: usage(999 / 30), antiIndicators: { lowVolume: false } }),
      'prompt',
      null,
    ],
    ['the cost indicator without usage', baseAnswers({ needs: ['style'], indicators: indicatorsOnly('costOptimization', 'brandVoice') }), 'prompt', null],
  ] as [string, Record<string, unknown>, string, boolean | null][])('%s -> %s', async (_name, answers, approach, distillation) => {
    const r = await run(answers, { whatIf: false });
    expect(r.recommendation.approach).toBe(approach);
    if (distillation === null) expect(r.recommendation.method).toBeNull();
    else expect(r.recommendation.method!.distillation).toBe(distillation);
    if (approach !== 'prompt' && r.decisionPath.outcome !== 'fine-tune-candidate') {
      expect(r.recommendation.decidedBy).toMatch(/^problem-type\.|^knowledge\./);
      expect(r.resolutions.map((x) => x.id)).toContain('resolve.problem-type');
    }
  });

  it('distillation from working prompts: a pilot, never "explore the alternatives" beside a fine-tuning verdict', async () => {
    const r = await run(baseAnswers({ needs: ['cost'], indicators: indicatorsOnly('costOptimization'), antiIndicators: { promptsWorking: true }, data: { examples: 0 } }), { whatIf: false });
    expect(r.framework.bandsConfidence).toBe('weak');
    expect(r.framework.confidence).toBe('moderate');
    expect(r.recommendation.action).toMatch(/pilot/i);
    expect(r.trace.map((t) => t.rule)).toContain('floor.distil-working-prompts');
  });

  it('the same with knowledge beside it: hybrid, and still a pilot', async () => {
    const r = await run(baseAnswers({ needs: ['knowledge', 'cost'], antiIndicators: { promptsWorking: true, insufficientData: false }, data: undefined }), { whatIf: false });
    expect(r.recommendation.approach).toBe('hybrid');
    expect(r.framework.confidence).toBe('moderate');
    expect(r.recommendation.action).toMatch(/pilot/i);
  });

  it('classification short of 500 examples is never sent to retrieval, and says what it would take', async () => {
    const r = await run(baseAnswers({ needs: ['classification'], indicators: indicatorsOn(3), data: { examples: 300 }, antiIndicators: { insufficientData: undefined } }), { whatIf: false });
    expect(r.recommendation.approach).toBe('prompt');
    expect(r.recommendation.summary).not.toMatch(/RAG/);
    expect(r.recommendation.action).toMatch(/500 or more labelled examples/);
  });
});
