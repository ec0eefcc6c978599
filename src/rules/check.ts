// Checks the meaning of a rule set that already has the right shape: every id is
// unique, every reference resolves, every threshold is in range. Problems carry the
// dot path of the offending item, so `rules validate` can list them all.
import { factsOf } from '../engine/conditions';
import { ENGINE_FACTS } from '../engine/facts';
import { placeholders } from '../engine/template';
import type { Problem } from '../util/errors';
import { didYouMean } from '../util/suggest';
import { APPROACHES, type BandRule, type Condition, type RuleSet } from './schema';

export function knownFacts(rules: RuleSet): Set<string> {
  const facts = new Set(Object.keys(ENGINE_FACTS));
  for (const section of rules.sections) {
    if (section.kind === 'choices') facts.add(section.id);
    facts.add(`${section.id}.present`);
    for (const field of section.fields ?? []) facts.add(`${section.id}.${field.id}`);
  }
  return facts;
}

export function checkRuleSet(rules: RuleSet, file?: string): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string, hint?: string) => problems.push({ file, path, message, hint });
  const facts = knownFacts(rules);
  const factList = [...facts];
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
    for (const part of source.split(';')) {
      const id = part.split(':')[0]!.trim();
      if (!sourceIds.includes(id)) add(path, `unknown source "${id}"; expected one of: ${sourceIds.join(', ')}`, didYouMean(id, sourceIds));
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
      const values = [leaf.contains, ...(leaf.containsAny ?? []), ...(leaf.containsOnly ?? [])].filter((v) => v !== undefined);
      const allowed = choiceIds.get(leaf.fact);
      if (allowed) {
        for (const v of values) if (!allowed.includes(String(v))) add(path, `"${v}" is not a choice of ${leaf.fact}; expected one of: ${allowed.join(', ')}`, didYouMean(String(v), allowed));
      }
      if (leaf.fact === 'approach') {
        for (const v of [leaf.is, leaf.eq, leaf.ne, ...(leaf.in ?? []), ...(leaf.notIn ?? [])].filter((x) => x !== undefined)) {
          if (!APPROACHES.includes(v as never)) add(path, `"${v}" is not an approach; expected one of: ${APPROACHES.join(', ')}`, didYouMean(String(v), APPROACHES as string[]));
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
      if (field.type === 'score' && (!field.levels || Object.keys(field.levels).some((k) => !/^\d+$/.test(k)))) add(`${fp}.levels`, 'a score question needs levels keyed by whole numbers, e.g. { 5: "...", 3: "...", 1: "..." }');
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
      if (choice.objective && !objectiveIds.includes(choice.objective)) add(`${cp}.objective`, `unknown objective "${choice.objective}"; expected one of: ${objectiveIds.join(', ')}`, didYouMean(choice.objective, objectiveIds));
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
  if (fw.score.bands.map((b) => b.band).join() !== fw.difference.bands.map((b) => b.band).join()) {
    add('framework.difference.bands', 'the score and difference bands must have the same names in the same order, so they can be reconciled');
  }

  unique(rules.decision.tree, 'decision.tree');
  rules.decision.tree.forEach((node, i) => {
    checkCondition(node.when, `decision.tree[${i}].when`);
    checkSource(node.source, `decision.tree[${i}].source`);
    checkText(node.yes, `decision.tree[${i}].yes`);
    checkText(node.no.because, `decision.tree[${i}].no.because`);
  });
  checkSource(rules.decision.candidate.source, 'decision.candidate.source');
  checkText(rules.decision.candidate.because, 'decision.candidate.because');
  unique(rules.decision.adjustments, 'decision.adjustments');
  rules.decision.adjustments.forEach((adj, i) => {
    checkCondition(adj.when, `decision.adjustments[${i}].when`);
    checkSource(adj.source, `decision.adjustments[${i}].source`);
    checkText(adj.because, `decision.adjustments[${i}].because`);
  });
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
  checkSource(m.distillation.source, 'method.distillation.source');
  checkSource(m.prioritySource, 'method.prioritySource');

  rules.data.levels.forEach((l, i) => checkSource(l.source, `data.levels[${i}].source`));
  if (rules.data.levels[rules.data.levels.length - 1]?.below !== null) add(`data.levels[${rules.data.levels.length - 1}].below`, 'the last data level must have below: null, so every count gets a level');
  checkBands(rules.economics.breakEven.bands, 'economics.breakEven.bands', 0, 1200);
  checkSource(rules.economics.breakEven.source, 'economics.breakEven.source');
  const rubricSection = rules.sections.find((s) => s.id === rules.rubric.section);
  if (!rubricSection) add('rubric.section', `no section "${rules.rubric.section}"`);
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
  return problems;
}
