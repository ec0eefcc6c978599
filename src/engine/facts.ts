// Facts are what conditions read: answers by dot path, plus figures the engine
// derives from them (counts, scores, bands). The formulas live here; every
// threshold and band they use comes from the rule set.
import type { Answers } from '../answers/schema';
import type { FieldRule, RuleSet, SectionRule } from '../rules/schema';
import type { Condition } from '../rules/vocabulary';
import { evaluate, factsOf, pickBand, type Facts, type FactValue, type SlottedFacts } from './conditions';
import { interpolate } from './template';
import { canDerive } from '../rules/derive';
import { ECONOMICS_FACTS, setEconomicsFacts } from './economics';
import { formatNumber } from '../util/format';

export interface DerivedAnswer {
  path: string;
  value: boolean;
  because: string;
  source: string;
}

export interface Factor {
  id: string;
  path: string;
  label: string;
  kind: 'indicator' | 'anti-indicator';
  weight: string | undefined;
  present: boolean;
  derived: boolean;
  source: string;
}

export interface FrameworkFigures {
  ceilingPassed: boolean;
  ceilingTotal: number;
  ceilingFailed: string[];
  indicators: number;
  antiIndicators: number;
  totalFactors: number;
  score: number;
  scoreBand: string;
  difference: number;
  differenceBand: string;
  confidence: string;
  /** The confidence the two bands give, before any cap lowered it. */
  bandsConfidence: string;
  bandsAgree: boolean;
  action: string;
  weighted: { indicators: number; antiIndicators: number; total: number; score: number };
  factors: Factor[];
  /** Labels of the factors present, by kind. */
  present: Record<Factor['kind'], string[]>;
}

/** What the engine uses of facts: get, has and set. A Map will do; the engine's own are FactTables. */
export interface FactMap extends Facts {
  set(key: string, value: FactValue): unknown;
}

export function roleSection(rules: RuleSet, role: SectionRule['role']): SectionRule | undefined {
  return rules.sections.find((s) => s.role === role);
}

export function sectionById(rules: RuleSet, id: string): SectionRule | undefined {
  return rules.sections.find((s) => s.id === id);
}

/**
 * What the engine needs to know about a rule set, worked out once per rule set: batches
 * and what-if re-run the decision thousands of times, and string paths, lookups and
 * weights are the same every time.
 */
export interface RulePlan {
  /** Where each fact lives in a FactTable. */
  layout: FactLayout;
  /** Each section's slot: the choices' list, or the section's presence; each field's path and slot. */
  sections: { id: string; kind: 'fields' | 'choices'; slot: number; fields: { id: string; path: string; slot: number }[] }[];
  /** The choices section, with each choice's route (in rule-set order, one per id). */
  choices: { sectionId: string; ids: string[]; routes: number[] } | undefined;
  derived: { path: string; field: FieldRule; sectionId: string; role: boolean; presentKey: string }[];
  ceiling: { path: string; label: string }[];
  factors: { id: string; path: string; label: string; kind: 'indicator' | 'anti-indicator'; weight: string | undefined; w: number; source: string }[];
  /** The score bands, strongest first: the order confidences are compared in. */
  bandOrder: string[];
  /** Each answer path's `<section>.present` fact, so changing an answer builds no strings. */
  presentKeys: Map<string, string | undefined>;
  /** A `choice` field over the needs names the primary one (goal.primary). */
  primaryGoalPath: string | undefined;
  /** What each need trains, for the primary need's data unit. */
  training: TrainingPlan;
}

/** The method tables, as far as the data a use case must count depends on them. */
interface TrainingPlan {
  needs: Map<string, { objective: string | undefined; distill: boolean; requires: Partial<Record<DataUnit, number>> | undefined }>;
  objectives: Map<string, { requires: Partial<Record<DataUnit, number>>; fallback: string | undefined }>;
  /** The objective of a need that names none: the first of the priority list. */
  defaultObjective: string | undefined;
  /** Labels of the data section's counts, in words: "labelled examples". */
  unitLabels: Record<string, string>;
  /** The rule set's condition for generated training data, and the answers it reads. */
  generatedWhen: Condition | undefined;
  generatedReads: ReadonlySet<string>;
}
export type DataUnit = 'examples' | 'preferencePairs' | 'documents';
const DATA_UNITS: readonly DataUnit[] = ['examples', 'preferencePairs', 'documents'];

const plans = new WeakMap<RuleSet, RulePlan>();

export function planFor(rules: RuleSet): RulePlan {
  let plan = plans.get(rules);
  if (plan) return plan;
  const choicesSection = rules.sections.find((s) => s.kind === 'choices');
  const ceiling = sectionById(rules, rules.framework.ceiling.section);
  const layout = factLayout(rules);
  const slot = (key: string) => layout.index.get(key)!;
  const presentKeys = new Map<string, string | undefined>();
  plan = {
    layout,
    sections: rules.sections.map((s) => ({
      id: s.id,
      kind: s.kind,
      slot: slot(s.kind === 'choices' ? s.id : `${s.id}.present`),
      fields: (s.fields ?? []).map((f) => {
        const path = `${s.id}.${f.id}`;
        presentKeys.set(path, presentKeyOf(path));
        return { id: f.id, path, slot: slot(path) };
      }),
    })),
    choices: choicesSection && choicesPlan(choicesSection.id, choicesSection.choices ?? []),
    derived: rules.sections.flatMap((s) =>
      (s.fields ?? []).filter((f) => f.derive).map((f) => ({ path: `${s.id}.${f.id}`, field: f, sectionId: s.id, role: Boolean(s.role), presentKey: `${s.id}.present` })),
    ),
    ceiling: (ceiling?.fields ?? []).map((f) => ({ path: `${ceiling!.id}.${f.id}`, label: f.label ?? f.id })),
    factors: (
      [
        [rules.framework.indicatorSection, 'indicator'],
        [rules.framework.antiIndicatorSection, 'anti-indicator'],
      ] as const
    ).flatMap(([sectionId, kind]) =>
      (sectionById(rules, sectionId)?.fields ?? []).map((f) => ({
        id: f.id,
        path: `${sectionId}.${f.id}`,
        label: f.label ?? f.id,
        kind,
        weight: f.weight,
        w: weightOf(rules, f),
        source: f.source,
      })),
    ),
    bandOrder: rules.framework.confidence.order ?? rules.framework.score.bands.map((b) => b.band),
    presentKeys,
    primaryGoalPath: primaryGoalPath(rules, choicesSection?.id),
    training: trainingPlan(rules, choicesSection),
  };
  plans.set(rules, plan);
  return plan;
}

const UNSET = Symbol('unset');
type Slot = FactValue | typeof UNSET;

/** Where each fact a rule set can know lives in a FactTable. */
export interface FactLayout {
  index: Map<string, number>;
  /** Every slot unset: a new table starts as a copy. */
  empty: Slot[];
}

/** A slot for every answer path and section, and for every fact the engine computes. */
function factLayout(rules: RuleSet): FactLayout {
  const index = new Map<string, number>();
  const add = (key: string) => {
    if (!index.has(key)) index.set(key, index.size);
  };
  for (const s of rules.sections) {
    add(s.kind === 'choices' ? s.id : `${s.id}.present`);
    for (const f of s.fields ?? []) add(`${s.id}.${f.id}`);
  }
  for (const r of ROUTE_FACTS) {
    add(r.list);
    add(r.count);
  }
  add(PRIMARY_NEED);
  for (const f of TRAINING_FACTS) add(f);
  add(VOLUME_PER_MONTH);
  for (const fact of Object.keys(ENGINE_FACTS)) add(fact);
  return { index, empty: new Array<Slot>(index.size).fill(UNSET) };
}

/**
 * Facts as a table: each fact a rule set can know has a slot (worked out once per rule
 * set), so flattening a use case's answers fills an array rather than growing a Map, and
 * copying them, which the decision and what-if's re-runs need (they add some forty facts
 * to the answers, and what-if needs the answers as they were), is one slice. A fact the
 * layout does not know, which checked rules never read, goes to a Map on the side.
 */
export class FactTable implements FactMap, SlottedFacts {
  private constructor(
    readonly layout: FactLayout,
    private readonly slots: Slot[],
    private extra: Map<string, FactValue> | undefined,
  ) {}

  static empty(layout: FactLayout): FactTable {
    return new FactTable(layout, layout.empty.slice(), undefined);
  }

  get(key: string): FactValue {
    const i = this.layout.index.get(key);
    if (i === undefined) return this.extra?.get(key);
    const v = this.slots[i];
    return v === UNSET ? undefined : v;
  }

  has(key: string): boolean {
    const i = this.layout.index.get(key);
    return i === undefined ? (this.extra?.has(key) ?? false) : this.slots[i] !== UNSET;
  }

  set(key: string, value: FactValue): this {
    const i = this.layout.index.get(key);
    if (i === undefined) (this.extra ??= new Map()).set(key, value);
    else this.slots[i] = value;
    return this;
  }

  slotOf(key: string): number {
    return this.layout.index.get(key) ?? -1;
  }

  at(slot: number): FactValue {
    const v = this.slots[slot];
    return v === UNSET ? undefined : v;
  }

  /** Sets a fact by its slot in the layout (the plan knows the slots of the answer paths). */
  setAt(slot: number, value: FactValue): void {
    this.slots[slot] = value;
  }

  copy(): FactTable {
    return new FactTable(this.layout, this.slots.slice(), this.extra && new Map(this.extra));
  }
}

/** Answers flattened to dot paths, plus the needs' routing and the volume per month. */
export function baseFacts(rules: RuleSet, answers: Answers): FactTable {
  const plan = planFor(rules);
  const facts = FactTable.empty(plan.layout);
  for (const section of plan.sections) {
    const value = answers[section.id];
    if (section.kind === 'choices') {
      facts.setAt(section.slot, Array.isArray(value) ? (value as string[]) : []);
      continue;
    }
    facts.setAt(section.slot, value !== undefined && value !== null);
    if (!value || typeof value !== 'object') continue;
    for (const field of section.fields) {
      const v = (value as Record<string, unknown>)[field.id];
      if (v !== undefined) facts.setAt(field.slot, v as FactValue);
    }
  }
  setNeedFacts(plan, facts);
  setVolumeFacts(rules, facts);
  setTrainingFacts(plan, facts);
  if (facts.get('usage.present') === true || facts.get('roi.present') === true) setEconomicsFacts(rules, facts);
  return facts;
}

/** usage.requestsPerMonth, from the daily volume the user gives. */
function setVolumeFacts(rules: RuleSet, facts: FactMap): void {
  const perDay = facts.get(VOLUME_PER_DAY);
  if (typeof perDay === 'number') facts.set(VOLUME_PER_MONTH, perDay * rules.economics.daysPerMonth);
}
const VOLUME_PER_DAY = 'usage.requestsPerDay';
const VOLUME_PER_MONTH = 'usage.requestsPerMonth';

/** The choices in rule-set order (one per id), each with its route as an index into ROUTE_FACTS. */
function choicesPlan(sectionId: string, choices: ReadonlyArray<{ id: string; route: (typeof ROUTES)[number] }>): NonNullable<RulePlan['choices']> {
  const routeOf = new Map(choices.map((c) => [c.id, ROUTES.indexOf(c.route)]));
  return { sectionId, ids: [...routeOf.keys()], routes: [...routeOf.values()] };
}

/** The presence fact an answer path sets: `data.examples` -> `data.present`; none for `needs`. */
function presentKeyOf(path: string): string | undefined {
  const dot = path.indexOf('.');
  return dot > 0 ? `${path.slice(0, dot)}.present` : undefined;
}

/**
 * Changes one answer in already flattened facts, with the facts computed from it (the
 * section's presence, the needs' routes, the monthly volume), exactly as baseFacts would.
 */
export function applyAnswer(rules: RuleSet, facts: FactMap, path: string, value: FactValue): void {
  const plan = planFor(rules);
  facts.set(path, value);
  // Only facts that change are set: what-if reads the facts set to see what a change moved.
  const presentKey = plan.presentKeys.get(path) ?? presentKeyOf(path);
  if (presentKey !== undefined && facts.get(presentKey) !== true) facts.set(presentKey, true);
  if (plan.choices && path === plan.choices.sectionId) setNeedFacts(plan, facts);
  if (path === plan.primaryGoalPath) setPrimaryNeed(plan, facts);
  if (path === VOLUME_PER_DAY) setVolumeFacts(rules, facts);
  if (movesTraining(plan, path)) setTrainingFacts(plan, facts);
  if (movesEconomics(path)) setEconomicsFacts(rules, facts);
}

function movesEconomics(path: string): boolean {
  return path.startsWith('usage.') || path.startsWith('roi.');
}

function movesTraining(plan: RulePlan, path: string): boolean {
  return (
    (plan.choices !== undefined && path === plan.choices.sectionId) ||
    path === plan.primaryGoalPath ||
    path.startsWith('data.') ||
    plan.training.generatedReads.has(path) ||
    (path === VOLUME_PER_DAY && plan.training.generatedReads.has(VOLUME_PER_MONTH))
  );
}

const ROUTES = ['weights', 'retrieval', 'prompt'] as const;
/** Each route's two facts, the list and the count (built once: they are set for every what-if candidate). */
const ROUTE_FACTS = ROUTES.map((route) => ({ list: `needs.${route}`, count: `needs.${route}Count` }));
const PRIMARY_NEED = 'needs.primary';
const TRAINING_FACTS = ['data.unit', 'data.count', 'data.unitLabel', 'data.have'] as const;

/**
 * The engine facts baseFacts and applyAnswer set beside the answers, computed from them
 * alone: the needs' routes and the monthly volume. To a condition they are answers.
 */
export const ANSWER_FACTS_FROM_ENGINE: ReadonlySet<string> = new Set([
  ...ROUTE_FACTS.flatMap((r) => [r.list, r.count]),
  PRIMARY_NEED,
  ...TRAINING_FACTS,
  VOLUME_PER_MONTH,
  ...ECONOMICS_FACTS.map((e) => e.fact),
]);

/** Every fact applyAnswer can set when the answer at `path` changes. */
export function factsSetBy(rules: RuleSet, path: string): string[] {
  const plan = planFor(rules);
  const facts = [path];
  const presentKey = plan.presentKeys.get(path) ?? presentKeyOf(path);
  if (presentKey !== undefined) facts.push(presentKey);
  if (plan.choices && path === plan.choices.sectionId) for (const r of ROUTE_FACTS) facts.push(r.list, r.count);
  if ((plan.choices && path === plan.choices.sectionId) || path === plan.primaryGoalPath) facts.push(PRIMARY_NEED);
  if (movesTraining(plan, path)) facts.push(...TRAINING_FACTS);
  if (path === VOLUME_PER_DAY) facts.push(VOLUME_PER_MONTH);
  if (movesEconomics(path)) for (const e of ECONOMICS_FACTS) facts.push(e.fact);
  return facts;
}

/** needs.weights / needs.retrieval / needs.prompt and their counts, from the chosen needs. */
function setNeedFacts(plan: RulePlan, facts: FactMap): void {
  if (!plan.choices) return;
  const chosen = (facts.get(plan.choices.sectionId) as string[] | undefined) ?? [];
  const { ids, routes } = plan.choices;
  // In rule-set order, so reports list needs the same way whatever order they were given in.
  const byRoute: string[][] = [[], [], []];
  for (let i = 0; i < ids.length; i++) if (chosen.includes(ids[i]!)) byRoute[routes[i]!]!.push(ids[i]!);
  ROUTE_FACTS.forEach(({ list, count }, route) => {
    facts.set(list, byRoute[route]);
    facts.set(count, byRoute[route]!.length);
  });
  setPrimaryNeed(plan, facts);
}

/**
 * The primary need: the one the goal names when training serves it, else the first need
 * listed that training serves (a need routed to retrieval or prompting trains nothing).
 */
function setPrimaryNeed(plan: RulePlan, facts: FactMap): void {
  if (!plan.choices) return;
  const weights = (facts.get('needs.weights') as string[] | undefined) ?? [];
  const goal = plan.primaryGoalPath ? facts.get(plan.primaryGoalPath) : undefined;
  let primary: string | undefined = typeof goal === 'string' && weights.includes(goal) ? goal : undefined;
  if (primary === undefined) {
    const listed = (facts.get(plan.choices.sectionId) as string[] | undefined) ?? [];
    for (const need of listed) {
      if (weights.includes(need)) {
        primary = need;
        break;
      }
    }
  }
  facts.set(PRIMARY_NEED, primary ?? null);
}

/**
 * What the training data is counted in, for the primary need's objective: examples,
 * preference pairs or documents (after the objective's fallback when its own data is
 * short), or `generated` when every need training serves is distilled from a large model.
 */
function setTrainingFacts(plan: RulePlan, facts: FactMap): void {
  const t = plan.training;
  const weights = (facts.get('needs.weights') as string[] | undefined) ?? [];
  const count = (unit: DataUnit) => {
    const v = facts.get(`data.${unit}`);
    return typeof v === 'number' ? v : undefined;
  };
  let unit: DataUnit | 'generated';
  if ((weights.length > 0 && weights.every((n) => t.needs.get(n)?.distill === true)) || (t.generatedWhen !== undefined && evaluate(t.generatedWhen, facts))) unit = 'generated';
  else {
    const primary = facts.get(PRIMARY_NEED);
    const need = typeof primary === 'string' ? t.needs.get(primary) : undefined;
    let objective = t.objectives.get(need?.objective ?? t.defaultObjective ?? '');
    const short = (requires: Partial<Record<DataUnit, number>>) => DATA_UNITS.some((u) => requires[u] !== undefined && (count(u) ?? 0) < requires[u]);
    if (objective && objective.fallback && short(objective.requires)) objective = t.objectives.get(objective.fallback) ?? objective;
    unit = DATA_UNITS.find((u) => objective?.requires[u] !== undefined) ?? 'examples';
  }
  const n = unit === 'generated' ? undefined : count(unit);
  const label = t.unitLabels[unit] ?? unit;
  facts.set('data.unit', unit);
  facts.set('data.count', n ?? null);
  facts.set('data.unitLabel', label);
  facts.set('data.have', unit === 'generated' ? label : n === undefined ? `no count of ${label}` : `${formatNumber(n)} ${label}`);
}

function primaryGoalPath(rules: RuleSet, choicesId: string | undefined): string | undefined {
  if (!choicesId) return undefined;
  for (const s of rules.sections) for (const f of s.fields ?? []) if (f.type === 'choice' && f.choicesFrom === choicesId) return `${s.id}.${f.id}`;
  return undefined;
}

function trainingPlan(rules: RuleSet, choices: SectionRule | undefined): TrainingPlan {
  const needs: TrainingPlan['needs'] = new Map();
  for (const c of choices?.choices ?? []) if (!needs.has(c.id)) needs.set(c.id, { objective: c.objective, distill: c.distill === true, requires: c.requires });
  const objectives: TrainingPlan['objectives'] = new Map();
  for (const o of rules.method.objectives) if (!objectives.has(o.id)) objectives.set(o.id, { requires: o.requires, fallback: o.fallback });
  const data = rules.sections.find((s) => s.id === 'data');
  const unitLabels: Record<string, string> = { generated: rules.data.generatedLabel ?? 'generated examples' };
  for (const f of data?.fields ?? []) unitLabels[f.id] = (f.label ?? f.id).toLowerCase();
  const generatedWhen = rules.data.generatedWhen;
  return { needs, objectives, defaultObjective: rules.method.priority[0], unitLabels, generatedWhen, generatedReads: new Set(factsOf(generatedWhen).map((l) => l.fact)) };
}

/** Fills omitted answers the rule set knows how to derive, and says so. */
export function deriveAnswers(rules: RuleSet, facts: FactMap, quiet = false): DerivedAnswer[] {
  const derived: DerivedAnswer[] = [];
  for (const d of planFor(rules).derived) {
    if (facts.has(d.path)) continue;
    const derive = d.field.derive!;
    if (!canDerive(derive, (p) => facts.get(p) !== undefined && facts.get(p) !== null)) continue;
    // Optional sections stay absent unless the user opened them.
    if (!d.role && facts.get(d.presentKey) !== true) continue;
    const value = evaluate(derive.when, facts);
    facts.set(d.path, value);
    derived.push({ path: d.path, value, because: quiet ? derive.because : interpolate(derive.because, facts), source: derive.source });
  }
  return derived;
}

function weightOf(rules: RuleSet, field: FieldRule): number {
  const w = field.weight ? (rules.framework.weights as Record<string, unknown>)[field.weight] : undefined;
  return typeof w === 'number' ? w : 1;
}

/**
 * The framework's counts, score and bands. `withFactors`: also the table of every factor
 * (a full report shows it; a decision record and what-if's re-runs do not, and building
 * it was a dozen objects per use case).
 */
export function frameworkFigures(rules: RuleSet, facts: FactMap, derived: readonly DerivedAnswer[], quiet = false, withFactors = !quiet): FrameworkFigures {
  const fw = rules.framework;
  const plan = planFor(rules);
  const ceilingFailed: string[] = [];
  for (const c of plan.ceiling) if (facts.get(c.path) !== true) ceilingFailed.push(c.label);
  const derivedPaths = withFactors ? new Set(derived.map((d) => d.path)) : undefined;

  // What-if re-runs read only the counts; the factor table is for the report.
  const factors: Factor[] = [];
  const presentLabels: Record<Factor['kind'], string[]> = { indicator: [], 'anti-indicator': [] };
  const weighted = { indicators: 0, antiIndicators: 0, total: 0, score: 0 };
  let indicators = 0;
  let antiIndicators = 0;
  for (const f of plan.factors) {
    const present = facts.get(f.path) === true;
    weighted.total += f.w;
    if (present && f.kind === 'indicator') {
      indicators++;
      weighted.indicators += f.w;
    } else if (present) {
      antiIndicators++;
      weighted.antiIndicators += f.w;
    }
    if (present) presentLabels[f.kind].push(f.label);
    if (derivedPaths) factors.push({ id: f.id, path: f.path, label: f.label, kind: f.kind, weight: f.weight, present, derived: derivedPaths.has(f.path), source: f.source });
  }
  weighted.score = round3(weighted.total ? (weighted.indicators - weighted.antiIndicators) / weighted.total : 0);

  const totalFactors = fw.score.totalFactors === 'count' ? plan.factors.length : fw.score.totalFactors;
  const score = round3(totalFactors ? (indicators - antiIndicators) / totalFactors : 0);
  const difference = indicators - antiIndicators;
  const scoreBand = pickBand(score, fw.score.bands);
  const differenceBand = pickBand(difference, fw.difference.bands);
  const confidence = reconcile(fw.confidence, scoreBand, differenceBand, plan.bandOrder);
  return {
    ceilingPassed: ceilingFailed.length === 0,
    ceilingTotal: plan.ceiling.length,
    ceilingFailed,
    indicators,
    antiIndicators,
    totalFactors,
    score,
    scoreBand,
    difference,
    differenceBand,
    confidence,
    bandsConfidence: confidence,
    bandsAgree: scoreBand === differenceBand,
    action: fw.actions[confidence] ?? '',
    weighted,
    factors,
    present: presentLabels,
  };
}

/** Whether the answer at `path` is one of the framework's factors (indicators and anti-indicators). */
export function isFactor(rules: RuleSet, path: string): boolean {
  const plan = planFor(rules);
  for (let i = 0; i < plan.factors.length; i++) if (plan.factors[i]!.path === path) return true;
  return false;
}

/** Bands are listed strongest first, so "cautious" takes the later of the two; a table names the pair's confidence. */
function reconcile(how: RuleSet['framework']['confidence'], scoreBand: string, differenceBand: string, order: string[]): string {
  if (how.reconcile === 'score') return scoreBand;
  if (how.reconcile === 'difference') return differenceBand;
  if (how.reconcile === 'table') {
    for (const row of how.table ?? []) if (row.score === scoreBand && row.difference === differenceBand) return row.confidence;
  }
  return order.indexOf(scoreBand) >= order.indexOf(differenceBand) ? scoreBand : differenceBand;
}

/** The framework's figures as facts. */
const FRAMEWORK_FACTS: ReadonlyArray<readonly [string, (fw: FrameworkFigures) => FactValue]> = [
  ['framework.scored', () => true],
  ['framework.ceilingPassed', (fw) => fw.ceilingPassed],
  ['framework.ceilingTotal', (fw) => fw.ceilingTotal],
  ['framework.ceilingFailed', (fw) => fw.ceilingFailed],
  ['framework.ceilingFailedCount', (fw) => fw.ceilingFailed.length],
  ['framework.indicators', (fw) => fw.indicators],
  ['framework.antiIndicators', (fw) => fw.antiIndicators],
  ['framework.indicatorsPresent', (fw) => fw.present.indicator],
  ['framework.antiIndicatorsPresent', (fw) => fw.present['anti-indicator']],
  ['framework.totalFactors', (fw) => fw.totalFactors],
  ['framework.score', (fw) => fw.score],
  ['framework.scoreBand', (fw) => fw.scoreBand],
  ['framework.difference', (fw) => fw.difference],
  ['framework.differenceBand', (fw) => fw.differenceBand],
  ['framework.confidence', (fw) => fw.confidence],
  ['framework.bandsAgree', (fw) => fw.bandsAgree],
  ['framework.action', (fw) => fw.action],
  ['framework.weightedScore', (fw) => fw.weighted.score],
];

/** Sets the framework facts; with `only`, just those (a quiet decision sets the ones its conditions read). */
export function addFrameworkFacts(facts: FactMap, fw: FrameworkFigures, only?: ReadonlySet<string>): void {
  for (const [fact, value] of FRAMEWORK_FACTS) if (!only || only.has(fact)) facts.set(fact, value(fw));
}

export function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Facts the engine itself provides, for rule checking and `rules show --facts`. */
export const ENGINE_FACTS: Record<string, string> = {
  approach: 'the approach so far (prompt, rag, fine-tune, hybrid); adjustments see the value left by earlier ones',
  'decision.outcome': 'the decision tree outcome id',
  'decision.outcomeLabel': 'the decision tree outcome, in words',
  'framework.scored': 'always true once the framework is computed',
  'framework.ceilingPassed': 'every ceiling check answered yes',
  'framework.ceilingTotal': 'number of ceiling checks',
  'framework.ceilingFailed': 'labels of the ceiling checks not done',
  'framework.ceilingFailedCount': 'how many ceiling checks are not done',
  'framework.indicators': 'number of indicators present',
  'framework.antiIndicators': 'number of anti-indicators present',
  'framework.indicatorsPresent': 'labels of the indicators present',
  'framework.antiIndicatorsPresent': 'labels of the anti-indicators present',
  'framework.totalFactors': 'the divisor of the score',
  'framework.score': '(indicators - anti-indicators) / total factors',
  'framework.scoreBand': 'the band of the score',
  'framework.difference': 'indicators - anti-indicators',
  'framework.differenceBand': 'the band of the difference',
  'framework.confidence': 'the reconciled confidence band',
  'framework.bandsAgree': 'the two bands are equal',
  'framework.action': 'what the confidence band recommends',
  'framework.weightedScore': 'the weighted score (weights from framework.weights)',
  'needs.weights': 'needs routed to the weights',
  'needs.weightsCount': 'how many needs are routed to the weights',
  'needs.retrieval': 'needs routed to retrieval',
  'needs.retrievalCount': 'how many needs are routed to retrieval',
  'needs.prompt': 'needs routed to prompting',
  'needs.promptCount': 'how many needs are routed to prompting',
  'needs.primary': 'the primary need training serves: goal.primary, else the first such need listed',
  'data.unit': "what the primary objective's data is counted in: examples, preferencePairs, documents, or generated (distillation)",
  'data.count': 'the count of that data, when given (not for generated data)',
  'data.unitLabel': 'data.unit in words',
  'data.have': 'the count in data.unit, in words ("10,000 labelled examples", "no count of labelled examples")',
  'decision.reason': 'why the approach is what it is, in a few words (the label of the rule that last set it)',
  'decision.decidedBy': 'the id of the rule that last set the approach',
  'decision.wouldTake': 'for a verdict that is not fine-tuning, what it would take to make fine-tuning worth it',
  'method.objective': 'the primary objective, once a fine-tuning method is chosen',
  'method.technique': 'the technique, once a fine-tuning method is chosen',
  'method.distillation': 'whether the method distils a large model, once chosen',
  'economics.monthlyNetBenefitNeeded': 'the monthly net benefit that would break even within the first break-even band',
  'economics.monthlyNetBenefitToPayBack': 'the monthly net benefit that would leave the last break-even band',
  'usage.requestsPerMonth': 'usage.requestsPerDay x economics.daysPerMonth',
  'economics.breakEvenVerdict': 'the break-even band (justified, marginal, not-justified), when roi is given',
  'economics.breakEvenMonths': 'months to break even, when it does',
  'economics.monthlyNetBenefit': 'savings + quality value - ongoing costs, a month',
  'economics.upfrontCost': 'upfront hours x rate + training cost',
  'economics.tokenReduction': 'share of input tokens a tuned model saves',
};
