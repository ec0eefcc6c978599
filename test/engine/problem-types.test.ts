// The strategy document's (001) decision tree by problem type, and 004's tree.
import { describe, expect, it } from 'vitest';
import { baseAnswers, candidateAnswers, indicatorsOn } from '../helpers/answers';
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
  it.each([[['cost']], [['latency']], [['cost', 'latency']], [['style', 'cost']], [['behavior', 'latency', 'knowledge']]])(
    'needs %j -> a tuned method with distillation',
    async (needs) => {
      const r = await run(candidateAnswers({ needs }), { whatIf: false });
      expect(['fine-tune', 'hybrid']).toContain(r.recommendation.approach);
      expect(r.recommendation.method!.distillation).toBe(true);
    },
  );

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

describe('the problem-type tree never overrides the framework towards tuning', () => {
  // 001 says "try X first" for every problem type but classification and cost/latency;
  // the framework (002) still needs the ceiling and > 3 indicators before any tuning.
  it.each([['format'], ['style'], ['behavior'], ['vocabulary'], ['tools'], ['safety'], ['classification'], ['cost'], ['latency']])(
    '%s with only 3 indicators -> prompt',
    async (need) => {
      expect(await approachOf(baseAnswers({ needs: [need], indicators: indicatorsOn(3) }))).toBe('prompt');
    },
  );
});
