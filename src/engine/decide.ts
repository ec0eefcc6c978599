// The approach decision: the framework's tree, then the rule set's adjustments in
// order. Every rule is recorded whether it fired or not, so the report can say why
// and why not.
import type { Answers } from '../answers/schema';
import type { Approach, RuleSet } from '../rules/schema';
import { decisiveLeaves, describe, evaluate } from './conditions';
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
  kind: 'derived' | 'tree' | 'adjustment';
  /** The approach before and after, for adjustments that fired. */
  from?: Approach;
  to?: Approach;
}

export interface Decision {
  facts: FactMap;
  derived: DerivedAnswer[];
  framework: FrameworkFigures;
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
  const facts = baseFacts(rules, answers);
  const say = options.quiet ? (text: string) => text : (text: string) => interpolate(text, facts);
  const derived = deriveAnswers(rules, facts, options.quiet);
  const framework = frameworkFigures(rules, facts, derived);
  addFrameworkFacts(facts, framework);

  const outcomes: RuleOutcome[] = derived.map((d) => ({
    rule: `derive.${d.path}`,
    fired: true,
    because: `${d.path} = ${d.value} (derived: ${d.because})`,
    source: d.source,
    kind: 'derived',
  }));

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

  return { facts, derived, framework, tree, outcome: outcome.outcome, outcomeLabel: outcome.label, treeApproach: outcome.approach, candidateLabel: candidate.label, approach, rules: outcomes };
}
