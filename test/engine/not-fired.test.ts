// "Why not": adjustments that did not fire are returned with the unmet fact, and the
// ones that fired are in the trace, never in both.
import { describe, expect, it } from 'vitest';
import { baseAnswers, candidateAnswers, indicatorsOn, loadExample } from '../helpers/answers';
import { defaultRules, run } from '../helpers/engine';

describe('notFired', () => {
  it('a plain fine-tuning candidate: every adjustment is listed as not fired, naming the fact it waited for', async () => {
    // needs [behavior], 5,000 examples: not general-only, not under 100, no knowledge.
    const r = await run(candidateAnswers(), { whatIf: false });
    expect(r.recommendation.approach).toBe('fine-tune');
    const because = (id: string) => r.notFired.find((n) => n.rule === id)?.because;
    expect(because('gate.general-improvement')).toMatch(/needs/); // 001 general improvement
    expect(because('gate.too-few-examples')).toMatch(/data\.count/); // 004 < ~100, in the primary objective's unit
    expect(because('knowledge.nothing-behavioural')).toMatch(/needs/); // resolution 3
    expect(because('knowledge.facts-to-retrieval')).toMatch(/needs/);
    expect(because('knowledge.retrieval-not-prompt')).toMatch(/approach/); // the approach is not prompt
    for (const n of r.notFired) expect(n.source).toMatch(/\S/);
  });

  it('the too-few-examples gate quotes the count it compared against', async () => {
    const r = await run(candidateAnswers(), { whatIf: false });
    const why = r.notFired.find((n) => n.rule === 'gate.too-few-examples')!.because;
    expect(why.replace(/,/g, '')).toContain('5000'); // the count given
    expect(why).toContain('100'); // the threshold
  });

  it("fired and not-fired adjustments partition the rule set's adjustments", async () => {
    const rules = await defaultRules();
    const ids = rules.decision.adjustments.map((a) => a.id);
    for (const answers of [candidateAnswers(), loadExample('task-api.yaml'), baseAnswers({ needs: ['general'], indicators: indicatorsOn(6) })]) {
      const r = await run(answers, { whatIf: false });
      const fired = r.trace.filter((t) => t.kind === 'adjustment').map((t) => t.rule);
      const notFired = r.notFired.map((n) => n.rule).filter((id) => ids.includes(id));
      expect([...fired, ...notFired].sort()).toEqual([...ids].sort());
      expect(fired.filter((id) => notFired.includes(id))).toEqual([]);
    }
  });

  it('Task API: the knowledge rule that fired is in the trace, the knowledge-only rule is not fired (a behavioural need exists)', async () => {
    const r = await run(loadExample('task-api.yaml'), { whatIf: false });
    expect(r.trace.map((t) => t.rule)).toContain('knowledge.facts-to-retrieval');
    const why = r.notFired.find((n) => n.rule === 'knowledge.nothing-behavioural')?.because;
    expect(why).toMatch(/needs\.weightsCount/);
  });

  it('general-only: the gate fires and is traced with the change it made', async () => {
    const r = await run(baseAnswers({ needs: ['general'], indicators: indicatorsOn(6) }), { whatIf: false });
    const t = r.trace.find((x) => x.rule === 'gate.general-improvement');
    expect(t).toBeDefined();
    expect(t!.because).toMatch(/fine-tune/);
    expect(t!.because).toMatch(/prompt/);
    expect(r.notFired.map((n) => n.rule)).not.toContain('gate.general-improvement');
  });
});
