// Decision drift: what changed between two assessments (verdict, method, scores) and
// why (which answers changed, which rules fired differently, whether the rule set
// itself changed). Pure: reports in, a diff or text out.
import { Chalk } from 'chalk';
import type { Report } from '../engine/assess';
import { escapeMarkdownInline, stripTerminalControls } from '../util/sanitize';

/** A report as read back from JSON: the fields the diff relies on, the rest optional. */
export type ReportLike = Pick<Report, 'schemaVersion' | 'useCase' | 'rules' | 'recommendation'> & {
  /** Decision records (JSON Lines) leave the factors out; they carry the answers instead. */
  framework: Omit<Report['framework'], 'factors'> & Partial<Pick<Report['framework'], 'factors'>>;
} & Partial<Pick<Report, 'decisionPath' | 'derived' | 'trace' | 'notFired' | 'problemTypes' | 'warningItems' | 'answers'>> & { file?: string; line?: number };

export interface Change<T> {
  before: T;
  after: T;
  changed: boolean;
}

export interface MethodSummary {
  objective: string;
  technique: string;
  distillation: boolean;
}

export interface AnswerChange {
  path: string;
  before: unknown;
  after: unknown;
  /** The value was derived by the rule set (in either report), not answered. */
  derived?: boolean;
}

export interface ReportDiff {
  useCase: Change<string>;
  /** True when a decision field changed: approach, method, score band, difference band or confidence. */
  changed: boolean;
  /** The decision fields that changed, e.g. ["approach", "method.objective"]. */
  gateChanges: string[];
  approach: Change<string>;
  method: Change<MethodSummary | null>;
  confidence: Change<string>;
  scores: {
    score: Change<number>;
    scoreBand: Change<string>;
    difference: Change<number>;
    differenceBand: Change<string>;
    indicators: Change<number>;
    antiIndicators: Change<number>;
    ceilingPassed: Change<boolean>;
  };
  why: {
    /** `answers` when both reports carry the answers (exact paths), else read off the factors. */
    answersFrom: 'answers' | 'factors';
    answers: AnswerChange[];
    decisionPath: { id: string; question: string; before: string; after: string }[];
    nowFired: string[];
    noLongerFired: string[];
    rulesAdded: string[];
    rulesRemoved: string[];
    ruleSet: Change<string>;
    warningsAdded: string[];
    warningsRemoved: string[];
    /** One sentence: the answers, the rule set, both, or nothing. */
    cause: string;
  };
}

const change = <T>(before: T, after: T): Change<T> => ({ before, after, changed: JSON.stringify(before) !== JSON.stringify(after) });

function methodOf(r: ReportLike): MethodSummary | null {
  const m = r.recommendation.method;
  return m ? { objective: m.objective, technique: m.technique, distillation: Boolean(m.distillation) } : null;
}

export function methodText(m: MethodSummary | null): string {
  return m ? `${m.objective} · ${m.technique}${m.distillation ? ' · distillation' : ''}` : 'none';
}

/** Answers flattened to dot paths: `indicators.latency`, `needs`, `useCase.name`. */
export function flattenAnswers(answers: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!answers || typeof answers !== 'object') return out;
  for (const [section, value] of Object.entries(answers as Record<string, unknown>)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [field, v] of Object.entries(value as Record<string, unknown>)) out.set(`${section}.${field}`, v);
    } else out.set(section, value);
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return JSON.stringify([...(a as unknown[])].sort()) === JSON.stringify([...(b as unknown[])].sort());
  return JSON.stringify(a) === JSON.stringify(b);
}

function answerChanges(before: ReportLike, after: ReportLike): { from: 'answers' | 'factors'; changes: AnswerChange[] } {
  const changes: AnswerChange[] = [];
  const derivedBefore = new Map((before.derived ?? []).map((d) => [d.path, d.value]));
  const derivedAfter = new Map((after.derived ?? []).map((d) => [d.path, d.value]));
  if (before.answers && after.answers) {
    const a = flattenAnswers(before.answers);
    const b = flattenAnswers(after.answers);
    for (const path of new Set([...a.keys(), ...b.keys()])) {
      if (path === 'version') continue;
      if (!sameValue(a.get(path), b.get(path))) changes.push({ path, before: a.get(path) ?? null, after: b.get(path) ?? null });
    }
    // Derived values are not answers, but a changed count can flip one: show it too.
    for (const path of new Set([...derivedBefore.keys(), ...derivedAfter.keys()])) {
      const x = derivedBefore.has(path) ? derivedBefore.get(path) : (a.get(path) ?? null);
      const y = derivedAfter.has(path) ? derivedAfter.get(path) : (b.get(path) ?? null);
      if (!sameValue(x, y) && !changes.some((c) => c.path === path)) changes.push({ path, before: x, after: y, derived: true });
    }
    return { from: 'answers', changes: sortChanges(changes) };
  }
  // Older or trimmed reports: what the factors, the needs and the ceiling say.
  const fa = new Map((before.framework.factors ?? []).map((f) => [f.path, f]));
  const fb = new Map((after.framework.factors ?? []).map((f) => [f.path, f]));
  for (const path of new Set([...fa.keys(), ...fb.keys()])) {
    const x = fa.get(path);
    const y = fb.get(path);
    if (x?.present !== y?.present) changes.push({ path, before: x ? x.present : null, after: y ? y.present : null, derived: Boolean(x?.derived || y?.derived) || undefined });
  }
  const needsBefore = (before.problemTypes ?? []).map((p) => p.need);
  const needsAfter = (after.problemTypes ?? []).map((p) => p.need);
  if ((before.problemTypes || after.problemTypes) && !sameValue(needsBefore, needsAfter)) changes.push({ path: 'needs', before: needsBefore, after: needsAfter });
  const openBefore = before.framework.ceilingFailed ?? [];
  const openAfter = after.framework.ceilingFailed ?? [];
  if (!sameValue(openBefore, openAfter)) changes.push({ path: 'ceiling (open checks)', before: openBefore, after: openAfter });
  for (const path of new Set([...derivedBefore.keys(), ...derivedAfter.keys()])) {
    if (changes.some((c) => c.path === path)) continue;
    if (derivedBefore.get(path) !== derivedAfter.get(path)) changes.push({ path, before: derivedBefore.get(path) ?? null, after: derivedAfter.get(path) ?? null, derived: true });
  }
  if (before.useCase !== after.useCase) changes.push({ path: 'useCase.name', before: before.useCase, after: after.useCase });
  return { from: 'factors', changes: sortChanges(changes) };
}

function sortChanges(list: AnswerChange[]): AnswerChange[] {
  return list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Rules whose firing is a choice of the rule set: adjustments and confidence caps. */
const firedAdjustments = (r: ReportLike) => (r.trace ?? []).filter((t) => (t.kind as string) === 'adjustment' || (t.kind as string) === 'cap' || (t.kind as string) === 'floor').map((t) => t.rule);
/** The rule set's tree steps and adjustments, whether they fired or not. */
const allRuleIds = (r: ReportLike) => new Set([...firedAdjustments(r), ...(r.notFired ?? []).map((t) => t.rule), ...(r.decisionPath?.steps ?? []).map((s) => s.id)]);

/** A verdict's confidence; "none" for a verdict that is not fine-tuning (null), the framework's band in reports that predate the field. */
function confidenceOf(r: ReportLike): string {
  const c = r.recommendation.confidence;
  return c === undefined ? r.framework.confidence : (c ?? 'none');
}

export function diffReports(before: ReportLike, after: ReportLike): ReportDiff {
  const approach = change<string>(before.recommendation.approach, after.recommendation.approach);
  const method = change(methodOf(before), methodOf(after));
  const confidence = change(confidenceOf(before), confidenceOf(after));
  const fb = before.framework;
  const fa = after.framework;
  const scores = {
    score: change(fb.score, fa.score),
    scoreBand: change(fb.scoreBand, fa.scoreBand),
    difference: change(fb.difference, fa.difference),
    differenceBand: change(fb.differenceBand, fa.differenceBand),
    indicators: change(fb.indicators, fa.indicators),
    antiIndicators: change(fb.antiIndicators, fa.antiIndicators),
    ceilingPassed: change(fb.ceilingPassed, fa.ceilingPassed),
  };
  const gateChanges: string[] = [];
  if (approach.changed) gateChanges.push('approach');
  for (const key of ['objective', 'technique', 'distillation'] as const) {
    if ((method.before?.[key] ?? null) !== (method.after?.[key] ?? null)) gateChanges.push(`method.${key}`);
  }
  if (scores.scoreBand.changed) gateChanges.push('scoreBand');
  if (scores.differenceBand.changed) gateChanges.push('differenceBand');
  if (confidence.changed) gateChanges.push('confidence');

  const { from, changes } = answerChanges(before, after);
  const stepsBefore = new Map((before.decisionPath?.steps ?? []).map((s) => [s.id, s]));
  const decisionPath = (after.decisionPath?.steps ?? [])
    .filter((s) => stepsBefore.has(s.id) && stepsBefore.get(s.id)!.answer !== s.answer)
    .map((s) => ({ id: s.id, question: s.question, before: stepsBefore.get(s.id)!.answer, after: s.answer }));
  const adjBefore = firedAdjustments(before);
  const adjAfter = firedAdjustments(after);
  // Only full reports list the rules that did not fire: from decision records (JSON
  // Lines), a rule that stopped firing would look gone from the rule set.
  const listsRules = before.notFired !== undefined && after.notFired !== undefined;
  const idsBefore = listsRules ? allRuleIds(before) : new Set<string>();
  const idsAfter = listsRules ? allRuleIds(after) : new Set<string>();
  const ruleSet = change(`${before.rules.name} ${before.rules.version}`, `${after.rules.name} ${after.rules.version}`);
  const warnIds = (r: ReportLike) => (r.warningItems ?? []).map((w) => w.id);
  const answersChanged = changes.some((c) => !c.derived);
  const cause =
    answersChanged && ruleSet.changed
      ? 'Both the answers and the rule set changed.'
      : answersChanged
        ? 'The answers changed; the rule set is the same.'
        : ruleSet.changed
          ? 'The answers are the same; the rule set changed.'
          : approach.changed || method.changed || gateChanges.length
            ? 'Same answers and rule set name and version: the rule set was probably edited without a new version.'
            : 'Same answers, same rule set.';

  return {
    useCase: change(before.useCase, after.useCase),
    changed: gateChanges.length > 0,
    gateChanges,
    approach,
    method,
    confidence,
    scores,
    why: {
      answersFrom: from,
      answers: changes,
      decisionPath,
      nowFired: adjAfter.filter((id) => !adjBefore.includes(id)),
      noLongerFired: adjBefore.filter((id) => !adjAfter.includes(id)),
      rulesAdded: [...idsAfter].filter((id) => !idsBefore.has(id)),
      rulesRemoved: [...idsBefore].filter((id) => !idsAfter.has(id)),
      ruleSet,
      warningsAdded: warnIds(after).filter((id) => !warnIds(before).includes(id)),
      warningsRemoved: warnIds(before).filter((id) => !warnIds(after).includes(id)),
      cause,
    },
  };
}

// ---------------------------------------------------------------------------------------
// Several reports (a batch): matched by input, then (inputs renamed) by use case name.

export interface PortfolioDiff {
  changed: boolean;
  entries: { key: string; diff: ReportDiff }[];
  onlyBefore: string[];
  onlyAfter: string[];
}

export function reportKey(r: ReportLike): string {
  if (r.file !== undefined) return r.line !== undefined ? `${r.file}:${r.line}` : r.file;
  return r.useCase;
}

export function diffPortfolios(before: readonly ReportLike[], after: readonly ReportLike[]): PortfolioDiff {
  const byFile = before.every((r) => r.file !== undefined) && after.every((r) => r.file !== undefined);
  const key = (r: ReportLike) => (byFile ? reportKey(r) : r.useCase);
  const map = new Map(before.map((r) => [key(r), r]));
  // Each report after, and the key of its match before (by input first).
  const matchOf = after.map((r) => (map.has(key(r)) ? key(r) : undefined));
  if (byFile) {
    // An input renamed between the runs (portfolio.jsonl, then portfolio-v2.jsonl): what no
    // input matched is matched by use case name, where the name is unique on both sides.
    const taken = new Set(matchOf.filter((k): k is string => k !== undefined));
    const beforeLeft = [...map].filter(([k]) => !taken.has(k));
    const afterLeft = after.filter((_, i) => matchOf[i] === undefined);
    const once = (names: string[]) => {
      const count = new Map<string, number>();
      for (const n of names) count.set(n, (count.get(n) ?? 0) + 1);
      return new Set(names.filter((n) => count.get(n) === 1));
    };
    const uniqueBefore = once(beforeLeft.map(([, r]) => r.useCase));
    const uniqueAfter = once(afterLeft.map((r) => r.useCase));
    const beforeByName = new Map(beforeLeft.map(([k, r]) => [r.useCase, k]));
    after.forEach((r, i) => {
      if (matchOf[i] === undefined && uniqueAfter.has(r.useCase) && uniqueBefore.has(r.useCase)) matchOf[i] = beforeByName.get(r.useCase);
    });
  }
  const seen = new Set<string>();
  const entries: PortfolioDiff['entries'] = [];
  const onlyAfter: string[] = [];
  after.forEach((r, i) => {
    const k = key(r);
    const m = matchOf[i];
    if (m === undefined) return void onlyAfter.push(k);
    seen.add(m);
    entries.push({ key: m === k ? k : `${k} (was ${m})`, diff: diffReports(map.get(m)!, r) });
  });
  const onlyBefore = [...map.keys()].filter((k) => !seen.has(k));
  return { changed: entries.some((e) => e.diff.changed) || onlyBefore.length > 0 || onlyAfter.length > 0, entries, onlyBefore, onlyAfter };
}

// ---------------------------------------------------------------------------------------
// Rendering

const show = (v: unknown): string => (v === null || v === undefined ? 'not given' : Array.isArray(v) ? `[${v.join(', ')}]` : typeof v === 'string' ? v : JSON.stringify(v));
const num = (n: number) => (Math.round(n * 1000) / 1000).toString();

interface Line {
  label: string;
  before: string;
  after: string;
  changed: boolean;
  gate: boolean;
}

function measureLines(d: ReportDiff): Line[] {
  const s = d.scores;
  return [
    { label: 'Verdict', before: d.approach.before, after: d.approach.after, changed: d.approach.changed, gate: true },
    { label: 'Method', before: methodText(d.method.before), after: methodText(d.method.after), changed: d.method.changed, gate: true },
    { label: 'Confidence', before: d.confidence.before, after: d.confidence.after, changed: d.confidence.changed, gate: true },
    {
      label: 'Score',
      before: `${num(s.score.before)} (${s.scoreBand.before})`,
      after: `${num(s.score.after)} (${s.scoreBand.after})`,
      changed: s.score.changed || s.scoreBand.changed,
      gate: s.scoreBand.changed,
    },
    {
      label: 'Difference',
      before: `${s.difference.before} (${s.differenceBand.before})`,
      after: `${s.difference.after} (${s.differenceBand.after})`,
      changed: s.difference.changed || s.differenceBand.changed,
      gate: s.differenceBand.changed,
    },
    {
      label: 'Indicators / anti',
      before: `${s.indicators.before} / ${s.antiIndicators.before}`,
      after: `${s.indicators.after} / ${s.antiIndicators.after}`,
      changed: s.indicators.changed || s.antiIndicators.changed,
      gate: false,
    },
    { label: 'Ceiling test', before: s.ceilingPassed.before ? 'passed' : 'not passed', after: s.ceilingPassed.after ? 'passed' : 'not passed', changed: s.ceilingPassed.changed, gate: false },
  ];
}

const GATE_WORDS: Record<string, string> = {
  approach: 'verdict',
  'method.objective': 'method',
  'method.technique': 'method',
  'method.distillation': 'method',
  scoreBand: 'score band',
  differenceBand: 'difference band',
  confidence: 'confidence',
};

function verdictLine(d: ReportDiff): string {
  if (!d.changed) return `No decision drift: verdict, method, bands and confidence are unchanged (${d.approach.after}, ${methodText(d.method.after)}, ${d.confidence.after}).`;
  const words = [...new Set(d.gateChanges.map((g) => GATE_WORDS[g] ?? g))];
  return `Decision drift: the ${words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}` : words[0]} changed.`;
}

export interface DiffRenderOptions {
  color?: boolean;
  /** Left out of headings when the caller gives its own. */
  title?: string;
}

export function renderDiffText(d: ReportDiff, o: DiffRenderOptions = {}): string {
  const c = new Chalk({ level: o.color ? 1 : 0 });
  const safe = stripTerminalControls;
  const out: string[] = [];
  const name = d.useCase.changed ? `${safe(d.useCase.before)} → ${safe(d.useCase.after)}` : safe(d.useCase.after);
  out.push(c.bold(o.title ?? `ft-advisor diff · ${name}`));
  out.push(d.changed ? c.red.bold(verdictLine(d)) : c.green(verdictLine(d)));
  out.push('');
  const lines = measureLines(d);
  const w = Math.max(...lines.map((l) => l.label.length));
  const bw = Math.max(...lines.map((l) => l.before.length));
  for (const l of lines) {
    const text = `  ${l.label.padEnd(w)}  ${l.before.padEnd(bw)}  ${l.changed ? '→' : '='} ${l.changed ? l.after : c.dim(l.after)}`;
    out.push(l.changed ? (l.gate ? c.bold(text) : text) : c.dim(text));
  }
  out.push('', c.bold('Why'));
  out.push(`  ${d.why.cause}`);
  const a = d.why.answers;
  if (a.length) {
    out.push(`  Answers changed (${a.length})${d.why.answersFrom === 'factors' ? c.dim(' — read off the factors: these reports do not carry the answers') : ''}:`);
    const pw = Math.max(...a.map((x) => x.path.length));
    for (const x of a) out.push(`    ${safe(x.path).padEnd(pw)}  ${safe(show(x.before))} → ${safe(show(x.after))}${x.derived ? c.dim(' (derived)') : ''}`);
  }
  if (d.why.decisionPath.length) {
    out.push('  Decision path:');
    for (const s of d.why.decisionPath) out.push(`    ${safe(s.question)} ${s.before} → ${c.bold(s.after)}  ${c.dim(`(${s.id})`)}`);
  }
  if (d.why.nowFired.length) out.push(`  Rules that now fire: ${d.why.nowFired.join(', ')}`);
  if (d.why.noLongerFired.length) out.push(`  Rules that no longer fire: ${d.why.noLongerFired.join(', ')}`);
  if (d.why.rulesAdded.length) out.push(`  Rules new in the rule set: ${d.why.rulesAdded.join(', ')}`);
  if (d.why.rulesRemoved.length) out.push(`  Rules gone from the rule set: ${d.why.rulesRemoved.join(', ')}`);
  if (d.why.warningsAdded.length) out.push(`  New warnings: ${d.why.warningsAdded.join(', ')}`);
  if (d.why.warningsRemoved.length) out.push(`  Warnings gone: ${d.why.warningsRemoved.join(', ')}`);
  out.push(`  Rule set: ${d.why.ruleSet.changed ? `${safe(d.why.ruleSet.before)} → ${safe(d.why.ruleSet.after)}` : `${safe(d.why.ruleSet.after)} (unchanged)`}`);
  return `${out.join('\n')}\n`;
}

/** Inline code outside tables: backticks cannot be escaped inside, so they go. */
const code = (s: string) => `\`${stripTerminalControls(s).replace(/\s+/g, ' ').replace(/`/g, "'")}\``;
const cellText = (s: string) => s.replace(/[|\\`*_<>[\]]/g, (ch) => `\\${ch}`);

export function renderDiffMarkdown(d: ReportDiff, o: DiffRenderOptions = {}): string {
  const esc = escapeMarkdownInline;
  const name = d.useCase.changed ? `${esc(d.useCase.before)} → ${esc(d.useCase.after)}` : esc(d.useCase.after);
  const out: string[] = [o.title ?? `## ft-advisor diff: ${name}`, '', d.changed ? `**${cellText(verdictLine(d))}**` : cellText(verdictLine(d)), ''];
  out.push('| Measure | Before | After | |', '| --- | --- | --- | --- |');
  // Measures are ft-advisor's own words and numbers; only method ids come from a rule set.
  for (const l of measureLines(d))
    out.push(`| ${l.label} | ${cellText(l.before)} | ${l.changed ? `**${cellText(l.after)}**` : cellText(l.after)} | ${l.changed ? (l.gate ? 'changed' : 'moved') : ''} |`);
  out.push('', '**Why.** ' + esc(d.why.cause), '');
  if (d.why.answers.length) {
    out.push(`Answers changed${d.why.answersFrom === 'factors' ? ' (read off the factors)' : ''}:`, '');
    for (const x of d.why.answers) out.push(`- ${code(x.path)}: ${esc(show(x.before))} → **${esc(show(x.after))}**${x.derived ? ' _(derived)_' : ''}`);
    out.push('');
  }
  if (d.why.decisionPath.length) {
    out.push('Decision path:', '');
    for (const s of d.why.decisionPath) out.push(`- ${esc(s.question)} ${s.before} → **${s.after}** (${code(s.id)})`);
    out.push('');
  }
  const list = (label: string, ids: string[]) => {
    if (ids.length) out.push(`- ${label}: ${ids.map(code).join(', ')}`);
  };
  list('Rules that now fire', d.why.nowFired);
  list('Rules that no longer fire', d.why.noLongerFired);
  list('Rules new in the rule set', d.why.rulesAdded);
  list('Rules gone from the rule set', d.why.rulesRemoved);
  list('New warnings', d.why.warningsAdded);
  list('Warnings gone', d.why.warningsRemoved);
  out.push(`- Rule set: ${d.why.ruleSet.changed ? `${esc(d.why.ruleSet.before)} → **${esc(d.why.ruleSet.after)}**` : `${esc(d.why.ruleSet.after)} (unchanged)`}`, '');
  return `${out.join('\n')}\n`;
}

export function renderPortfolioDiff(p: PortfolioDiff, format: 'text' | 'markdown', o: DiffRenderOptions = {}): string {
  const c = new Chalk({ level: o.color ? 1 : 0 });
  const changed = p.entries.filter((e) => e.diff.changed);
  const moved = p.entries.filter((e) => !e.diff.changed && (e.diff.why.answers.length || e.diff.scores.score.changed));
  const head = `${p.entries.length} use case${p.entries.length === 1 ? '' : 's'} compared: ${changed.length} with decision drift${p.onlyBefore.length ? `, ${p.onlyBefore.length} gone` : ''}${p.onlyAfter.length ? `, ${p.onlyAfter.length} new` : ''}.`;
  const out: string[] = [];
  if (format === 'markdown') {
    const esc = escapeMarkdownInline;
    out.push('# ft-advisor diff', '', head, '');
    if (p.onlyBefore.length) out.push(`Gone: ${p.onlyBefore.map(code).join(', ')}`, '');
    if (p.onlyAfter.length) out.push(`New: ${p.onlyAfter.map(code).join(', ')}`, '');
    for (const e of [...changed, ...moved]) out.push(renderDiffMarkdown(e.diff, { title: `## ${esc(e.key)}` }));
    return `${out.join('\n')}\n`;
  }
  out.push(c.bold('ft-advisor diff · portfolio'), changed.length || p.onlyBefore.length || p.onlyAfter.length ? c.red.bold(head) : c.green(head));
  for (const k of p.onlyBefore) out.push(`  gone: ${stripTerminalControls(k)}`);
  for (const k of p.onlyAfter) out.push(`  new:  ${stripTerminalControls(k)}`);
  for (const e of [...changed, ...moved]) out.push('', renderDiffText(e.diff, { ...o, title: `── ${stripTerminalControls(e.key)}` }).trimEnd());
  const same = p.entries.length - changed.length - moved.length;
  if (same) out.push('', c.dim(`${same} unchanged.`));
  return `${out.join('\n')}\n`;
}
