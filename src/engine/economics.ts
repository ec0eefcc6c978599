// Token economics, break-even, the quality rubric and data readiness: the
// documents' formulas, with every threshold and band read from the rule set.
import type { RuleSet } from '../rules/schema';
import { pickBand } from './conditions';
import type { FactMap } from './facts';
import { phaseRequirement, type Method } from './method';
import { articleFor, formatNumber } from '../util/format';

export interface Economics {
  tokensPerRequestNow: number | null;
  tokensPerRequestTuned: number | null;
  tokensPerDayNow: number | null;
  tokensPerDayTuned: number | null;
  tokenReduction: number | null;
  /** Completion (output) tokens a day: the same before and after tuning, so they cost money but save none. */
  completionTokensPerDay: number | null;
  costPerDayNow: number | null;
  costPerDayTuned: number | null;
  upfrontCost: number | null;
  monthlyApiSavings: number | null;
  monthlyApiSavingsDerived: boolean;
  monthlyNetBenefit: number | null;
  breakEvenMonths: number | null;
  breakEvenVerdict: string | null;
  /** The monthly net benefit that would break even within the first band's line (6 months), and within the last band's (12). */
  monthlyNetBenefitNeeded: number | null;
  monthlyNetBenefitToPayBack: number | null;
  steps: string[];
}

const num = (facts: FactMap, path: string): number | undefined => {
  const v = facts.get(path);
  return typeof v === 'number' ? v : undefined;
};
const money = (n: number) => formatNumber(n, 2);
const count = (n: number) => formatNumber(n, 2);

/** The economics figures conditions read, as facts. */
export const ECONOMICS_FACTS = (['breakEvenVerdict', 'breakEvenMonths', 'monthlyNetBenefit', 'upfrontCost', 'tokenReduction', 'monthlyNetBenefitNeeded', 'monthlyNetBenefitToPayBack'] as const).map(
  (key) => ({ key, fact: `economics.${key}` }),
);

/**
 * Sets the economics facts from the usage and roi answers: they are worked out from the
 * answers alone, so the decision can read them like answers (and what-if knows which
 * answers move them).
 */
export function setEconomicsFacts(rules: RuleSet, facts: FactMap, economics: Economics | null = computeEconomics(rules, facts, true)): void {
  for (const { key, fact } of ECONOMICS_FACTS) {
    const value = economics ? economics[key] : null;
    if (value !== null || facts.get(fact) !== undefined) facts.set(fact, value);
  }
}

export function computeEconomics(rules: RuleSet, facts: FactMap, quiet = false): Economics | null {
  const hasUsage = facts.get('usage.present') === true;
  const hasRoi = facts.get('roi.present') === true;
  if (!hasUsage && !hasRoi) return null;
  const days = rules.economics.daysPerMonth;
  // What-if re-runs need only the verdict; the worked steps are for the report.
  const steps: string[] = [];
  const explain = !quiet;
  const e: Economics = {
    tokensPerRequestNow: null,
    tokensPerRequestTuned: null,
    tokensPerDayNow: null,
    tokensPerDayTuned: null,
    tokenReduction: null,
    completionTokensPerDay: null,
    costPerDayNow: null,
    costPerDayTuned: null,
    upfrontCost: null,
    monthlyApiSavings: null,
    monthlyApiSavingsDerived: false,
    monthlyNetBenefit: null,
    breakEvenMonths: null,
    breakEvenVerdict: null,
    monthlyNetBenefitNeeded: null,
    monthlyNetBenefitToPayBack: null,
    steps,
  };

  const requests = num(facts, 'usage.requestsPerDay');
  const prompt = num(facts, 'usage.promptTokens');
  const input = num(facts, 'usage.inputTokens');
  const tuned = num(facts, 'usage.tunedPromptTokens');
  const price = num(facts, 'usage.pricePerMillionTokens');
  const completion = num(facts, 'usage.completionTokens');
  if (requests !== undefined && prompt !== undefined && input !== undefined && tuned !== undefined) {
    const perRequestNow = prompt + input;
    const perRequestTuned = tuned + input;
    const now = requests * perRequestNow;
    const later = requests * perRequestTuned;
    const reduction = now ? round3(1 - later / now) : 0;
    e.tokensPerRequestNow = perRequestNow;
    e.tokensPerRequestTuned = perRequestTuned;
    e.tokensPerDayNow = now;
    e.tokensPerDayTuned = later;
    e.tokenReduction = reduction;
    if (explain) {
      steps.push(
        `Tokens per day now = ${count(requests)} requests x (${count(prompt)} prompt + ${count(input)} user tokens) = ${count(now)}.`,
        `Tokens per day tuned = ${count(requests)} x (${count(tuned)} + ${count(input)}) = ${count(later)}; ${articleFor((reduction * 100).toFixed(1))} ${(reduction * 100).toFixed(1)}% reduction.`,
      );
    }
    const written = completion === undefined ? undefined : requests * completion;
    if (written !== undefined) {
      e.completionTokensPerDay = written;
      if (explain) steps.push(`Completion tokens per day = ${count(requests)} x ${count(completion!)} = ${count(written)}, the same tuned: they cost money but save none.`);
    }
    if (price !== undefined) {
      // Output tokens are priced apart (an answer, else the rule set's ratio to the input price);
      // without either they are left out of the cost, and the steps say so.
      const output = outputPrice(rules, facts, price);
      const outputCost = written !== undefined && output !== undefined ? (written / 1e6) * output.price : 0;
      const costNow = round2((now / 1e6) * price + outputCost);
      const costTuned = round2((later / 1e6) * price + outputCost);
      e.costPerDayNow = costNow;
      e.costPerDayTuned = costTuned;
      if (explain) {
        if (written !== undefined && output !== undefined) {
          const how = output.assumed ? ` (assumed: ${formatNumber(output.ratio!, 2)}x the input price)` : '';
          steps.push(`At ${money(price)} per million input tokens and ${money(output.price)} per million output tokens${how}: ${money(costNow)} a day now, ${money(costTuned)} tuned.`);
        } else {
          steps.push(`At ${money(price)} per million tokens: ${money(costNow)} a day now, ${money(costTuned)} tuned${written !== undefined ? ' (input tokens only: no output price is known)' : ''}.`);
        }
      }
    }
  }

  if (hasRoi) {
    const hours = num(facts, 'roi.upfrontHours') ?? 0;
    const rate = num(facts, 'roi.hourlyRate') ?? 0;
    const training = num(facts, 'roi.trainingCost') ?? 0;
    const upfront = round2(hours * rate + training);
    e.upfrontCost = upfront;
    if (explain) steps.push(`Upfront = ${count(hours)} h x ${money(rate)}${training ? ` + ${money(training)} training` : ''} = ${money(upfront)}.`);

    let savings = num(facts, 'roi.monthlyApiSavings');
    const { costPerDayNow, costPerDayTuned } = e;
    if (savings === undefined && costPerDayNow !== null && costPerDayTuned !== null) {
      const derived = round2((costPerDayNow - costPerDayTuned) * days);
      savings = derived;
      e.monthlyApiSavingsDerived = true;
      if (explain) steps.push(`API savings derived from usage: (${money(costPerDayNow)} - ${money(costPerDayTuned)}) x ${days} days = ${money(derived)} a month.`);
    }
    e.monthlyApiSavings = savings ?? null;
    const saved = savings ?? 0;
    const quality = num(facts, 'roi.monthlyQualityValue') ?? 0;
    const ongoing = num(facts, 'roi.monthlyOngoingCosts') ?? 0;
    const net = round2(saved + quality - ongoing);
    e.monthlyNetBenefit = net;
    if (explain) steps.push(`Monthly net benefit = ${money(saved)} savings + ${money(quality)} quality - ${money(ongoing)} ongoing = ${money(net)}.`);
    const bands = rules.economics.breakEven.bands;
    if (net > 0) {
      // Banded on the exact value; shown rounded, with as many decimals as keep its band.
      const exact = upfront / net;
      const verdict = pickBand(exact, bands);
      const months = roundKeepingBand(exact, bands, verdict);
      e.breakEvenMonths = months;
      e.breakEvenVerdict = verdict;
      if (explain) steps.push(`Break-even = ${money(upfront)} / ${money(net)} = ${formatNumber(months, 4)} months: ${verdict}.`);
    } else {
      const verdict = bands[bands.length - 1]!.band;
      e.breakEvenVerdict = verdict;
      if (explain) steps.push(`The monthly net benefit is not positive, so the investment never breaks even: ${verdict}.`);
    }
    // What would make it pay: the net benefit at each band's line.
    const lines = bands.map((b) => b.when?.lt ?? b.when?.lte).filter((x): x is number => typeof x === 'number' && x > 0);
    if (lines.length) {
      e.monthlyNetBenefitNeeded = round2(upfront / lines[0]!);
      e.monthlyNetBenefitToPayBack = round2(upfront / lines[lines.length - 1]!);
      if (explain && e.breakEvenVerdict !== bands[0]!.band) {
        steps.push(
          `To break even within ${lines[0]} months the monthly net benefit would need to reach ${money(e.monthlyNetBenefitNeeded)}${lines.length > 1 ? `; within ${lines[lines.length - 1]} months, ${money(e.monthlyNetBenefitToPayBack)}` : ''} (now ${money(net)}).`,
        );
      }
    }
  }
  return e;
}

/**
 * The price per million output tokens: the answer, else the input price times the rule
 * set's ratio (marked as assumed), else undefined.
 */
export function outputPrice(rules: RuleSet, facts: FactMap, inputPrice: number): { price: number; assumed: boolean; ratio?: number } | undefined {
  const given = num(facts, 'usage.pricePerMillionOutputTokens');
  if (given !== undefined) return { price: given, assumed: false };
  const ratio = rules.economics.outputPriceRatio;
  return ratio === undefined ? undefined : { price: inputPrice * ratio, assumed: true, ratio };
}

export interface RubricResult {
  score: number;
  max: number;
  band: string;
  dimensions: { id: string; label: string; score: number; target: string }[];
  weakest: { id: string; label: string; score: number; target: string }[];
}

/** The rubric's dimensions and their targets, worked out once per rule set. */
interface RubricPlan {
  presentKey: string;
  dimensions: { id: string; label: string; path: string; target: string }[];
}
const rubricPlans = new WeakMap<RuleSet, RubricPlan | null>();

function rubricPlan(rules: RuleSet): RubricPlan | null {
  let plan = rubricPlans.get(rules);
  if (plan !== undefined) return plan;
  const section = rules.sections.find((s) => s.id === rules.rubric.section);
  plan = section
    ? {
        presentKey: `${section.id}.present`,
        dimensions: (section.fields ?? []).map((f) => {
          const levels = f.levels ?? {};
          const best = Object.keys(levels)
            .map(Number)
            .sort((a, b) => b - a)[0];
          return { id: f.id, label: f.label ?? f.id, path: `${section.id}.${f.id}`, target: best !== undefined ? `${best}: ${levels[String(best)]}` : '' };
        }),
      }
    : null;
  rubricPlans.set(rules, plan);
  return plan;
}

export function computeRubric(rules: RuleSet, facts: FactMap): RubricResult | null {
  const plan = rubricPlan(rules);
  if (!plan || facts.get(plan.presentKey) !== true) return null;
  const dimensions = plan.dimensions.map((d) => ({ id: d.id, label: d.label, score: num(facts, d.path) ?? 0, target: d.target }));
  const score = dimensions.reduce((s, d) => s + d.score, 0);
  const lowest = Math.min(...dimensions.map((d) => d.score));
  const top = Math.max(...dimensions.map((d) => d.score), 0);
  const weakest = lowest < top || dimensions.every((d) => d.score < 5) ? dimensions.filter((d) => d.score === lowest) : [];
  return { score, max: rules.rubric.max, band: pickBand(score, rules.rubric.bands), dimensions, weakest };
}

export interface ReadinessLine {
  what: string;
  field: 'examples' | 'preferencePairs' | 'documents';
  need: number;
  have: number | null;
  gap: number | null;
  met: boolean | null;
  source: string;
}

export interface DataReadiness {
  examples: number | null;
  level: string | null;
  levelLabel: string | null;
  levelSource: string | null;
  lines: ReadinessLine[];
  checklist: { id: string; label: string; done: boolean | null; derived: boolean }[] | null;
  qualityNote: string;
  /** Set when the large model generates the training data (distillation): no labelled set is needed to start. */
  generated: string | null;
}

const DATA_FACT = { examples: 'data.examples', preferencePairs: 'data.preferencePairs', documents: 'data.documents' } as const;

/** The data checklist section's facts, worked out once per rule set. */
const checklists = new WeakMap<RuleSet, { presentKey: string; items: { id: string; label: string; path: string }[] } | null>();

function checklistPlan(rules: RuleSet) {
  let plan = checklists.get(rules);
  if (plan !== undefined) return plan;
  const section = rules.sections.find((s) => s.id === 'dataChecklist');
  plan = section ? { presentKey: `${section.id}.present`, items: (section.fields ?? []).map((f) => ({ id: f.id, label: f.label ?? f.id, path: `${section.id}.${f.id}` })) } : null;
  checklists.set(rules, plan);
  return plan;
}

export function computeReadiness(rules: RuleSet, facts: FactMap, method: Method | null, derivedPaths: ReadonlySet<string>): DataReadiness | null {
  const examples = num(facts, 'data.examples') ?? null;
  const checklistSection = checklistPlan(rules);
  const checklistGiven = checklistSection && facts.get(checklistSection.presentKey) === true;
  if (examples === null && !method && !checklistGiven) return null;

  // The levels grade labelled examples: they say nothing when the method trains on
  // preference pairs, documents or data the large model generates.
  const unit = facts.get('data.unit');
  let level: (typeof rules.data.levels)[number] | undefined;
  if (examples !== null && (unit === 'examples' || unit === undefined)) level = rules.data.levels.find((l) => l.below === null || examples < l.below);

  const lines: ReadinessLine[] = [];
  let generated: string | null = null;
  if (method) {
    for (const phase of method.phases) {
      const objective = rules.method.objectives.find((o) => o.id === phase.objective);
      if (!objective) continue;
      const requirement = phaseRequirement(rules, objective, phase.needs);
      // Generated for every phase when the prompted model is the teacher (data.unit).
      if (requirement.generated || unit === 'generated') {
        generated = `${objective.label} for ${phase.needs.join(', ')}: the large model generates the training data (distillation), so no labelled set is needed to start.`;
        continue;
      }
      const what = requirement.requires === objective.requires ? `${objective.label} (objective)` : `${objective.label} for ${phase.needs.join(', ')} (objective)`;
      for (const [field, need] of Object.entries(requirement.requires) as [keyof typeof DATA_FACT, number][]) {
        lines.push(readinessLine(what, field, need, facts, requirement.source));
      }
      const fallback = phase.instead && rules.method.objectives.find((o) => o.id === phase.instead!.objective);
      if (fallback) {
        const fb = phaseRequirement(rules, fallback, phase.needs);
        for (const [field, need] of Object.entries(fb.requires) as [keyof typeof DATA_FACT, number][]) {
          lines.push(readinessLine(`${fallback.label} for ${phase.needs.join(', ')} (fallback)`, field, need, facts, fb.source));
        }
      }
    }
    const technique = rules.method.techniques.find((t) => t.id === method.technique);
    for (const [field, range] of Object.entries(technique?.typical ?? {}) as [keyof typeof DATA_FACT, [number, number | null]][]) {
      if (generated !== null && field === 'examples') continue; // the large model generates the examples
      if (unit !== undefined && unit !== 'examples' && field === 'examples') continue; // trains on pairs or documents
      lines.push(readinessLine(`${technique!.label} (technique)`, field, range[0], facts, technique!.source));
    }
  }
  const checklist = checklistGiven
    ? checklistSection.items.map((f) => {
        const v = facts.get(f.path);
        return { id: f.id, label: f.label, done: typeof v === 'boolean' ? v : null, derived: derivedPaths.has(f.path) };
      })
    : null;
  return {
    examples,
    level: level?.level ?? null,
    levelLabel: level?.label ?? null,
    levelSource: level?.source ?? null,
    lines,
    checklist,
    qualityNote: rules.data.qualityNote,
    generated,
  };
}

function readinessLine(what: string, field: keyof typeof DATA_FACT, need: number, facts: FactMap, source: string): ReadinessLine {
  const have = num(facts, DATA_FACT[field]) ?? null;
  return { what, field, need, have, gap: have === null ? null : Math.max(0, need - have), met: have === null ? null : have >= need, source };
}

/**
 * One decimal, unless rounding would carry the value across a band line (5.96 months would
 * show as 6.0, which reads as the next band): then two, or more, up to four.
 */
function roundKeepingBand(exact: number, bands: RuleSet['economics']['breakEven']['bands'], band: string): number {
  for (const decimals of [1, 2, 3, 4]) {
    const f = 10 ** decimals;
    const shown = Math.round(exact * f) / f;
    if (pickBand(shown, bands) === band) return shown;
  }
  // Still across the line at four decimals: show it truncated towards its own band.
  return Math.floor(exact * 10_000) / 10_000;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
