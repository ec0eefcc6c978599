// The 35-point quality rubric (001 "Quality Rubric (35 points)"): 7 dimensions scored
// 5/3/1; "28+ = Justified fine-tuning | 21-27 = Needs more evaluation | <21 = Premature".
import { describe, expect, it } from 'vitest';
import { pickBand } from '../../src/engine/conditions';
import { baseAnswers } from '../helpers/answers';
import { defaultRules, run } from '../helpers/engine';

const DIMENSIONS = ['decision', 'dataQuality', 'evaluation', 'method', 'cost', 'versioning', 'monitoring'] as const;
const rubricOf = (...scores: number[]) => Object.fromEntries(DIMENSIONS.map((d, i) => [d, scores[i]]));
// 001: 28+ justified, 21-27 needs more evaluation, under 21 premature.
const band = (score: number) => (score >= 28 ? 'justified' : score >= 21 ? 'needs-evaluation' : 'premature');

describe('rubric score and band', () => {
  it('the contract example 5,3,3,5,3,1,1 = 21 -> needs-evaluation, weakest versioning and monitoring', async () => {
    const r = (await run(baseAnswers({ rubric: rubricOf(5, 3, 3, 5, 3, 1, 1) }), { whatIf: false })).rubric!;
    expect(r.score).toBe(21);
    expect(r.max).toBe(35); // "35 points"
    expect(r.band).toBe('needs-evaluation');
    expect(r.weakest.map((d) => d.id).sort()).toEqual(['monitoring', 'versioning']);
  });

  // Seven scores of 1, 3 or 5 always add up to an odd number, so the even edges (28, 20)
  // cannot come from answers; the reachable neighbours are tested through the engine.
  it.each([
    [[5, 5, 5, 5, 5, 5, 5], 35],
    [[5, 5, 5, 5, 5, 3, 1], 29],
    [[5, 5, 5, 5, 5, 1, 1], 27],
    [[5, 5, 5, 3, 1, 1, 1], 21],
    [[5, 3, 3, 3, 3, 1, 1], 19],
    [[3, 3, 3, 3, 3, 3, 3], 21],
    [[1, 1, 1, 1, 1, 1, 1], 7],
  ])('%j = %i', async (scores, total) => {
    const r = (await run(baseAnswers({ rubric: rubricOf(...scores) }), { whatIf: false })).rubric!;
    expect(r.score).toBe(total);
    expect(r.band).toBe(band(total));
  });

  it.each([
    [35, 'justified'],
    [28, 'justified'], // "28+"
    [27, 'needs-evaluation'],
    [21, 'needs-evaluation'], // "21-27"
    [20, 'premature'], // "<21"
    [7, 'premature'],
  ])("the rule set's rubric bands put %i in %s", async (score, expected) => {
    const rules = await defaultRules();
    expect(pickBand(score, rules.rubric.bands)).toBe(expected);
    expect(rules.rubric.max).toBe(35);
  });

  it('the weakest dimensions are the lowest-scored ones', async () => {
    const r = (await run(baseAnswers({ rubric: rubricOf(5, 1, 5, 3, 5, 5, 5) }), { whatIf: false })).rubric!;
    expect(r.weakest.map((d) => d.id)).toEqual(['dataQuality']);
    expect(r.score).toBe(29);
  });

  it('only 5, 3 or 1 are valid scores', async () => {
    await expect(run(baseAnswers({ rubric: rubricOf(4, 3, 3, 5, 3, 1, 1) }))).rejects.toThrow(/rubric\.decision/);
  });

  it('is null when no rubric is given', async () => {
    expect((await run(baseAnswers(), { whatIf: false })).rubric).toBeNull();
  });
});
