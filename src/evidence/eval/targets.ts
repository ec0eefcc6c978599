// The team's targets, and the prices a measured cost implies, as facts beside the
// measurements. A mapping compares a fact with a number written in the rule set, so "the
// best pass rate meets the team's target" is read as `eval.passRateAboveTarget >= 0`: the
// target (an answer, or its default in the rule set) is subtracted here, and the
// threshold stays in YAML.
import type { FactValue } from '../../engine/conditions';
import type { RuleSet } from '../../rules/schema';
import type { Measurements } from '../types';

/** Where the targets are answered, and the facts each one turns into. */
const TARGETS = [
  { answer: 'evalTargets.passRate', measured: 'eval.bestPassRate', target: 'eval.passRateTarget', margin: 'eval.passRateAboveTarget' },
  { answer: 'evalTargets.latencyMs', measured: 'eval.meanLatencyMs', target: 'eval.latencyBudgetMs', margin: 'eval.latencyOverBudget' },
  { answer: 'evalTargets.costPerRequest', measured: 'eval.costPerRequest', target: 'eval.costBudget', margin: 'eval.costOverBudget' },
] as const;

/** The answer, else the rule set's default for that field, else undefined. */
function targetValue(rules: RuleSet, answers: Record<string, unknown>, path: string): number | undefined {
  const [sectionId, fieldId] = path.split('.') as [string, string];
  const section = answers[sectionId];
  const given = section && typeof section === 'object' ? (section as Record<string, unknown>)[fieldId] : undefined;
  if (typeof given === 'number') return given;
  const fallback = rules.sections.find((s) => s.id === sectionId)?.fields?.find((f) => f.id === fieldId)?.default;
  return typeof fallback === 'number' ? fallback : undefined;
}

/** Adds the target facts to each file's measurements (new objects; the input is not changed). */
export function withTargets(rules: RuleSet, answers: Record<string, unknown>, measurements: readonly Measurements[]): Measurements[] {
  return measurements.map((m) => {
    if (!m.kind || !Object.keys(m.facts).some((k) => k.startsWith('eval.'))) return m;
    const facts: Record<string, FactValue> = { ...m.facts };
    for (const t of TARGETS) {
      const target = targetValue(rules, answers, t.answer);
      const measured = facts[t.measured];
      if (target === undefined) continue;
      facts[t.target] = target;
      if (typeof measured !== 'number') continue;
      // Margins are differences of rounded figures: round again so 80.1 - 80 is 0.1, not 0.0999...
      facts[t.margin] = Number((measured - target).toPrecision(10));
    }
    Object.assign(facts, pricesOf(rules, answers, facts), instructionTokensOf(answers, facts));
    return { ...m, facts };
  });
}

/**
 * The input and output prices per million tokens a measured cost per request implies. A
 * cost per request mixes both kinds of token: it is split with the answered output price,
 * else with the rule set's output-to-input ratio. Only the input price moves the savings
 * (the tuned prompt is shorter; the completion is the same).
 */
function pricesOf(rules: RuleSet, answers: Record<string, unknown>, facts: Record<string, FactValue>): Record<string, number> {
  const cost = facts['eval.costPerRequest'];
  const prompt = facts['eval.meanPromptTokens'];
  const completion = facts['eval.meanCompletionTokens'];
  if (typeof cost !== 'number' || typeof prompt !== 'number' || typeof completion !== 'number' || prompt <= 0) return {};
  const usage = answers.usage;
  const givenOutput = usage && typeof usage === 'object' ? (usage as Record<string, unknown>).pricePerMillionOutputTokens : undefined;
  const ratio = rules.economics.outputPriceRatio;
  let input: number;
  let output: number;
  if (typeof givenOutput === 'number') {
    output = givenOutput;
    input = ((cost - (completion * output) / 1e6) / prompt) * 1e6;
  } else if (ratio !== undefined) {
    input = (cost * 1e6) / (prompt + ratio * completion);
    output = input * ratio;
  } else if (completion === 0) {
    input = (cost * 1e6) / prompt;
    output = input;
  } else return {};
  // A cost below what the answered output price alone would charge splits into no input price.
  if (!(input > 0)) return {};
  return { 'eval.inputPricePerMillionTokens': roundSig(input), 'eval.outputPricePerMillionTokens': roundSig(output) };
}

/**
 * An eval counts every token sent as prompt tokens: the instructions and the user's own
 * text. The token economics asks for them apart, so the answered user tokens are taken
 * off the measured mean before it is compared with (or fills) the instruction tokens.
 */
function instructionTokensOf(answers: Record<string, unknown>, facts: Record<string, FactValue>): Record<string, number> {
  const measured = facts['eval.meanPromptTokens'];
  const usage = answers.usage;
  const user = usage && typeof usage === 'object' ? (usage as Record<string, unknown>).inputTokens : undefined;
  if (typeof measured !== 'number' || typeof user !== 'number') return {};
  return { 'eval.userTokens': user, 'eval.meanInstructionTokens': Math.max(0, measured - user) };
}

/** Four significant digits: a price worked out from means is no more exact than that. */
function roundSig(n: number): number {
  return Number(n.toPrecision(4));
}
