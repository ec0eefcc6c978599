// Facts an eval-results reader sets (promptfoo results, the tool-neutral evidence file).
// A rule set's evidence mappings may read these; `rules show --facts` lists them.
// Figures of one prompt x provider are the best row's: the one a team would ship.
import type { FactType } from '../../rules/fact-types';

export const EVAL_FACTS: Record<string, { type: FactType; description: string }> = {
  'eval.distinctPrompts': { type: 'number', description: 'distinct prompts in the eval results' },
  'eval.distinctProviders': { type: 'number', description: 'distinct providers (models) in the eval results' },
  'eval.tests': { type: 'number', description: 'tests run, over every prompt x provider' },
  'eval.bestPassRate': { type: 'number', description: 'the best prompt x provider pass rate, in percent (errors count as not passed)' },
  'eval.medianPromptPassRate': { type: 'number', description: "the median prompt's pass rate in percent (each prompt over all its providers; two or more prompts)" },
  'eval.plateauGap': { type: 'number', description: "the best prompt's pass rate minus the median prompt's, in percentage points (two or more prompts)" },
  'eval.meanPromptTokens': { type: 'number', description: 'mean prompt (input) tokens per request of the best prompt x provider' },
  'eval.meanCompletionTokens': { type: 'number', description: 'mean completion (output) tokens per request of the best prompt x provider' },
  'eval.meanLatencyMs': { type: 'number', description: 'mean latency per request of the best prompt x provider, in milliseconds' },
  'eval.p95LatencyMs': { type: 'number', description: '95th-percentile latency of the best prompt x provider, in milliseconds (per-test results needed)' },
  'eval.costPerRequest': { type: 'number', description: 'mean cost per request of the best prompt x provider' },
  'eval.inputPricePerMillionTokens': {
    type: 'number',
    description:
      "the price per million input tokens eval.costPerRequest implies, split from the output tokens' cost with usage.pricePerMillionOutputTokens or the rule set's economics.outputPriceRatio",
  },
  'eval.outputPricePerMillionTokens': { type: 'number', description: 'the price per million output tokens used for that split (answered, or the ratio times the input price)' },
  'eval.userTokens': { type: 'number', description: "the user's own tokens per request as answered (usage.inputTokens), when answered" },
  'eval.meanInstructionTokens': { type: 'number', description: 'eval.meanPromptTokens less the answered user tokens (usage.inputTokens): the instructions sent with every request' },
  'eval.passRateTarget': { type: 'number', description: "the team's pass-rate target in percent (evalTargets.passRate, or its default)" },
  'eval.passRateAboveTarget': { type: 'number', description: 'eval.bestPassRate minus eval.passRateTarget, in percentage points' },
  'eval.latencyBudgetMs': { type: 'number', description: "the team's latency budget (evalTargets.latencyMs), when given" },
  'eval.latencyOverBudget': { type: 'number', description: 'eval.meanLatencyMs minus the latency budget, in milliseconds, when a budget is given' },
  'eval.costBudget': { type: 'number', description: "the team's cost budget per request (evalTargets.costPerRequest), when given" },
  'eval.costOverBudget': { type: 'number', description: 'eval.costPerRequest minus the cost budget, when a budget is given' },
};
