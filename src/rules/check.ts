// Checks the meaning of a rule set that already has the right shape: every id is
// unique, every reference resolves, every threshold is in range. Problems carry the
// dot path of the offending item, so `rules validate` can list them all.
import { factsOf } from '../engine/conditions';
import { ENGINE_FACTS } from '../engine/facts';
import { placeholders } from '../engine/template';
import type { Problem } from '../util/errors';
import { didYouMean } from '../util/suggest';
import { APPROACHES, type BandRule, type Condition, type FactTest, type FieldRule, type RuleSet } from './schema';

import type { FactType } from './fact-types';
import { EVIDENCE_FACTS } from '../evidence/facts';
import { checkDataInspection } from '../evidence/data/rules-check';

export type { FactType };

/** What each engine fact holds, so conditions that can never hold are caught. */
const ENGINE_FACT_TYPES: Record<string, FactType> = {
  approach: 'text',
  'decision.outcome': 'text',
  'decision.outcomeLabel': 'text',
  'framework.scored': 'boolean',
  'framework.ceilingPassed': 'boolean',
  'framework.ceilingTotal': 'number',
  'framework.ceilingFailed': 'list',
  'framework.ceilingFailedCount': 'number',
  'framework.indicators': 'number',
  'framework.antiIndicators': 'number',
  'framework.indicatorsPresent': 'list',
  'framework.antiIndicatorsPresent': 'list',
  'framework.totalFactors': 'number',
  'framework.score': 'number',
  'framework.scoreBand': 'text',
  'framework.difference': 'number',
  'framework.differenceBand': 'text',
  'framework.confidence': 'text',
  'framework.bandsAgree': 'boolean',
  'framework.action': 'text',
  'framework.weightedScore': 'number',
  'needs.weights': 'list',
  'needs.weightsCount': 'number',
  'needs.retrieval': 'list',
  'needs.retrievalCount': 'number',
  'needs.prompt': 'list',
  'needs.promptCount': 'number',
  'needs.primary': 'text',
  'data.unit': 'text',
  'data.count': 'number',
  'data.unitLabel': 'text',
  'data.have': 'text',
  'decision.reason': 'text',
  'decision.decidedBy': 'text',
  'decision.wouldTake': 'text',
  'method.objective': 'text',
  'method.technique': 'text',
  'method.distillation': 'boolean',
  'economics.monthlyNetBenefitNeeded': 'number',
  'economics.monthlyNetBenefitToPayBack': 'number',
  'usage.requestsPerMonth': 'number',
  'economics.breakEvenVerdict': 'text',
  'economics.breakEvenMonths': 'number',
  'economics.monthlyNetBenefit': 'number',
  'economics.upfrontCost': 'number',
  'economics.tokenReduction': 'number',
};

/** Facts a condition can read, with their type: engine facts plus every answer path. */
export function factTypes(rules: RuleSet): Map<string, FactType> {
  const types = new Map<string, FactType>();
  for (const fact of Object.keys(ENGINE_FACTS)) types.set(fact, ENGINE_FACT_TYPES[fact] ?? 'any');
  for (const section of rules.sections) {
    if (section.kind === 'choices') {
      types.set(section.id, 'list');
      continue;
    }
    types.set(`${section.id}.present`, 'boolean');
    for (const field of section.fields ?? []) {
      const t: FactType = field.type === 'boolean' ? 'boolean' : field.type === 'text' || field.type === 'choice' ? 'text' : 'number';
      types.set(`${section.id}.${field.id}`, t);
    }
  }
  for (const named of rules.facts ?? []) types.set(named.id, 'boolean');
  return types;
}

export function knownFacts(rules: RuleSet): Set<string> {
  return new Set(factTypes(rules).keys());
}

const RESERVED_SECTION_IDS = ['approach', 'decision', 'economics', 'framework'];

export function checkRuleSet(rules: RuleSet, file?: string): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string, hint?: string) => problems.push({ file, path, message, hint });
  const types = factTypes(rules);
  const facts = new Set(types.keys());
  const factList = [...facts];
  const fieldsByPath = new Map<string, FieldRule>(rules.sections.flatMap((s) => (s.fields ?? []).map((f) => [`${s.id}.${f.id}`, f] as [string, FieldRule])));
  const typeWords: Record<FactType, string> = { number: 'a number', boolean: 'true or false', text: 'text', list: 'a list', any: 'a value' };
  /** An operator that can never hold for the fact's type makes a rule silently dead. */
  const checkOperatorTypes = (leaf: FactTest, type: FactType, path: string) => {
    if (type === 'any') return;
    const scalarOk = (v: unknown) => (type === 'number' ? typeof v === 'number' : type === 'boolean' ? typeof v === 'boolean' : type === 'text' ? typeof v === 'string' : false);
    const bad = (op: string, why: string, hint?: string) => add(path, `"${leaf.fact}" is ${typeWords[type]}, so ${op} ${why}`, hint);
    for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
      if (leaf[op] !== undefined && type !== 'number') bad(op, 'can never hold', type === 'list' ? 'count the list instead, e.g. needs.weightsCount' : undefined);
    }
    for (const op of ['contains', 'containsAny', 'containsOnly'] as const) {
      if (leaf[op] !== undefined && type !== 'list') bad(op, 'can never hold', type === 'text' ? 'use eq or in' : 'use is or eq');
    }
    for (const op of ['is', 'eq', 'ne'] as const) {
      const v = leaf[op];
      if (v === undefined) continue;
      if (type === 'list') bad(op, 'compares a list with one value and can never hold', 'use contains, containsAny or containsOnly');
      else if (!scalarOk(v))
        bad(
          `${op}: ${JSON.stringify(v)}`,
          `compares it with ${typeof v === 'string' ? 'text' : typeof v === 'boolean' ? 'true/false' : 'a number'} and can never hold`,
          type === 'boolean' && typeof v === 'string' ? 'write true or false without quotes' : undefined,
        );
    }
    for (const op of ['in', 'notIn'] as const) {
      const v = leaf[op];
      if (v === undefined) continue;
      if (type === 'list') bad(op, 'can never hold', 'use containsAny or containsOnly');
      else if (v.some((x) => !scalarOk(x))) bad(`${op}: ${JSON.stringify(v)}`, `lists values of another type`);
    }
    const field = fieldsByPath.get(leaf.fact);
    if (field && type === 'number') {
      for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
        const t = leaf[op];
        if (typeof t !== 'number') continue;
        if ((field.min !== undefined && t < field.min) || (field.max !== undefined && t > field.max)) {
          add(path, `threshold ${t} is out of range: ${leaf.fact} is between ${field.min ?? '-∞'} and ${field.max ?? '∞'}`);
        }
      }
    }
  };
  const sourceIds = rules.sources.map((s) => s.id);
  const objectiveIds = rules.method.objectives.map((o) => o.id);
  const choiceIds = new Map(rules.sections.filter((s) => s.kind === 'choices').map((s) => [s.id, (s.choices ?? []).map((c) => c.id)]));

  const unique = (items: ReadonlyArray<{ id: string }>, path: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      if (seen.has(item.id)) add(`${path}[${i}].id`, `duplicate id "${item.id}" (also at ${path}[${seen.get(item.id)}])`);
      else seen.set(item.id, i);
    });
  };
  const checkSource = (source: string, path: string) => {
    // "id: where; id: where". A part with no colon and spaces in it continues the
    // previous part's prose ("ft-advisor: ...; 2 and 1 are our reading").
    for (const part of source.split(';')) {
      const colon = part.indexOf(':');
      const id = (colon === -1 ? part : part.slice(0, colon)).trim();
      if (colon === -1 && /\s/.test(id)) continue;
      if (!sourceIds.includes(id)) {
        add(path, `unknown source "${id}"; expected one of: ${sourceIds.join(', ')}`, didYouMean(id, sourceIds) ?? `or declare it under sources: (- id: ${id}, title: ...)`);
      }
    }
  };
  const checkText = (text: string, path: string) => {
    for (const p of placeholders(text)) {
      if (!facts.has(p)) add(path, `the text quotes {${p}}, which is not a known fact`, didYouMean(p, factList));
    }
  };
  const checkCondition = (condition: Condition | undefined, path: string) => {
    for (const leaf of factsOf(condition)) {
      if (!facts.has(leaf.fact)) {
        add(path, `condition reads unknown fact "${leaf.fact}"`, didYouMean(leaf.fact, factList) ?? 'see `ft-advisor rules show --facts`');
        continue;
      }
      const ops = Object.keys(leaf).filter((k) => k !== 'fact');
      if (ops.length === 0) add(path, `condition on "${leaf.fact}" has no operator; expected one of is, eq, gt, gte, lt, lte, in, contains, ...`);
      checkOperatorTypes(leaf, types.get(leaf.fact) ?? 'any', path);
      const values = [leaf.contains, ...(leaf.containsAny ?? []), ...(leaf.containsOnly ?? [])].filter((v) => v !== undefined);
      const allowed = choiceIds.get(leaf.fact);
      if (allowed) {
        for (const v of values) if (!allowed.includes(String(v))) add(path, `"${v}" is not a choice of ${leaf.fact}; expected one of: ${allowed.join(', ')}`, didYouMean(String(v), allowed));
      }
      if (leaf.fact === 'approach') {
        for (const v of [leaf.is, leaf.eq, leaf.ne, ...(leaf.in ?? []), ...(leaf.notIn ?? [])].filter((x) => x !== undefined)) {
          if (!APPROACHES.includes(v as never)) add(path, `"${v}" is not an approach; expected one of: ${APPROACHES.join(', ')}`, didYouMean(String(v), APPROACHES));
        }
      }
      for (const [fact, section] of [
        ['framework.indicators', rules.framework.indicatorSection],
        ['framework.antiIndicators', rules.framework.antiIndicatorSection],
      ] as const) {
        if (leaf.fact !== fact) continue;
        const max = rules.sections.find((s) => s.id === section)?.fields?.length ?? 0;
        for (const op of ['gt', 'gte', 'lt', 'lte', 'eq'] as const) {
          const t = leaf[op];
          if (typeof t === 'number' && (t < 0 || t > max)) add(path, `threshold ${t} is out of range: ${section} has ${max} questions, so ${fact} is between 0 and ${max}`);
        }
      }
    }
  };
  const checkBands = (bands: BandRule[], path: string, min: number, max: number) => {
    bands.forEach((b, i) => {
      if (b.when === undefined && i !== bands.length - 1) add(`${path}[${i}]`, 'only the last band may omit `when`; bands are tried in order and this one would hide the rest');
      for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
        const t = b.when?.[op];
        if (typeof t === 'number' && (t < min || t > max)) add(`${path}[${i}].when.${op}`, `threshold ${t} is out of range; expected ${min} to ${max}`);
      }
    });
    if (bands[bands.length - 1]?.when !== undefined) add(`${path}[${bands.length - 1}]`, 'the last band must have no `when`, so every value gets a band');
  };

  unique(rules.sources, 'sources');
  unique(rules.sections, 'sections');
  rules.sections.forEach((section, si) => {
    const sp = `sections[${si}]`;
    if (RESERVED_SECTION_IDS.includes(section.id)) add(`${sp}.id`, `"${section.id}" is reserved for facts the engine computes; choose another section id`);
    if (section.role && section.fields?.some((f) => f.type !== 'boolean')) {
      section.fields.forEach((f, fi) => {
        if (f.type !== 'boolean') add(`${sp}.fields[${fi}].type`, `a ${section.role} section asks yes/no questions; expected type: boolean, got ${f.type}`);
      });
    }
    if (section.kind === 'fields' && !section.fields?.length) add(`${sp}.fields`, `section "${section.id}" has kind fields but no fields`);
    if (section.kind === 'choices' && !section.choices?.length) add(`${sp}.choices`, `section "${section.id}" has kind choices but no choices`);
    if (section.kind === 'choices' && !section.prompt) add(`${sp}.prompt`, 'a choices section needs a prompt');
    checkCondition(section.askWhen, `${sp}.askWhen`);
    if (section.signsSource) checkSource(section.signsSource, `${sp}.signsSource`);
    unique(section.fields ?? [], `${sp}.fields`);
    unique(section.choices ?? [], `${sp}.choices`);
    section.fields?.forEach((field, fi) => {
      const fp = `${sp}.fields[${fi}]`;
      checkSource(field.source, `${fp}.source`);
      if (field.weight !== undefined && typeof (rules.framework.weights as Record<string, unknown>)[field.weight] !== 'number') {
        const names = Object.keys(rules.framework.weights).filter((k) => k !== 'source');
        add(`${fp}.weight`, `unknown weight "${field.weight}"; expected one of: ${names.join(', ')}`, didYouMean(field.weight, names));
      }
      if (field.min !== undefined && field.max !== undefined && field.min > field.max) add(`${fp}.min`, `min ${field.min} is above max ${field.max}`);
      if (field.default !== undefined) {
        const d = field.default;
        const ok =
          field.type === 'boolean'
            ? typeof d === 'boolean'
            : field.type === 'text'
              ? typeof d === 'string'
              : field.type === 'integer'
                ? Number.isInteger(d)
                : field.type === 'number'
                  ? typeof d === 'number'
                  : Object.keys(field.levels ?? {}).includes(String(d));
        if (!ok) add(`${fp}.default`, `the default ${JSON.stringify(d)} does not fit type ${field.type}${field.type === 'score' ? ` (levels ${Object.keys(field.levels ?? {}).join(', ')})` : ''}`);
        else if (typeof d === 'number' && ((field.min !== undefined && d < field.min) || (field.max !== undefined && d > field.max)))
          add(`${fp}.default`, `the default ${d} is outside min ${field.min ?? '-∞'} .. max ${field.max ?? '∞'}`);
      }
      if (field.type === 'choice' && !choiceIds.has(field.choicesFrom ?? ''))
        add(
          `${fp}.choicesFrom`,
          `a choice question names the choices section it picks from; expected one of: ${[...choiceIds.keys()].join(', ')}`,
          didYouMean(field.choicesFrom ?? '', [...choiceIds.keys()]),
        );
      if (field.type === 'score' && (!field.levels || Object.keys(field.levels).some((k) => !/^\d+$/.test(k))))
        add(`${fp}.levels`, 'a score question needs levels keyed by whole numbers, e.g. { 5: "...", 3: "...", 1: "..." }');
      if (field.derive) {
        if (field.type !== 'boolean') add(`${fp}.derive`, 'only yes/no questions can be derived');
        checkCondition(field.derive.when, `${fp}.derive.when`);
        checkSource(field.derive.source, `${fp}.derive.source`);
        checkText(field.derive.because, `${fp}.derive.because`);
        field.derive.requires.forEach((r, ri) => {
          if (!facts.has(r)) add(`${fp}.derive.requires[${ri}]`, `unknown answer path "${r}"`, didYouMean(r, factList));
        });
      }
    });
    section.choices?.forEach((choice, ci) => {
      const cp = `${sp}.choices[${ci}]`;
      checkSource(choice.source, `${cp}.source`);
      if (choice.objective && !objectiveIds.includes(choice.objective))
        add(`${cp}.objective`, `unknown objective "${choice.objective}"; expected one of: ${objectiveIds.join(', ')}`, didYouMean(choice.objective, objectiveIds));
    });
  });

  const fw = rules.framework;
  const sectionWithRole = (id: string, role: string, path: string) => {
    const s = rules.sections.find((x) => x.id === id);
    const ids = rules.sections.map((x) => x.id);
    if (!s) add(path, `no section "${id}"`, didYouMean(id, ids));
    else if (s.role !== role) add(path, `section "${id}" must have role: ${role}`);
  };
  sectionWithRole(fw.ceiling.section, 'ceiling', 'framework.ceiling.section');
  sectionWithRole(fw.indicatorSection, 'indicator', 'framework.indicatorSection');
  sectionWithRole(fw.antiIndicatorSection, 'anti-indicator', 'framework.antiIndicatorSection');
  checkSource(fw.ceiling.source, 'framework.ceiling.source');
  checkSource(fw.score.source, 'framework.score.source');
  checkSource(fw.difference.source, 'framework.difference.source');
  checkSource(fw.confidence.source, 'framework.confidence.source');
  checkSource(fw.actionsSource, 'framework.actionsSource');
  checkBands(fw.score.bands, 'framework.score.bands', -1, 1);
  const factorCount = rules.sections.filter((s) => s.role === 'indicator' || s.role === 'anti-indicator').reduce((n, s) => n + (s.fields?.length ?? 0), 0);
  checkBands(fw.difference.bands, 'framework.difference.bands', -factorCount, factorCount);
  if (typeof fw.score.totalFactors === 'number' && fw.score.totalFactors <= 0) add('framework.score.totalFactors', 'must be "count" or a number above 0');
  for (const band of new Set([...fw.score.bands, ...fw.difference.bands].map((b) => b.band))) {
    if (!fw.actions[band]) add('framework.actions', `no action for band "${band}"`);
  }
  const bandNames = fw.confidence.order ?? fw.score.bands.map((b) => b.band);
  for (const band of fw.confidence.order ?? []) if (!fw.actions[band]) add('framework.actions', `no action for confidence "${band}"`);
  (fw.confidence.table ?? []).forEach((row, i) => {
    const scoreBands = fw.score.bands.map((b) => b.band);
    if (!scoreBands.includes(row.score)) add(`framework.confidence.table[${i}].score`, `unknown band "${row.score}"; expected one of: ${scoreBands.join(', ')}`, didYouMean(row.score, scoreBands));
    if (!scoreBands.includes(row.difference))
      add(`framework.confidence.table[${i}].difference`, `unknown band "${row.difference}"; expected one of: ${scoreBands.join(', ')}`, didYouMean(row.difference, scoreBands));
    if (!bandNames.includes(row.confidence))
      add(`framework.confidence.table[${i}].confidence`, `unknown confidence "${row.confidence}"; expected one of: ${bandNames.join(', ')}`, didYouMean(row.confidence, bandNames));
  });
  if (fw.confidence.reconcile === 'table' && !fw.confidence.table?.length) add('framework.confidence.table', 'reconcile: table needs a table of { score, difference, confidence } rows');
  if (fw.confidence.order) {
    for (const band of fw.score.bands.map((b) => b.band)) {
      if (!fw.confidence.order.includes(band)) add('framework.confidence.order', `misses the band "${band}"; list every confidence, strongest first`);
    }
  }
  // Caps lower the confidence and floors raise it: the same shape, checked alike.
  for (const key of ['caps', 'floors'] as const) {
    const limits = fw[key] ?? [];
    unique(limits, `framework.${key}`);
    limits.forEach((limit, i) => {
      const at = `framework.${key}[${i}]`;
      checkCondition(limit.when, `${at}.when`);
      checkSource(limit.source, `${at}.source`);
      checkText(limit.because, `${at}.because`);
      if (!bandNames.includes(limit.confidence)) add(`${at}.confidence`, `unknown band "${limit.confidence}"; expected one of: ${bandNames.join(', ')}`, didYouMean(limit.confidence, bandNames));
    });
  }
  if (fw.score.bands.map((b) => b.band).join() !== fw.difference.bands.map((b) => b.band).join()) {
    add('framework.difference.bands', 'the score and difference bands must have the same names in the same order, so they can be reconciled');
  }

  unique(rules.decision.tree, 'decision.tree');
  rules.decision.tree.forEach((node, i) => {
    checkCondition(node.when, `decision.tree[${i}].when`);
    checkSource(node.source, `decision.tree[${i}].source`);
    checkText(node.yes, `decision.tree[${i}].yes`);
    checkText(node.no.because, `decision.tree[${i}].no.because`);
    if (node.no.wouldTake) checkText(node.no.wouldTake, `decision.tree[${i}].no.wouldTake`);
  });
  checkSource(rules.decision.candidate.source, 'decision.candidate.source');
  checkText(rules.decision.candidate.because, 'decision.candidate.because');
  unique(rules.decision.adjustments, 'decision.adjustments');
  rules.decision.adjustments.forEach((adj, i) => {
    checkCondition(adj.when, `decision.adjustments[${i}].when`);
    checkSource(adj.source, `decision.adjustments[${i}].source`);
    checkText(adj.because, `decision.adjustments[${i}].because`);
    for (const key of ['label', 'whyNot', 'wouldTake'] as const) if (adj[key]) checkText(adj[key], `decision.adjustments[${i}].${key}`);
  });
  unique(rules.facts ?? [], 'facts');
  (rules.facts ?? []).forEach((named, i) => {
    checkCondition(named.when, `facts[${i}].when`);
    checkSource(named.source, `facts[${i}].source`);
    if (named.id in ENGINE_FACTS || fieldsByPath.has(named.id) || rules.sections.some((sec) => sec.id === named.id))
      add(`facts[${i}].id`, `"${named.id}" is already a fact; a named condition needs a name of its own`);
    // Evaluated in order: a named condition may read only those before it.
    const later = (rules.facts ?? []).slice(i).map((f) => f.id);
    for (const leaf of factsOf(named.when))
      if (later.includes(leaf.fact))
        add(`facts[${i}].when`, `reads "${leaf.fact}", which is evaluated ${leaf.fact === named.id ? 'by this very condition' : 'after it'}`, 'move it above, or read the facts it is made of');
  });
  if (rules.data.generatedWhen) {
    checkCondition(rules.data.generatedWhen, 'data.generatedWhen');
    // Worked out with the answers, before the decision: it can read answers only.
    for (const leaf of factsOf(rules.data.generatedWhen)) {
      if (
        leaf.fact in ENGINE_FACTS &&
        !['usage.requestsPerMonth', 'needs.weights', 'needs.weightsCount', 'needs.retrieval', 'needs.retrievalCount', 'needs.prompt', 'needs.promptCount'].includes(leaf.fact)
      ) {
        add('data.generatedWhen', `reads "${leaf.fact}", which is worked out after the training data is counted`, 'read answers (and needs.*, usage.requestsPerMonth) only');
      }
      if ((rules.facts ?? []).some((f) => f.id === leaf.fact))
        add('data.generatedWhen', `reads the named condition "${leaf.fact}", which is evaluated after the training data is counted`, 'repeat its condition here (a YAML anchor keeps one copy)');
    }
  }
  if (rules.whatIf) {
    checkSource(rules.whatIf.source, 'whatIf.source');
    const sectionIds = rules.sections.map((sec) => sec.id);
    rules.whatIf.levers.forEach((lever, i) => {
      if (!sectionIds.includes(lever)) add(`whatIf.levers[${i}]`, `unknown section "${lever}"`, didYouMean(lever, sectionIds));
    });
  }
  for (const [approach, v] of Object.entries(rules.verdicts)) checkText(v.summary, `verdicts.${approach}.summary`);

  const m = rules.method;
  unique(m.objectives, 'method.objectives');
  unique(m.techniques, 'method.techniques');
  m.priority.forEach((p, i) => {
    if (!objectiveIds.includes(p)) add(`method.priority[${i}]`, `unknown objective "${p}"`, didYouMean(p, objectiveIds));
  });
  m.objectives.forEach((o, i) => {
    checkSource(o.source, `method.objectives[${i}].source`);
    if (o.fallback && !objectiveIds.includes(o.fallback)) add(`method.objectives[${i}].fallback`, `unknown objective "${o.fallback}"`, didYouMean(o.fallback, objectiveIds));
  });
  m.techniques.forEach((t, i) => {
    checkCondition(t.when, `method.techniques[${i}].when`);
    checkSource(t.source, `method.techniques[${i}].source`);
    checkText(t.because, `method.techniques[${i}].because`);
  });
  if (m.techniques[m.techniques.length - 1]?.when !== undefined) add(`method.techniques[${m.techniques.length - 1}]`, 'the last technique is the default and must have no `when`');
  checkCondition(m.distillation.when, 'method.distillation.when');
  checkText(m.distillation.because, 'method.distillation.because');
  m.priority.forEach((p, i) => {
    if (m.priority.indexOf(p) !== i) add(`method.priority[${i}]`, `"${p}" is listed twice`);
  });
  checkSource(m.distillation.source, 'method.distillation.source');
  checkSource(m.prioritySource, 'method.prioritySource');

  rules.data.levels.forEach((l, i) => checkSource(l.source, `data.levels[${i}].source`));
  checkSource(rules.data.qualityNoteSource, 'data.qualityNoteSource');
  rules.data.levels.forEach((l, i) => {
    const prev = rules.data.levels[i - 1]?.below;
    if (i > 0 && l.below !== null && typeof prev === 'number' && l.below <= prev) add(`data.levels[${i}].below`, `levels go from fewest to most examples: ${l.below} must be above ${prev}`);
  });
  checkSource(rules.economics.daysPerMonthSource, 'economics.daysPerMonthSource');
  checkSource(rules.economics.longPromptSource, 'economics.longPromptSource');
  if (typeof rules.framework.weights.source === 'string') checkSource(rules.framework.weights.source, 'framework.weights.source');
  for (const [name, w] of Object.entries(rules.framework.weights)) {
    if (name !== 'source' && (typeof w !== 'number' || w < 0)) add(`framework.weights.${name}`, `expected a number ≥ 0, got ${JSON.stringify(w)}`);
  }
  if (rules.data.levels[rules.data.levels.length - 1]?.below !== null)
    add(`data.levels[${rules.data.levels.length - 1}].below`, 'the last data level must have below: null, so every count gets a level');
  checkBands(rules.economics.breakEven.bands, 'economics.breakEven.bands', 0, 1200);
  checkSource(rules.economics.breakEven.source, 'economics.breakEven.source');
  const rubricSection = rules.sections.find((s) => s.id === rules.rubric.section);
  if (!rubricSection)
    add(
      'rubric.section',
      `no section "${rules.rubric.section}"`,
      didYouMean(
        rules.rubric.section,
        rules.sections.map((s) => s.id),
      ),
    );
  else {
    const maxPoints = (rubricSection.fields ?? []).reduce(
      (sum, f) =>
        sum +
        Math.max(
          0,
          ...Object.keys(f.levels ?? {})
            .map(Number)
            .filter(Number.isFinite),
        ),
      0,
    );
    if ((rubricSection.fields ?? []).some((f) => f.type !== 'score')) add('rubric.section', `every question of section "${rubricSection.id}" must have type: score`);
    else if (maxPoints !== rules.rubric.max) add('rubric.max', `is ${rules.rubric.max}, but the questions of section "${rubricSection.id}" add up to ${maxPoints} at most`);
  }
  checkBands(rules.rubric.bands, 'rubric.bands', 0, rules.rubric.max);
  checkSource(rules.rubric.source, 'rubric.source');

  for (const list of ['nextSteps', 'risks', 'evaluationPlan', 'warnings'] as const) {
    unique(rules[list], list);
    rules[list].forEach((item, i) => {
      checkCondition(item.when, `${list}[${i}].when`);
      checkSource(item.source, `${list}[${i}].source`);
      checkText(item.text, `${list}[${i}].text`);
    });
  }
  unique(rules.resolutions, 'resolutions');
  rules.resolutions.forEach((r, i) => {
    checkCondition(r.when, `resolutions[${i}].when`);
    checkSource(r.source, `resolutions[${i}].source`);
    for (const key of ['conflict', 'decision', 'why'] as const) checkText(r[key], `resolutions[${i}].${key}`);
  });
  checkEvidenceMappings(rules, fieldsByPath, add, checkSource);
  checkDataInspection(rules, add, checkSource);
  return problems;
}

/** Evidence mappings read facts that readers measure, and settle answers the rule set asks. */
function checkEvidenceMappings(
  rules: RuleSet,
  fieldsByPath: Map<string, FieldRule>,
  add: (path: string, message: string, hint?: string) => void,
  checkSource: (source: string, path: string) => void,
): void {
  const mappings = rules.evidence ?? [];
  const evidenceFacts = Object.keys(EVIDENCE_FACTS);
  const answerPaths = [...fieldsByPath.keys()];
  const seen = new Map<string, number>();
  mappings.forEach((m, i) => {
    const at = `evidence[${i}]`;
    if (seen.has(m.id)) add(`${at}.id`, `duplicate id "${m.id}" (also at evidence[${seen.get(m.id)}])`);
    else seen.set(m.id, i);
    checkSource(m.source, `${at}.source`);
    if ((m.answer === undefined) === (m.finding === undefined)) add(at, 'expected exactly one of `answer` (the question it settles) or `finding` (a supporting fact the report shows)');
    if (m.finding !== undefined && m.when === undefined) add(at, 'a `finding` needs `when`: the condition under which the report shows it');
    const field = m.answer === undefined ? undefined : fieldsByPath.get(m.answer);
    if (m.answer !== undefined && !field) add(`${at}.answer`, `"${m.answer}" is not a question of this rule set`, didYouMean(m.answer, answerPaths));
    if ((m.when === undefined) === (m.value === undefined)) add(at, 'expected exactly one of `when` (a yes/no answer) or `value` (a measured number to copy)');
    const read = m.value !== undefined ? [m.value] : factsOf(m.when).map((leaf) => leaf.fact);
    for (const fact of read) {
      if (!(fact in EVIDENCE_FACTS))
        add(m.value !== undefined ? `${at}.value` : `${at}.when`, `reads unknown evidence fact "${fact}"`, didYouMean(fact, evidenceFacts) ?? 'see `ft-advisor rules show --facts`');
    }
    if (field && m.when !== undefined && field.type !== 'boolean') add(`${at}.answer`, `${m.answer} is ${field.type}, but \`when\` settles a yes/no answer`, 'use `value` to copy a measured number');
    if (field && m.value !== undefined && field.type === 'boolean') add(`${at}.answer`, `${m.answer} is yes/no, but \`value\` copies a number`, 'use `when` with a threshold');
    for (const p of placeholders(m.because)) {
      if (!read.includes(p) && !(p in EVIDENCE_FACTS)) add(`${at}.because`, `the text quotes {${p}}, which is not an evidence fact`, didYouMean(p, evidenceFacts));
    }
  });
}
