// The approach decision: the framework's tree, then the rule set's adjustments in
// order. Every rule is recorded whether it fired or not, so the report can say why
// and why not.
import type { Answers } from '../answers/schema';
import type { Approach, RuleSet } from '../rules/schema';
import { OPERATORS, type Condition, type FactTest } from '../rules/vocabulary';
import { decisiveLeaves, describe, evaluate, factsOf, valueTest, type FactValue } from './conditions';
import { computeEconomics, setEconomicsFacts, type Economics } from './economics';
import { addFrameworkFacts, ANSWER_FACTS_FROM_ENGINE, baseFacts, deriveAnswers, ENGINE_FACTS, frameworkFigures, planFor, type DerivedAnswer, type FactMap, type FrameworkFigures } from './facts';
import { interpolate } from './template';

export interface TreeStep {
  id: string;
  question: string;
  answer: 'yes' | 'no' | 'not reached';
  because: string;
  /** Where a "no" leads, so a report can draw the branches not taken too. */
  ifNo: string;
  source: string;
}

export interface RuleOutcome {
  rule: string;
  fired: boolean;
  because: string;
  source: string;
  kind: 'derived' | 'tree' | 'adjustment' | 'cap' | 'floor';
  /** The approach before and after, for adjustments that fired; `to` alone for the tree step that ended the tree. */
  from?: Approach;
  to?: Approach;
}

export interface Decision {
  facts: FactMap;
  derived: DerivedAnswer[];
  framework: FrameworkFigures;
  economics: Economics | null;
  tree: TreeStep[];
  outcome: string;
  outcomeLabel: string;
  treeApproach: Approach;
  candidateLabel: string;
  approach: Approach;
  /** Why the approach is what it is, in a few words: the label of the rule that last set it. */
  reason: string;
  decidedBy: string;
  /** For a verdict that is not fine-tuning: what it would take to make fine-tuning worth it. */
  wouldTake: string | null;
  rules: RuleOutcome[];
}

export interface DecideOptions {
  /**
   * Only the approach: what-if re-runs the decision many times and reads nothing else, so
   * a quiet decision builds no texts, no tree steps and no rule outcomes (`tree` and
   * `rules` are empty).
   */
  quiet?: boolean;
  /**
   * Word why each adjustment and cap that did not fire did not (default true). A decision
   * record leaves those out, and wording them is a third of a decision's cost.
   */
  explainNotFired?: boolean;
  /** Build the framework's factor table (default true; never for a quiet decision). */
  factors?: boolean;
}

export function decide(rules: RuleSet, answers: Answers, options: DecideOptions = {}): Decision {
  return decideFromFacts(rules, baseFacts(rules, answers), options);
}

/** The decision from answers already flattened to facts (what-if starts from a copy). */
export function decideFromFacts(rules: RuleSet, facts: FactMap, options: DecideOptions = {}): Decision {
  const quiet = options.quiet === true;
  const whyNot = !quiet && options.explainNotFired !== false;
  const say = quiet ? (text: string) => text : (text: string) => interpolate(text, facts);
  // A quiet decision skips what the approach cannot depend on (approachStages).
  const stages = quiet ? approachStages(rules) : undefined;
  const derived = deriveAnswers(rules, facts, quiet);
  const framework = frameworkFigures(rules, facts, derived, quiet, !quiet && options.factors !== false);
  addFrameworkFacts(facts, framework, stages?.reads);

  const outcomes: RuleOutcome[] = [];
  if (!quiet) {
    for (const d of derived) {
      outcomes.push({ rule: `derive.${d.path}`, fired: true, because: `${d.path} = ${d.value} (derived: ${d.because})`, source: d.source, kind: 'derived' });
    }
  }

  // The economics facts are answer facts, set by baseFacts and applyAnswer: a quiet decision
  // reads them as they are; a full one works the figures out again for their steps.
  const economics = quiet ? null : computeEconomics(rules, facts);
  if (economics) setEconomicsFacts(rules, facts, economics);
  // Named conditions: read by the rules below as facts.
  for (const named of rules.facts ?? []) facts.set(named.id, evaluate(named.when, facts));
  if (!stages || stages.caps) applyCaps(rules, facts, framework, outcomes, say, quiet, whyNot);

  const tree: TreeStep[] = [];
  const { candidate } = rules.decision;
  let outcome: { outcome: string; label: string; approach: Approach; wouldTake?: string | undefined } = candidate;
  let stopped = false;
  for (const node of rules.decision.tree) {
    if (stopped) {
      if (quiet) break;
      tree.push({ id: node.id, question: node.question, answer: 'not reached', because: 'An earlier question ended the tree.', ifNo: node.no.label, source: node.source });
      continue;
    }
    const yes = evaluate(node.when, facts);
    if (!quiet) {
      const because = say(yes ? node.yes : node.no.because);
      tree.push({ id: node.id, question: node.question, answer: yes ? 'yes' : 'no', because, ifNo: node.no.label, source: node.source });
      if (yes) outcomes.push({ rule: node.id, fired: false, because, source: node.source, kind: 'tree' });
      else outcomes.push({ rule: node.id, fired: true, because: `${because} -> ${node.no.label}.`, source: node.source, kind: 'tree', to: node.no.approach });
    }
    if (!yes) {
      outcome = node.no;
      stopped = true;
    }
  }
  if (!stopped && !quiet) {
    outcomes.push({ rule: 'tree.candidate', fired: true, because: say(candidate.because), source: candidate.source, kind: 'tree' });
  }
  facts.set('decision.outcome', outcome.outcome);
  facts.set('decision.outcomeLabel', outcome.label);
  // The reason the approach is what it is: the tree's outcome until a rule changes it.
  let decidedBy = stopped ? (rules.decision.tree.find((n) => n.no === outcome)?.id ?? candidate.outcome) : 'tree.candidate';
  let reason = outcome.label;
  let wouldTake = outcome.wouldTake;
  facts.set('decision.reason', reason);
  facts.set('decision.decidedBy', decidedBy);

  let approach: Approach = outcome.approach;
  facts.set('approach', approach);
  for (const adj of rules.decision.adjustments) {
    if (evaluate(adj.when, facts)) {
      const from = approach;
      if (adj.approach !== undefined) {
        approach = adj.approach;
        facts.set('approach', approach);
        decidedBy = adj.id;
        // A rule with no label of its own (routing between retrieval and prompting) keeps
        // the reason that ruled training out.
        if (adj.label !== undefined) reason = adj.label;
        if (adj.wouldTake !== undefined) wouldTake = adj.wouldTake;
        else if (approach === 'fine-tune' || approach === 'hybrid') wouldTake = undefined;
        facts.set('decision.reason', reason);
        facts.set('decision.decidedBy', decidedBy);
      }
      if (!quiet) {
        const moved = approach !== from;
        outcomes.push(
          moved
            ? { rule: adj.id, fired: true, because: `${say(adj.because)} (${from} -> ${approach})`, source: adj.source, kind: 'adjustment', from, to: approach }
            : { rule: adj.id, fired: true, because: say(adj.because), source: adj.source, kind: 'adjustment' },
        );
      }
    } else if (whyNot) {
      const unmet = decisiveLeaves(adj.when, facts, false).map((leaf) => describe(leaf, facts));
      const why = adj.whyNot ? say(adj.whyNot) : 'Its condition does not hold.';
      outcomes.push({ rule: adj.id, fired: false, because: `${why} Unmet: ${unmet.join('; ')}.`, source: adj.source, kind: 'adjustment' });
    }
  }

  if (!quiet) applyFloors(rules, facts, framework, outcomes, say);
  const tuning = approach === 'fine-tune' || approach === 'hybrid';
  const wouldTakeText = !tuning && wouldTake !== undefined ? say(wouldTake) : null;
  facts.set('decision.wouldTake', wouldTakeText);
  return {
    facts,
    derived,
    framework,
    economics,
    tree,
    outcome: outcome.outcome,
    outcomeLabel: outcome.label,
    treeApproach: outcome.approach,
    candidateLabel: candidate.label,
    approach,
    reason: say(reason),
    decidedBy,
    wouldTake: wouldTakeText,
    rules: outcomes,
  };
}

interface Stages {
  caps: boolean;
  /** Every fact the conditions on the way to the approach read. */
  reads: ReadonlySet<string>;
}
const stagesByRules = new WeakMap<RuleSet, Stages>();

/**
 * What a quiet decision needs for the approach: the confidence caps only when the tree or
 * an adjustment reads the confidence (or its action); of the framework facts, only those
 * read (the economics are answer facts already).
 */
function approachStages(rules: RuleSet): Stages {
  let stages = stagesByRules.get(rules);
  if (stages) return stages;
  const named = new Map((rules.facts ?? []).map((f) => [f.id, f.when]));
  // A named fact's reads count as the reads of the rule that reads it.
  const read = (conditions: Condition[]): string[] => {
    const out: string[] = [];
    const seen = new Set<string>();
    const visit = (c: Condition | undefined) => {
      for (const leaf of factsOf(c)) {
        out.push(leaf.fact);
        const when = named.get(leaf.fact);
        if (when && !seen.has(leaf.fact)) {
          seen.add(leaf.fact);
          visit(when);
        }
      }
    };
    for (const c of conditions) visit(c);
    return out;
  };
  const decisionReads = read([...rules.decision.tree.map((n) => n.when), ...rules.decision.adjustments.map((a) => a.when)]);
  const caps = decisionReads.some((f) => f === 'framework.confidence' || f === 'framework.action');
  const reads = [...decisionReads, ...(caps ? read((rules.framework.caps ?? []).map((c) => c.when)) : [])];
  stages = { caps, reads: new Set(reads) };
  stagesByRules.set(rules, stages);
  return stages;
}

/** Caps lower the confidence for reasons outside the factor count (data, economics). */
/** The confidence and its action, in the figures and as facts. */
function setConfidence(rules: RuleSet, facts: FactMap, framework: FrameworkFigures, confidence: string): void {
  framework.confidence = confidence;
  framework.action = rules.framework.actions[confidence] ?? '';
  facts.set('framework.confidence', framework.confidence);
  facts.set('framework.action', framework.action);
}

/**
 * Floors raise the confidence for reasons the factor count does not see, once the decision
 * is known (a distillation whose teacher, the prompted model, already works). They never
 * change the approach, so a quiet decision skips them.
 */
function applyFloors(rules: RuleSet, facts: FactMap, framework: FrameworkFigures, outcomes: RuleOutcome[], say: (t: string) => string): void {
  const order = planFor(rules).bandOrder;
  for (const floor of rules.framework.floors ?? []) {
    if (!evaluate(floor.when, facts)) continue;
    const before = framework.confidence;
    if (order.indexOf(floor.confidence) >= order.indexOf(before)) continue;
    setConfidence(rules, facts, framework, floor.confidence);
    outcomes.push({ rule: floor.id, fired: true, because: `${say(floor.because)} Confidence ${before} -> ${floor.confidence}.`, source: floor.source, kind: 'floor' });
  }
}

function applyCaps(rules: RuleSet, facts: FactMap, framework: FrameworkFigures, outcomes: RuleOutcome[], say: (t: string) => string, quiet: boolean, whyNot: boolean): void {
  const order = planFor(rules).bandOrder;
  for (const cap of rules.framework.caps ?? []) {
    if (!evaluate(cap.when, facts)) {
      if (whyNot)
        outcomes.push({
          rule: cap.id,
          fired: false,
          because: `Unmet: ${decisiveLeaves(cap.when, facts, false)
            .map((l) => describe(l, facts))
            .join('; ')}.`,
          source: cap.source,
          kind: 'cap',
        });
      continue;
    }
    const before = framework.confidence;
    if (order.indexOf(cap.confidence) > order.indexOf(before)) {
      setConfidence(rules, facts, framework, cap.confidence);
      if (!quiet) outcomes.push({ rule: cap.id, fired: true, because: `${say(cap.because)} Confidence ${before} -> ${cap.confidence}.`, source: cap.source, kind: 'cap' });
    } else if (!quiet) {
      outcomes.push({ rule: cap.id, fired: true, because: `${say(cap.because)} The confidence is already ${before}.`, source: cap.source, kind: 'cap' });
    }
  }
}

/** A yes/no question the decision asks of one answer fact. */
export type Question = (value: FactValue) => boolean;

const isTrue: Question = (value) => value === true;
const notGiven: Question = (value) => value === undefined;
const missing: Question = (value) => value === undefined || value === null;

/** The same text for the same test, so a test repeated across rules is asked once: 'lt 100', 'in ["fine-tune","hybrid"]'. */
function testKey(leaf: FactTest): string {
  // JSON writes no raw newline, so the parts cannot run into each other.
  return OPERATORS.filter((op) => leaf[op] !== undefined)
    .map((op) => `${op} ${JSON.stringify(leaf[op])}`)
    .join('\n');
}

/** What the approach depends on, as approachInputs finds it. */
export interface ApproachInputs {
  /** Per answer fact, the yes/no questions the decision asks of it. */
  questions: Map<string, Question[]>;
  /**
   * Groups of answer facts of which only how many are true matters: ceiling checks and
   * factors read by nothing but the framework's counts and scores.
   */
  counted: string[][];
}

const inputsByRules = new WeakMap<RuleSet, ApproachInputs | null>();

/**
 * What the approach depends on, as questions about answer facts (the facts baseFacts and
 * applyAnswer set): the tests of the tree's and the adjustments' conditions and, through
 * the facts the engine computes, the reads those depend on in turn (derived answers, the
 * framework's figures, the confidence caps). Two sets of answer facts that answer every
 * question alike get the same approach: what-if uses that to skip changes the decision
 * cannot see, and to remember the others.
 *
 * This mirrors decideFromFacts: a new way for the decision to read answers needs a line
 * here (test/property/what-if.property.test.ts compares what-if with plain re-runs).
 * Undefined when the approach can depend on answers through arithmetic (the economics)
 * or through an engine fact not known here: what-if then re-runs every candidate.
 */
export function approachInputs(rules: RuleSet): ApproachInputs | undefined {
  let inputs = inputsByRules.get(rules);
  if (inputs === undefined) {
    inputs = findApproachInputs(rules) ?? null;
    inputsByRules.set(rules, inputs);
  }
  return inputs ?? undefined;
}

function findApproachInputs(rules: RuleSet): ApproachInputs | undefined {
  const plan = planFor(rules);
  const questions = new Map<string, Map<string, Question>>();
  const ask = (fact: string, what: string, question: Question) => {
    let asked = questions.get(fact);
    if (!asked) questions.set(fact, (asked = new Map<string, Question>()));
    if (!asked.has(what)) asked.set(what, question);
  };
  const pending: Condition[] = [...rules.decision.tree.map((n) => n.when), ...rules.decision.adjustments.map((a) => a.when)];

  // deriveAnswers: whether the answer was given, its requirements, its section's presence, its condition.
  const derivations = new Map(plan.derived.map((d) => [d.path, d]));
  const derivationRead = new Set<string>();
  const derivation = (path: string) => {
    const d = derivations.get(path);
    if (!d || derivationRead.has(path)) return;
    derivationRead.add(path);
    ask(path, 'given', notGiven);
    for (const p of d.field.derive!.requires) {
      ask(p, 'missing', missing);
      derivation(p);
    }
    if (!d.role) ask(d.presentKey, 'true', isTrue);
    pending.push(d.field.derive!.when);
  };
  const frameworkReads = new Set<string>();
  let caps = false;
  const named = new Map((rules.facts ?? []).map((f) => [f.id, f.when]));
  const namedRead = new Set<string>();

  while (pending.length) {
    for (const leaf of factsOf(pending.pop())) {
      const fact = leaf.fact;
      // Set by the tree and the adjustments themselves, from what they read.
      if (fact === 'approach' || fact.startsWith('decision.')) continue;
      // A named condition reads what its own condition reads.
      const when = named.get(fact);
      if (when) {
        if (!namedRead.has(fact)) {
          namedRead.add(fact);
          pending.push(when);
        }
        continue;
      }
      if (fact.startsWith('framework.')) {
        // frameworkFigures reads the ceiling checks and factors, as given or derived.
        if (frameworkReads.size === 0) for (const path of [...plan.ceiling.map((c) => c.path), ...plan.factors.map((f) => f.path)]) derivation(path);
        frameworkReads.add(fact);
        // applyCaps moves the confidence (and its action).
        if ((fact === 'framework.confidence' || fact === 'framework.action') && !caps) {
          caps = true;
          for (const cap of rules.framework.caps ?? []) pending.push(cap.when);
        }
        continue;
      }
      if (fact in ENGINE_FACTS && !ANSWER_FACTS_FROM_ENGINE.has(fact)) return undefined;
      ask(fact, testKey(leaf), valueTest(leaf));
      derivation(fact);
    }
  }

  // frameworkFigures asks of each ceiling check and factor whether it is true. When the
  // lists of labels are not read, the figures are counts: only how many of each kind are
  // true matters (of each weight, when the weighted score is read), which tells far fewer
  // situations apart. A check or factor that is also read otherwise keeps its question.
  const counted = new Map<string, string[]>();
  if (frameworkReads.size > 0) {
    const labels = ['framework.ceilingFailed', 'framework.indicatorsPresent', 'framework.antiIndicatorsPresent'].some((f) => frameworkReads.has(f));
    const weighted = frameworkReads.has('framework.weightedScore');
    const inputs = [...plan.ceiling.map((c) => ({ path: c.path, group: 'ceiling' })), ...plan.factors.map((f) => ({ path: f.path, group: weighted ? `${f.kind} ${f.w}` : f.kind }))];
    const keepQuestion = inputs.filter(({ path }) => labels || questions.has(path) || derivations.has(path)).map(({ path }) => path);
    for (const { path, group } of inputs) {
      if (keepQuestion.includes(path)) ask(path, 'true', isTrue);
      else counted.set(group, [...(counted.get(group) ?? []), path]);
    }
  }
  return {
    questions: new Map([...questions].map(([fact, asked]) => [fact, [...asked.values()]])),
    counted: [...counted.values()],
  };
}
