// The approach decision: the framework's tree, then the rule set's adjustments in
// order. Every rule is recorded whether it fired or not, so the report can say why
// and why not.
import type { Answers } from '../answers/schema';
import type { Approach, RuleSet } from '../rules/schema';
import { decisiveLeaves, describe, evaluate } from './conditions';
import { computeEconomics, type Economics } from './economics';
import { addFrameworkFacts, baseFacts, deriveAnswers, frameworkFigures, type DerivedAnswer, type FactMap, type FrameworkFigures } from './facts';
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
  kind: 'derived' | 'tree' | 'adjustment' | 'cap';
  /** The approach before and after, for adjustments that fired. */
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
  rules: RuleOutcome[];
}

export interface DecideOptions {
  /** Skip the texts: what-if re-runs the decision many times and reads only the approach. */
  quiet?: boolean;
}

export function decide(rules: RuleSet, answers: Answers, options: DecideOptions = {}): Decision {
  return decideFromFacts(rules, baseFacts(rules, answers), options);
}

/** The decision from answers already flattened to facts (what-if starts from a copy). */
export function decideFromFacts(rules: RuleSet, facts: FactMap, options: DecideOptions = {}): Decision {
  const say = options.quiet ? (text: string) => text : (text: string) => interpolate(text, facts);
  const derived = deriveAnswers(rules, facts, options.quiet);
  const framework = frameworkFigures(rules, facts, derived, options.quiet);
  addFrameworkFacts(facts, framework);

  const outcomes: RuleOutcome[] = derived.map((d) => ({
    rule: `derive.${d.path}`,
    fired: true,
    because: `${d.path} = ${d.value} (derived: ${d.because})`,
    source: d.source,
    kind: 'derived',
  }));

  // Economics feed the confidence caps, so they are known before the decision.
  const economics = computeEconomics(rules, facts, options.quiet);
  if (economics) {
    for (const key of ['breakEvenVerdict', 'breakEvenMonths', 'monthlyNetBenefit', 'upfrontCost', 'tokenReduction'] as const) {
      if (economics[key] !== null) facts.set(`economics.${key}`, economics[key]);
    }
  }
  applyCaps(rules, facts, framework, outcomes, say, options.quiet);

  const tree: TreeStep[] = [];
  const { candidate } = rules.decision;
  let outcome: { outcome: string; label: string; approach: Approach } = candidate;
  let stopped = false;
  for (const node of rules.decision.tree) {
    if (stopped) {
      tree.push({ id: node.id, question: node.question, answer: 'not reached', because: 'An earlier question ended the tree.', ifNo: node.no.label, source: node.source });
      continue;
    }
    const yes = evaluate(node.when, facts);
    const because = say(yes ? node.yes : node.no.because);
    tree.push({ id: node.id, question: node.question, answer: yes ? 'yes' : 'no', because, ifNo: node.no.label, source: node.source });
    outcomes.push({ rule: node.id, fired: !yes, because: yes ? because : `${because} → ${node.no.label}.`, source: node.source, kind: 'tree' });
    if (!yes) {
      outcome = node.no;
      stopped = true;
    }
  }
  if (!stopped) {
    outcomes.push({ rule: 'tree.candidate', fired: true, because: say(candidate.because), source: candidate.source, kind: 'tree' });
  }
  facts.set('decision.outcome', outcome.outcome);
  facts.set('decision.outcomeLabel', outcome.label);

  let approach: Approach = outcome.approach;
  facts.set('approach', approach);
  for (const adj of rules.decision.adjustments) {
    if (evaluate(adj.when, facts)) {
      const from = approach;
      approach = adj.approach;
      facts.set('approach', approach);
      outcomes.push({ rule: adj.id, fired: true, because: `${say(adj.because)} (${from} → ${approach})`, source: adj.source, kind: 'adjustment', from, to: approach });
    } else if (!options.quiet) {
      const unmet = decisiveLeaves(adj.when, facts, false).map((leaf) => describe(leaf, facts));
      const why = adj.whyNot ? say(adj.whyNot) : 'Its condition does not hold.';
      outcomes.push({ rule: adj.id, fired: false, because: `${why} Unmet: ${unmet.join('; ')}.`, source: adj.source, kind: 'adjustment' });
    }
  }

  return { facts, derived, framework, economics, tree, outcome: outcome.outcome, outcomeLabel: outcome.label, treeApproach: outcome.approach, candidateLabel: candidate.label, approach, rules: outcomes };
}

/** Caps lower the confidence for reasons outside the factor count (data, economics). */
function applyCaps(rules: RuleSet, facts: FactMap, framework: FrameworkFigures, outcomes: RuleOutcome[], say: (t: string) => string, quiet = false): void {
  const order = rules.framework.score.bands.map((b) => b.band);
  for (const cap of rules.framework.caps ?? []) {
    if (!evaluate(cap.when, facts)) {
      if (!quiet) outcomes.push({ rule: cap.id, fired: false, because: `Unmet: ${decisiveLeaves(cap.when, facts, false).map((l) => describe(l, facts)).join('; ')}.`, source: cap.source, kind: 'cap' });
      continue;
    }
    const before = framework.confidence;
    if (order.indexOf(cap.confidence) > order.indexOf(before)) {
      framework.confidence = cap.confidence;
      framework.action = rules.framework.actions[cap.confidence] ?? '';
      facts.set('framework.confidence', framework.confidence);
      facts.set('framework.action', framework.action);
      outcomes.push({ rule: cap.id, fired: true, because: `${say(cap.because)} Confidence ${before} → ${cap.confidence}.`, source: cap.source, kind: 'cap' });
    } else {
      outcomes.push({ rule: cap.id, fired: true, because: `${say(cap.because)} The confidence is already ${before}.`, source: cap.source, kind: 'cap' });
    }
  }
}
