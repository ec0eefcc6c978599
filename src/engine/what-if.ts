// Which single answer, changed alone, would change the approach? Each candidate
// is re-run through the same decision, so every entry is true by construction.
//
// Re-running the decision some thirty times per use case is most of the cost of an
// assessment, and most re-runs can be skipped: approachInputs (decide.ts) lists what the
// approach depends on, as questions about the answers. An answer no question reads is not
// tried; a candidate that leaves every answer to the questions as it was keeps the
// approach; the others are looked up by those answers, remembered per rule set, and only
// a situation not seen before is decided. A batch of similar use cases then costs a few
// lookups per candidate. The exhaustive option does it the slow way, for the tests.
import type { Answers } from '../answers/schema';
import type { Approach, RuleSet } from '../rules/schema';
import { factsOf, type Facts, type FactValue } from './conditions';
import { approachInputs, decideFromFacts, type ApproachInputs, type Decision, type Question } from './decide';
import { applyAnswer, baseFacts, factsSetBy, planFor, type FactTable } from './facts';

export interface WhatIf {
  path: string;
  value: unknown;
  approach: Approach;
  from: unknown;
}

export interface WhatIfOptions {
  /**
   * Try every candidate and decide each one in full, remembering nothing: slow, the
   * reference the tests hold the fast path to.
   */
  exhaustive?: boolean;
}

/**
 * @param base the answers flattened by baseFacts, before the decision added to them (the
 *   caller usually has them already).
 */
export function whatIf(rules: RuleSet, answers: Answers, current: Decision, base: FactTable = baseFacts(rules, answers), options: WhatIfOptions = {}): WhatIf[] {
  const plan = whatIfPlan(rules);
  const { signature } = plan;
  let situation: { codes: number[]; key: Key; resultKey: string } | undefined;
  if (signature && !options.exhaustive) {
    const codes = signature.codes(base);
    const key = signature.key(codes);
    situation = { codes, key, resultKey: resultKey(plan, answers, current, base, key) };
    const known = plan.results.get(situation.resultKey);
    if (known) return reuse(plan, known, answers, current, base);
  }
  const out: WhatIf[] = [];
  const seen = new Set<string>();
  // Each candidate starts from the flattened answers with one answer changed, which gives
  // the same decision as re-running on changed answers, at a fraction of the cost.
  const facts = new AnswerChange(base);
  const approachAfterChange = situation
    ? approachFinder(rules, plan, base, current.approach, facts, situation.codes, situation.key)
    : () => decideFromFacts(rules, facts.applied(), { quiet: !options.exhaustive }).approach;
  const consider = (path: string, value: unknown, from: unknown) => {
    facts.reset();
    applyAnswer(rules, facts, path, value as FactValue);
    const approach = approachAfterChange();
    if (approach === current.approach) return;
    // Overlapping thresholds (t + 1 of one is t - 1 of another) propose a change twice: list it once.
    const key = `${path}=${JSON.stringify(value)}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ path, value, approach, from });
  };

  for (const section of options.exhaustive ? (plan.allSections ??= candidateSections(rules, () => true)) : plan.sections) {
    if (section.choices) {
      const chosen = (answers[section.id] as string[] | undefined) ?? [];
      for (const id of section.choices) {
        const next = chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id];
        if (next.length >= section.minItems) consider(section.id, next, chosen);
      }
      continue;
    }
    const given = answers[section.id] as Record<string, unknown> | undefined;
    // Optional sections the user did not open cannot be flipped by one answer.
    if (!section.role && !section.required && given === undefined) continue;
    for (const field of section.fields) {
      // The answer as the decision saw it: as given, or as derived.
      const derivedAnswer = derivedAt(current, field.path);
      const value = derivedAnswer ? derivedAnswer.value : base.at(field.slot);
      if (field.boolean && (section.role || given) && !derivedAnswer) {
        consider(field.path, value !== true, value ?? null);
      }
      for (const v of field.steps) {
        if (v === value || v < field.min || v > field.max) continue;
        consider(field.path, v, value ?? null);
      }
    }
  }
  const result = collapseNumeric(out);
  if (situation) plan.results.remember(situation.resultKey, result);
  return result;
}

/**
 * Everything the candidates and their outcomes depend on, as a string: the situation (the
 * answers to the rule set's questions, which decide every candidate's approach), the
 * current approach, and per candidate answer what enumerating the candidates reads: the
 * chosen needs, whether a section was given, a derived value, a yes/no answer, and where
 * a number lies among the values tried (below, at or above each). Two use cases with the
 * same key get the same what-if list but for the numbers they start `from` (reuse).
 */
function resultKey(plan: WhatIfPlan, answers: Answers, current: Decision, base: FactTable, situation: Key): string {
  // Plain loops and concatenation: this runs once per use case, cold at the start of a batch.
  let key = String(situation) + '|' + current.approach;
  // Which need is primary decides what a data count changes (the unit the primary objective
  // trains on), yet no question asks it directly: it must be part of the key.
  key += '|' + String(base.get('needs.primary')) + '|' + String(base.get('data.unit'));
  for (const section of plan.sections) {
    if (section.choices) {
      const chosen = answers[section.id] as string[] | undefined;
      key += '|' + (chosen ? chosen.join(',') : '');
      continue;
    }
    const given = answers[section.id] !== undefined;
    key += given ? '|g' : '|n';
    if (!section.role && !section.required && !given) continue;
    for (const field of section.fields) {
      const d = derivedAt(current, field.path);
      if (d) {
        key += d.value === true ? ',D' : ',d' + JSON.stringify(d.value);
        continue;
      }
      const value = base.at(field.slot);
      if (field.boolean) key += value === true ? ',T' : value === false ? ',F' : value === undefined ? ',U' : ',' + JSON.stringify(value);
      const steps = field.steps;
      if (steps.length) {
        key += ',';
        if (typeof value !== 'number') key += 'u';
        else for (let i = 0; i < steps.length; i++) key += value < steps[i]! ? '<' : value === steps[i] ? '=' : '>';
      }
    }
  }
  return key;
}

/** The derived answer at `path` in the decision, if the rule set derived it (a loop: it runs per candidate field, cold at a batch's start). */
function derivedAt(current: Decision, path: string): Decision['derived'][number] | undefined {
  const derived = current.derived;
  for (let i = 0; i < derived.length; i++) if (derived[i]!.path === path) return derived[i];
  return undefined;
}

/** A remembered what-if list for this use case: fresh entries, each `from` this use case's own answer. */
function reuse(plan: WhatIfPlan, known: readonly WhatIf[], answers: Answers, current: Decision, base: FactTable): WhatIf[] {
  // push, not map(): a list made here and one made by the search are then the same kind of
  // array to V8 (map() makes a "holey" one), so code that reads both, such as the record
  // writer, is not deoptimised when the second kind first turns up mid-batch.
  const out: WhatIf[] = [];
  for (const w of known) {
    let from: unknown;
    if (plan.choiceSections.has(w.path)) from = answers[w.path] ?? [];
    else {
      const derived = derivedAt(current, w.path);
      from = (derived ? derived.value : base.get(w.path)) ?? null;
    }
    out.push({ path: w.path, value: Array.isArray(w.value) ? w.value.slice() : w.value, approach: w.approach, from });
  }
  return out;
}

/** What-if lists by resultKey, forgotten all at once past a limit so a long batch stays within some megabytes. */
class ResultMemo {
  private readonly lists = new Map<string, WhatIf[]>();
  /** Lists handed out again (the tests check that reuse happens, and is right). */
  reused = 0;
  get(key: string): WhatIf[] | undefined {
    const list = this.lists.get(key);
    if (list) this.reused++;
    return list;
  }
  remember(key: string, list: WhatIf[]): void {
    if (this.lists.size >= RESULT_MEMO_LIMIT) this.lists.clear();
    // A copy: the caller's list goes into a report, where it may be changed.
    this.lists.set(
      key,
      list.map((w) => ({ ...w, value: Array.isArray(w.value) ? w.value.slice() : w.value })),
    );
  }
}
const RESULT_MEMO_LIMIT = 10_000;

/** How many what-if lists a rule set has remembered and handed out again. */
export function rememberedWhatIf(rules: RuleSet): { reused: number } {
  return { reused: whatIfPlan(rules).results.reused };
}

/** How many approaches a rule set remembers before it starts again (some megabytes). */
const MEMO_LIMIT = 100_000;

/** The candidates of one section, in the rule set's order, with what is fixed per rule set worked out. */
interface SectionCandidates {
  id: string;
  role: boolean;
  required: boolean;
  minItems: number;
  /** For the choices section (and only for it): the choices to toggle. */
  choices: string[] | undefined;
  /** `slot`: the field's place in the rule set's FactTable layout (read by slot, not by name: resultKey runs per use case). */
  fields: { path: string; slot: number; boolean: boolean; steps: number[]; min: number; max: number }[];
}

interface WhatIfPlan {
  /**
   * Only answers the approach can depend on: a change to any other answer cannot move it
   * (approachInputs), so it is not tried at all.
   */
  sections: SectionCandidates[];
  /** Every candidate, for the exhaustive reference (worked out when first asked for). */
  allSections?: SectionCandidates[];
  signature: Signature | undefined;
  memo: ApproachMemo;
  /** Whole what-if lists, by resultKey (only with a signature). */
  results: ResultMemo;
  /** The ids of choice sections (their answers are lists). */
  choiceSections: ReadonlySet<string>;
}

const plans = new WeakMap<RuleSet, WhatIfPlan>();

function whatIfPlan(rules: RuleSet): WhatIfPlan {
  let plan = plans.get(rules);
  if (plan) return plan;
  const inputs = approachInputs(rules);
  const signature = inputs && new Signature(inputs);
  const reads = (path: string) => !signature || factsSetBy(rules, path).some((fact) => signature.reads(fact));
  plan = {
    sections: candidateSections(rules, reads),
    signature,
    memo: new ApproachMemo(),
    results: new ResultMemo(),
    choiceSections: new Set(rules.sections.filter((s) => s.kind === 'choices').map((s) => s.id)),
  };
  plans.set(rules, plan);
  return plan;
}

/** The candidates of each section, trying only the answers `tried` accepts. */
function candidateSections(rules: RuleSet, tried: (path: string) => boolean): SectionCandidates[] {
  // Per numeric answer path, the values to try: each threshold the decision reads, and its neighbours.
  const thresholds = thresholdsByPath(rules);
  const { index } = planFor(rules).layout;
  return rules.sections.map((section): SectionCandidates => {
    const fields = (section.fields ?? []).flatMap((field) => {
      const path = `${section.id}.${field.id}`;
      if (!tried(path)) return [];
      const numeric = field.type === 'integer' || field.type === 'number';
      const steps = numeric ? (thresholds.get(path) ?? []).flatMap((t) => [t - 1, t, t + 1]) : [];
      return [{ path, slot: index.get(path)!, boolean: field.type === 'boolean', steps, min: field.min ?? -Infinity, max: field.max ?? Infinity }];
    });
    const choices = section.kind !== 'choices' ? undefined : tried(section.id) ? (section.choices ?? []).map((c) => c.id) : [];
    return { id: section.id, role: Boolean(section.role), required: Boolean(section.required), minItems: section.minItems ?? 1, choices, fields };
  });
}

/**
 * The approach after the change now in `facts`. With the rule set's questions known,
 * from their answers: unchanged answers keep the current approach, known answers are
 * looked up, and only new ones are decided (and remembered).
 */
function approachFinder(rules: RuleSet, plan: WhatIfPlan, base: FactTable, current: Approach, facts: AnswerChange, codes: readonly number[], baseKey: Key): () => Approach {
  const decideAfresh = () => decideFromFacts(rules, facts.applied(), { quiet: true }).approach;
  const signature = plan.signature!;
  const { memo } = plan;
  const near = memo.near(baseKey, current);
  return () => {
    const key = signature.keyAfter(facts, base, codes, baseKey);
    // The decision would ask the same questions and get the same answers.
    if (key === baseKey) return current;
    return memo.approachAt(near, key, decideAfresh);
  };
}

type Key = number | string;

/**
 * Approaches remembered per rule set, by key. Each situation (the key before a change)
 * also keeps its neighbours' approaches in a small map of its own: a case's lookups then
 * stay in a few cache lines, where lookups in the big map, tens of thousands of entries
 * into a batch, each miss the CPU caches. All is forgotten after MEMO_LIMIT entries, so
 * a long batch stays within some megabytes.
 */
class ApproachMemo {
  private readonly all = new Map<Key, Approach>();
  private readonly bySituation = new Map<Key, Map<Key, Approach>>();
  /** Entries in `all` and in the situations' maps. */
  private size = 0;

  /** The neighbours remembered for a situation: new (and the situation remembered) when it is. */
  near(situation: Key, approach: Approach): Map<Key, Approach> {
    let near = this.bySituation.get(situation);
    if (!near) {
      this.forgetWhenFull();
      this.bySituation.set(situation, (near = new Map<Key, Approach>()));
      this.all.set(situation, approach);
      this.size += 1;
    }
    return near;
  }

  /** The approach at `key`, a neighbour of the situation whose map `near` is: remembered, or decided. */
  approachAt(near: Map<Key, Approach>, key: Key, decide: () => Approach): Approach {
    let approach = near.get(key);
    if (approach !== undefined) return approach;
    approach = this.all.get(key);
    if (approach === undefined) {
      approach = decide();
      this.all.set(key, approach);
      this.size += 1;
    }
    near.set(key, approach);
    this.size += 1;
    return approach;
  }

  private forgetWhenFull(): void {
    if (this.size < MEMO_LIMIT) return;
    this.all.clear();
    this.bySituation.clear();
    this.size = 0;
  }
}

/** Part of a key: the answers to the questions about one fact, or how many of a group of facts are true. */
interface Part {
  fact?: string;
  questions?: Question[];
  counted?: string[];
  /** How many codes the part has, and what one step of its code is worth in the key. */
  radix: number;
  weight: number;
}

/**
 * The answers to a rule set's questions, as one key: each part's code, in mixed radix.
 * Up to 2^52 the key is a number, else a string.
 */
class Signature {
  private readonly parts: Part[] = [];
  private readonly partsOf = new Map<string, number[]>();
  private readonly packed: boolean;

  constructor(inputs: ApproachInputs) {
    let size = 1;
    const add = (part: Omit<Part, 'weight'>, facts: string[]) => {
      for (const fact of facts) this.partsOf.set(fact, [...(this.partsOf.get(fact) ?? []), this.parts.length]);
      this.parts.push({ ...part, weight: size });
      size *= part.radix;
    };
    for (const [fact, questions] of inputs.questions) {
      // Thirty questions a part, so codes stay small integers.
      for (let i = 0; i < questions.length; i += 30) {
        const some = questions.slice(i, i + 30);
        add({ fact, questions: some, radix: 2 ** some.length }, [fact]);
      }
    }
    for (const facts of inputs.counted) add({ counted: facts, radix: facts.length + 1 }, facts);
    this.packed = size <= 2 ** 52;
  }

  /** Whether the decision reads the fact at all. */
  reads(fact: string): boolean {
    return this.partsOf.has(fact);
  }

  codes(facts: Facts): number[] {
    const codes: number[] = [];
    for (const part of this.parts) {
      if (part.questions) codes.push(answers(part.questions, facts.get(part.fact!)));
      else codes.push(part.counted!.reduce((n, fact) => (facts.get(fact) === true ? n + 1 : n), 0));
    }
    return codes;
  }

  key(codes: readonly number[]): Key {
    if (!this.packed) return codes.join(',');
    let key = 0;
    for (let i = 0; i < codes.length; i++) key += codes[i]! * this.parts[i]!.weight;
    return key;
  }

  /** The key after `change` to `base`, whose codes are `codes`: only the parts of the facts it set are looked at. */
  keyAfter(change: AnswerChange, base: Facts, codes: readonly number[], key: Key): Key {
    let after: number[] | undefined;
    for (let i = 0; i < change.size; i++) {
      const fact = change.keys[i]!;
      const parts = this.partsOf.get(fact);
      if (parts === undefined) continue;
      const value = change.values[i];
      for (const p of parts) {
        const part = this.parts[p]!;
        const before = (after ?? codes)[p]!;
        // A counted fact moves its group's count by one, if its truth changed.
        const code = part.questions ? answers(part.questions, value) : before + Number(value === true) - Number(base.get(fact) === true);
        if (code !== before) (after ??= codes.slice())[p] = code;
      }
    }
    return after ? this.key(after) : key;
  }
}

/** The answers to some questions about a value, as the bits of a number. */
function answers(questions: readonly Question[], value: FactValue): number {
  let code = 0;
  for (let i = 0; i < questions.length; i++) if (questions[i]!(value)) code |= 1 << i;
  return code;
}

const thresholdCache = new WeakMap<RuleSet, Map<string, number[]>>();

/** Numeric thresholds the decision reads, per answer path (including derivations). */
function thresholdsByPath(rules: RuleSet): Map<string, number[]> {
  const cached = thresholdCache.get(rules);
  if (cached) return cached;
  const map = new Map<string, number[]>();
  thresholdCache.set(rules, map);
  const conditions = [
    ...rules.decision.tree.map((n) => n.when),
    ...rules.decision.adjustments.map((a) => a.when),
    ...rules.sections.flatMap((s) => (s.fields ?? []).flatMap((f) => (f.derive ? [f.derive.when] : []))),
    ...(rules.facts ?? []).map((f) => f.when),
  ];
  const perMonth = rules.economics.daysPerMonth;
  for (const leaf of conditions.flatMap((c) => factsOf(c))) {
    for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
      const t = leaf[op];
      if (typeof t !== 'number') continue;
      // requestsPerMonth is derived from requestsPerDay: flip the answer the user gives.
      if (leaf.fact === 'usage.requestsPerMonth') add(map, 'usage.requestsPerDay', Math.ceil(t / perMonth));
      // data.count is whichever data count the primary objective trains on.
      else if (leaf.fact === 'data.count') for (const path of ['data.examples', 'data.preferencePairs', 'data.documents']) add(map, path, t);
      else add(map, leaf.fact, t);
    }
  }
  return map;
}

function add(map: Map<string, number[]>, path: string, value: number): void {
  map.set(path, [...(map.get(path) ?? []), value]);
}

/** For numbers, keep the nearest value per resulting approach and direction. */
function collapseNumeric(list: WhatIf[]): WhatIf[] {
  const keep = new Map<string, WhatIf>();
  const out: WhatIf[] = [];
  for (const w of list) {
    if (typeof w.value !== 'number') {
      out.push(w);
      continue;
    }
    const from = typeof w.from === 'number' ? w.from : 0;
    const key = `${w.path}|${w.approach}|${w.value > from ? 'up' : 'down'}`;
    const prev = keep.get(key);
    if (!prev || Math.abs(w.value - from) < Math.abs((prev.value as number) - from)) keep.set(key, w);
  }
  return [...out, ...keep.values()];
}

export function withAnswer(answers: Answers, path: string, value: unknown): Answers {
  const [section, field] = path.split('.') as [string, string | undefined];
  if (field === undefined) return { ...answers, [section]: value };
  const current = (answers[section] as Record<string, unknown> | undefined) ?? {};
  return { ...answers, [section]: { ...current, [field]: value } };
}

/**
 * One candidate's change: the facts applyAnswer set, over the flattened answers. A
 * change sets a handful of facts, so they are kept in a short list, reused from one
 * candidate to the next (reset), which also says what changed. Not a Map subclass: V8
 * takes slow paths for those. The engine only calls get, has and set on facts.
 */
class AnswerChange {
  readonly keys: string[] = [];
  readonly values: FactValue[] = [];
  size = 0;
  constructor(private readonly base: FactTable) {}
  private indexOf(key: string): number {
    for (let i = 0; i < this.size; i++) if (this.keys[i] === key) return i;
    return -1;
  }
  get(key: string): FactValue {
    const i = this.indexOf(key);
    return i === -1 ? this.base.get(key) : this.values[i];
  }
  has(key: string): boolean {
    return this.indexOf(key) !== -1 || this.base.has(key);
  }
  set(key: string, value: FactValue): this {
    let i = this.indexOf(key);
    if (i === -1) i = this.size++;
    this.keys[i] = key;
    this.values[i] = value;
    return this;
  }
  reset(): void {
    this.size = 0;
  }
  /** The flattened answers with this change, as facts the decision can add to. */
  applied(): FactTable {
    const facts = this.base.copy();
    for (let i = 0; i < this.size; i++) facts.set(this.keys[i]!, this.values[i]);
    return facts;
  }
}
