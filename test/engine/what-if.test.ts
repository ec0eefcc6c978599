// What-if (contract): "each single answer whose change alone would change the approach".
// Checked both ways: every entry, applied, gives exactly its approach; every single
// change that is NOT listed leaves the approach as it is.
import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/answers/schema';
import type { Report } from '../../src/engine/assess';
import { CEILING, INDICATORS, antiIndicatorsOn, baseAnswers, candidateAnswers, ceilingExcept, exampleFiles, getAnswer, indicatorsOn, loadExample, setAnswer } from '../helpers/answers';
import { defaultRules, run, validated } from '../helpers/engine';

const ROLE_SECTIONS = ['ceiling', 'indicators', 'antiIndicators'];
const ALL_NEEDS = ['format', 'style', 'behavior', 'knowledge', 'vocabulary', 'tools', 'safety', 'classification', 'cost', 'latency', 'general'];

const constructed: Record<string, Answers> = {
  'candidate (4 indicators, 0 anti)': candidateAnswers(),
  'three indicators': baseAnswers({ indicators: indicatorsOn(3) }),
  'six indicators, two anti-indicators': baseAnswers({ indicators: indicatorsOn(6), antiIndicators: antiIndicatorsOn(2) }),
  'one ceiling check open': candidateAnswers({ ceiling: ceilingExcept('fewShot') }),
  'knowledge only': candidateAnswers({ needs: ['knowledge'] }),
  'knowledge and style': candidateAnswers({ needs: ['knowledge', 'style'] }),
  'ten examples (derived insufficientData)': candidateAnswers({ antiIndicators: { insufficientData: undefined }, data: { examples: 10 } }),
  'general improvement only, strong case': baseAnswers({ needs: ['general'], indicators: indicatorsOn(6) }),
  'candidate with one anti-indicator': candidateAnswers({ antiIndicators: { explorationPhase: true } }),
  'low volume derived from usage': candidateAnswers({
    antiIndicators: { lowVolume: undefined },
    usage: { requestsPerDay: 20, promptTokens: 700, inputTokens: 200, tunedPromptTokens: 20 },
  }),
  'weak everything, ceiling open, knowledge': baseAnswers({ needs: ['knowledge', 'behavior'], ceiling: ceilingExcept('promptVariations', 'multipleModels') }),
};

const cases: [string, () => Promise<Answers>][] = [
  ...exampleFiles().map((f): [string, () => Promise<Answers>] => [`examples/${f}`, () => validated(loadExample(f))]),
  ...Object.entries(constructed).map(([name, a]): [string, () => Promise<Answers>] => [name, async () => a]),
];

async function approachAfter(answers: Answers, path: string, value: unknown): Promise<string> {
  // A what-if must describe an answers file a user could write: validate it first.
  return (await run(setAnswer(answers, path, value), { whatIf: false })).recommendation.approach;
}

const listed = (report: Report, path: string, value: unknown) => report.whatIf.some((w) => w.path === path && JSON.stringify(w.value) === JSON.stringify(value));

describe.each(cases)('what-if for %s', (_name, load) => {
  it('every entry, applied alone, gives exactly the approach it names (and a different one)', async () => {
    const answers = await load();
    const report = await run(answers);
    for (const w of report.whatIf) {
      expect(w.approach, `${w.path}=${JSON.stringify(w.value)}`).not.toBe(report.recommendation.approach);
      expect(await approachAfter(answers, w.path, w.value), `${w.path}=${JSON.stringify(w.value)}`).toBe(w.approach);
    }
  });

  it('every ceiling/indicator/anti-indicator flip that is not listed leaves the approach unchanged', async () => {
    const answers = await load();
    const report = await run(answers);
    const derived = new Set(report.derived.map((d) => d.path));
    const rules = await defaultRules();
    for (const section of rules.sections.filter((s) => ROLE_SECTIONS.includes(s.id))) {
      for (const field of section.fields ?? []) {
        const path = `${section.id}.${field.id}`;
        if (derived.has(path)) continue;
        const flipped = getAnswer(answers, path) !== true;
        const after = await approachAfter(answers, path, flipped);
        if (listed(report, path, flipped)) expect(after, path).not.toBe(report.recommendation.approach);
        else expect(after, `${path} -> ${flipped} is not in whatIf`).toBe(report.recommendation.approach);
      }
    }
  });

  it('every single need added or removed that is not listed leaves the approach unchanged', async () => {
    const answers = await load();
    const report = await run(answers);
    const needs = answers.needs;
    for (const need of ALL_NEEDS) {
      const next = needs.includes(need) ? needs.filter((n) => n !== need) : [...needs, need];
      if (next.length === 0) continue; // at least one need is required
      const after = await approachAfter(answers, 'needs', next);
      if (listed(report, 'needs', next)) expect(after).not.toBe(report.recommendation.approach);
      else expect(after, `needs -> ${JSON.stringify(next)} is not in whatIf`).toBe(report.recommendation.approach);
    }
  });
});

describe('what-if entries the documents predict', () => {
  it('Task API: each ceiling check and each present indicator would stop the tuning; of the anti-indicators, only prompts already working would', async () => {
    const answers = await validated(loadExample('task-api.yaml'));
    const r = await run(answers);
    expect(r.recommendation.approach).toBe('hybrid');
    // 002 phase 1: any unchecked ceiling question -> keep optimising prompts; knowledge -> rag.
    for (const c of CEILING) expect(r.whatIf).toContainEqual(expect.objectContaining({ path: `ceiling.${c}`, value: false, approach: 'rag' }));
    // 4 indicators - 1 = 3, not > 3.
    for (const i of ['consistentBehavior', 'domainKnowledge', 'brandVoice', 'latency']) {
      expect(r.whatIf).toContainEqual(expect.objectContaining({ path: `indicators.${i}`, value: false, approach: 'rag' }));
    }
    // One anti-indicator is still < 2; but prompts that already work stop the tuning (resolution when-to-stop).
    expect(r.whatIf.filter((w) => w.path.startsWith('antiIndicators.')).map((w) => [w.path, w.value, w.approach])).toEqual([['antiIndicators.promptsWorking', true, 'rag']]);
    // Without the knowledge need, nothing is left for retrieval: plain fine-tuning.
    expect(r.whatIf).toContainEqual(expect.objectContaining({ path: 'needs', value: ['behavior', 'style', 'tools', 'safety'], approach: 'fine-tune' }));
    // 004: under ~100 examples fine-tuning loses; 99 is the nearest such count.
    expect(r.whatIf).toContainEqual(expect.objectContaining({ path: 'data.examples', value: 99, approach: 'rag' }));
  });

  it('ten examples: 100 (the nearest count that is not "under ~100") would allow tuning', async () => {
    const r = await run(candidateAnswers({ antiIndicators: { insufficientData: undefined }, data: { examples: 10 } }));
    expect(r.recommendation.approach).toBe('prompt');
    expect(r.whatIf).toContainEqual(expect.objectContaining({ path: 'data.examples', value: 100, approach: 'fine-tune' }));
  });

  it('three indicators: any one more makes a candidate', async () => {
    const r = await run(baseAnswers({ indicators: indicatorsOn(3) }));
    for (const i of INDICATORS.slice(3)) expect(r.whatIf).toContainEqual(expect.objectContaining({ path: `indicators.${i}`, value: true, approach: 'fine-tune' }));
  });

  it('two anti-indicators: removing either makes a candidate', async () => {
    const r = await run(baseAnswers({ indicators: indicatorsOn(6), antiIndicators: antiIndicatorsOn(2) }));
    for (const a of ['rapidlyChangingRequirements', 'lowVolume']) {
      expect(r.whatIf).toContainEqual(expect.objectContaining({ path: `antiIndicators.${a}`, value: false, approach: 'fine-tune' }));
    }
  });

  it('support chatbot: without the knowledge need, the open ceiling keeps it on prompts', async () => {
    const r = await run(await validated(loadExample('support-bot.yaml')));
    expect(r.recommendation.approach).toBe('rag');
    expect(r.whatIf).toContainEqual(expect.objectContaining({ path: 'needs', value: ['style'], approach: 'prompt' }));
  });

  it('6 indicators, no knowledge: no single indicator flip matters, of the anti-indicators only prompts working, and each ceiling check', async () => {
    // 6 indicators, 0 anti, no knowledge: one indicator less is still 5 > 3, one anti more is
    // still 1 < 2 (but working prompts stop the tuning), so only the ceiling checks, the needs,
    // promptsWorking and the data count can change it.
    const r = await run(baseAnswers({ indicators: indicatorsOn(6) }));
    expect(r.whatIf.filter((w) => w.path.startsWith('indicators.') || w.path.startsWith('antiIndicators.')).map((w) => w.path)).toEqual(['antiIndicators.promptsWorking']);
    for (const c of CEILING) expect(r.whatIf).toContainEqual(expect.objectContaining({ path: `ceiling.${c}`, value: false, approach: 'prompt' }));
  });
});
