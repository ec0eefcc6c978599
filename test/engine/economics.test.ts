// Token economics (000 "Token Cost" table) and break-even (002 "Break-Even Calculation").
import { describe, expect, it } from 'vitest';
import { baseAnswers, candidateAnswers } from '../helpers/answers';
import { defaultRules, run } from '../helpers/engine';

// 000: "1000 Students x 10 Messages/Day"; "~700 + ~200 = 900" vs "~20 + ~200 = 220".
const TUTOR_USAGE = { requestsPerDay: 10000, promptTokens: 700, inputTokens: 200, tunedPromptTokens: 20 };
// 002: "Upfront: 60 hours @ $100/hr"; "API Savings: $1,500/month"; "Quality Value: $500/month";
// "Ongoing Costs: $500/month".
const FRAMEWORK_ROI = { upfrontHours: 60, hourlyRate: 100, monthlyApiSavings: 1500, monthlyQualityValue: 500, monthlyOngoingCosts: 500 };

describe('token economics (000)', () => {
  it('the tutor figures: 9 million vs 2.2 million tokens a day, a ~75% reduction', async () => {
    const e = (await run(baseAnswers({ usage: TUTOR_USAGE }), { whatIf: false })).economics!;
    expect(e).not.toBeNull();
    expect(e.tokensPerDayNow).toBe(9_000_000); // "9 million tokens/day"
    expect(e.tokensPerDayTuned).toBe(2_200_000); // "2.2 million tokens/day"
    // 1 - 2.2 / 9 = 0.7556; the document rounds it to "75%".
    expect(e.tokenReduction).toBeCloseTo(1 - 2_200_000 / 9_000_000, 3);
    expect(e.tokenReduction).toBeCloseTo(0.756, 3);
    // Usage alone is no break-even.
    expect(e.breakEvenMonths).toBeNull();
    expect(e.breakEvenVerdict).toBeNull();
  });

  it.each([
    // [requests/day, prompt, input, tuned]
    [1000, 2000, 100, 50],
    [250, 300, 300, 0],
  ])('%i requests x (%i + %i) now vs (%i + input) tuned', async (requestsPerDay, promptTokens, inputTokens, tunedPromptTokens) => {
    const e = (await run(baseAnswers({ usage: { requestsPerDay, promptTokens, inputTokens, tunedPromptTokens } }), { whatIf: false })).economics!;
    const now = requestsPerDay * (promptTokens + inputTokens);
    const tunedTokens = requestsPerDay * (tunedPromptTokens + inputTokens);
    expect(e.tokensPerDayNow).toBe(now);
    expect(e.tokensPerDayTuned).toBe(tunedTokens);
    expect(e.tokenReduction).toBeCloseTo(1 - tunedTokens / now, 3);
  });

  it('a prompt over 200 tokens is flagged (000: "Your system prompt is >200 tokens")', async () => {
    const r = await run(baseAnswers({ usage: TUTOR_USAGE }), { whatIf: false });
    expect(r.warningItems.map((w) => w.id)).toContain('warn.long-prompt');
    const short = await run(baseAnswers({ usage: { ...TUTOR_USAGE, promptTokens: 200 } }), { whatIf: false });
    expect(short.warningItems.map((w) => w.id)).not.toContain('warn.long-prompt');
  });
});

describe('break-even (002: "Break-Even = Upfront Investment / Monthly Net Benefit"; "< 6 months ... justified")', () => {
  it('the worked example: $6,000 / $1,500 = 4 months -> justified', async () => {
    const e = (await run(baseAnswers({ roi: FRAMEWORK_ROI }), { whatIf: false })).economics!;
    expect(e.upfrontCost).toBe(6000); // 60 x 100
    expect(e.monthlyApiSavings).toBe(1500);
    expect(e.monthlyNetBenefit).toBe(1500); // 1,500 + 500 - 500
    expect(e.breakEvenMonths).toBe(4);
    expect(e.breakEvenVerdict).toBe('justified');
    // ROI alone has no token figures.
    expect(e.tokensPerDayNow).toBeNull();
  });

  it('training compute adds to the upfront cost (002 upfront table: hours + "Training Runs $5-50")', async () => {
    const e = (await run(baseAnswers({ roi: { ...FRAMEWORK_ROI, trainingCost: 50 } }), { whatIf: false })).economics!;
    expect(e.upfrontCost).toBe(6050);
    expect(e.breakEvenMonths).toBeCloseTo(6050 / 1500, 1);
    expect(e.breakEvenVerdict).toBe('justified');
  });

  it.each([
    // [upfront hours, net monthly, months, justified?]
    [50, 1000, 5, true],
    [59, 1000, 5.9, true],
    [60, 1000, 6, false], // "< 6": exactly 6 is not justified
    [90, 1000, 9, false],
  ])('%i h x 100 against %i a month -> %d months, justified: %s', async (hours, net, months, justified) => {
    const e = (await run(baseAnswers({ roi: { upfrontHours: hours, hourlyRate: 100, monthlyApiSavings: net, monthlyQualityValue: 0, monthlyOngoingCosts: 0 } }), { whatIf: false })).economics!;
    expect(e.breakEvenMonths).toBeCloseTo(months, 5);
    expect(e.breakEvenVerdict === 'justified').toBe(justified);
  });

  it("between 6 and 12 months is marginal, 12 and over not justified (ft-advisor's own upper line, rule set economics.breakEven)", async () => {
    const at = async (hours: number) => (await run(baseAnswers({ roi: { upfrontHours: hours, hourlyRate: 100, monthlyApiSavings: 1000 } }), { whatIf: false })).economics!.breakEvenVerdict;
    expect(await at(60)).toBe('marginal');
    expect(await at(119)).toBe('marginal');
    expect(await at(120)).toBe('not-justified');
  });

  it.each([
    // [savings, quality, ongoing] with savings + quality - ongoing <= 0
    [500, 0, 500], //  exactly 0
    [200, 100, 500], // -200
    [0, 0, 0],
  ])('net benefit %i + %i - %i is not positive -> never breaks even: not-justified, no months', async (savings, quality, ongoing) => {
    const e = (await run(baseAnswers({ roi: { upfrontHours: 60, hourlyRate: 100, monthlyApiSavings: savings, monthlyQualityValue: quality, monthlyOngoingCosts: ongoing } }), { whatIf: false }))
      .economics!;
    expect(e.monthlyNetBenefit).toBe(savings + quality - ongoing);
    expect(e.breakEvenMonths).toBeNull();
    expect(e.breakEvenVerdict).toBe('not-justified');
  });
});

describe('monthly API savings derived from usage and price when omitted', () => {
  it('the tutor figures at $5 per million tokens', async () => {
    // By hand: now 9,000,000 tokens/day x $5/M = $45/day; tuned 2,200,000 x $5/M = $11/day;
    // $34/day saved x 30 days (the rule set's month) = $1,020/month.
    // Net = 1,020 + 0 - 20 = 1,000; upfront 60 x 100 = 6,000 -> 6 months.
    const r = await run(
      baseAnswers({
        usage: { ...TUTOR_USAGE, pricePerMillionTokens: 5 },
        roi: { upfrontHours: 60, hourlyRate: 100, monthlyQualityValue: 0, monthlyOngoingCosts: 20 },
      }),
      { whatIf: false },
    );
    const e = r.economics!;
    expect(e.costPerDayNow).toBeCloseTo(45, 2);
    expect(e.costPerDayTuned).toBeCloseTo(11, 2);
    expect(e.monthlyApiSavings).toBeCloseTo(1020, 2);
    expect(e.monthlyApiSavingsDerived).toBe(true);
    expect(e.monthlyNetBenefit).toBeCloseTo(1000, 2);
    expect(e.breakEvenMonths).toBeCloseTo(6, 5);
    expect(e.breakEvenVerdict).not.toBe('justified'); // not under 6
  });

  it("the contract's price of 0.5 per million: (9.0 - 2.2) x 0.5 x 30 = 102 a month", async () => {
    const e = (await run(baseAnswers({ usage: { ...TUTOR_USAGE, pricePerMillionTokens: 0.5 }, roi: { upfrontHours: 10, hourlyRate: 100 } }), { whatIf: false })).economics!;
    expect(e.monthlyApiSavings).toBeCloseTo(102, 2);
    expect(e.monthlyApiSavingsDerived).toBe(true);
    // 1,000 / 102 = 9.8 months
    expect(e.breakEvenMonths).toBeCloseTo(1000 / 102, 1);
  });

  it('an explicit monthlyApiSavings wins over the derivation', async () => {
    const e = (await run(baseAnswers({ usage: { ...TUTOR_USAGE, pricePerMillionTokens: 5 }, roi: FRAMEWORK_ROI }), { whatIf: false })).economics!;
    expect(e.monthlyApiSavings).toBe(1500);
    expect(e.monthlyApiSavingsDerived).toBe(false);
    expect(e.breakEvenMonths).toBe(4);
  });

  it('completion tokens add cost, the same tuned, and leave the savings alone', async () => {
    // By hand: input 9,000,000 / 2,200,000 tokens a day at $5/M = $45 / $11; 10,000 x 150 =
    // 1,500,000 completion tokens a day at $20/M (4 x $5, the rule set's ratio) = $30 each way.
    const answers = baseAnswers({ usage: { ...TUTOR_USAGE, pricePerMillionTokens: 5, completionTokens: 150 }, roi: { upfrontHours: 60, hourlyRate: 100 } });
    const e = (await run(answers, { whatIf: false })).economics!;
    expect(e.completionTokensPerDay).toBe(1_500_000);
    expect(e.tokenReduction).toBeCloseTo(0.756, 3); // input tokens, as the tutor's table counts them
    expect(e.costPerDayNow).toBeCloseTo(75, 2);
    expect(e.costPerDayTuned).toBeCloseTo(41, 2);
    expect(e.monthlyApiSavings).toBeCloseTo(1020, 2);
    expect(e.steps.join('\n')).toContain('At 5 per million input tokens and 20 per million output tokens (assumed: 4x the input price): 75 a day now, 41 tuned.');
  });

  it('an answered output price wins over the ratio', async () => {
    const e = (await run(baseAnswers({ usage: { ...TUTOR_USAGE, pricePerMillionTokens: 5, completionTokens: 150, pricePerMillionOutputTokens: 10 } }), { whatIf: false })).economics!;
    expect(e.costPerDayNow).toBeCloseTo(60, 2); // 45 + 1.5 x 10
    expect(e.steps.join('\n')).not.toContain('assumed');
  });

  it('a rule set without an output price ratio prices input tokens only, and says so', async () => {
    const rules = await defaultRules();
    const { outputPriceRatio: _r, outputPriceRatioSource: _s, ...economics } = rules.economics;
    const e = (await run(baseAnswers({ usage: { ...TUTOR_USAGE, pricePerMillionTokens: 5, completionTokens: 150 } }), { whatIf: false }, { ...rules, economics })).economics!;
    expect(e.costPerDayNow).toBeCloseTo(45, 2);
    expect(e.steps.join('\n')).toContain('(input tokens only: no output price is known)');
  });

  it('without a price, money savings are not invented', async () => {
    const e = (await run(baseAnswers({ usage: TUTOR_USAGE, roi: { upfrontHours: 60, hourlyRate: 100, monthlyQualityValue: 500 } }), { whatIf: false })).economics!;
    expect(e.monthlyApiSavings).toBeNull();
    expect(e.monthlyApiSavingsDerived).toBe(false);
  });
});

describe('economics absent', () => {
  it('is null when neither usage nor roi is given', async () => {
    expect((await run(baseAnswers(), { whatIf: false })).economics).toBeNull();
    expect((await run(candidateAnswers(), { whatIf: false })).economics).toBeNull();
  });
});
