// A decision record: the line JSON Lines output carries per use case. Batches run to
// tens of thousands of use cases a second, and a full report (~20 KB) mostly repeats the
// rule set's own texts (factor labels and sources, risks, resolutions, the evaluation
// plan). A record keeps everything the public contract names for `--format json`, plus
// the answers and derived values that `ft-advisor diff` explains changes with, and
// leaves out every `source` (the rule set's citations: the same for every use case, and
// a sixth of a record). The full report of any one use case is a
// `assess --answers <file> --format json` away.
import type { Report, ReportCore } from '../engine/assess';
import type { Method, MethodPhase } from '../engine/method';

export const RECORD_FIELDS = [
  'schemaVersion',
  'useCase',
  'rules',
  'recommendation',
  'framework',
  'trace',
  'nextSteps',
  'warnings',
  'economics',
  'rubric',
  'whatIf',
  'derived',
  'answers',
] as const satisfies readonly (keyof Report)[];

type Evidence = NonNullable<Report['evidence']>;
type RecordEvidence = {
  files: Omit<Evidence['files'][number], 'eval'>[];
  filled: Omit<Evidence['filled'][number], 'source'>[];
  confirmed: Omit<Evidence['confirmed'][number], 'source'>[];
  contradictions: Omit<Evidence['contradictions'][number], 'source'>[];
  findings: Omit<NonNullable<Evidence['findings']>[number], 'source'>[];
  warnings?: Omit<NonNullable<Evidence['warnings']>[number], 'source'>[];
};

export type DecisionRecord = Pick<ReportCore, 'schemaVersion' | 'useCase' | 'rules' | 'framework' | 'nextSteps' | 'warnings' | 'economics' | 'rubric' | 'whatIf' | 'answers'> & {
  evidence?: RecordEvidence;
  recommendation: Omit<Report['recommendation'], 'method'> & { method: Omit<Method, 'sources'> | null };
  trace: Omit<Report['trace'][number], 'source'>[];
  derived: Omit<Report['derived'][number], 'source'>[];
};

/** The framework figures without the per-factor list (a core has none to begin with). */
function withoutFactors(fw: Report['framework'] | ReportCore['framework']): ReportCore['framework'] {
  if (!('factors' in fw)) return fw;
  const { factors: _factors, ...figures } = fw;
  return figures;
}

/** The record of a report, or of the core of one (engine/assess.ts assessCore, which batches use). */
export function decisionRecord(report: Report | ReportCore): DecisionRecord {
  const { recommendation: rec, framework: fw } = report;
  const m = rec.method;
  // Built field by field, in RECORD_FIELDS order (test/cli/batch.test.ts holds the two together).
  return {
    schemaVersion: report.schemaVersion,
    useCase: report.useCase,
    rules: report.rules,
    recommendation: {
      approach: rec.approach,
      method: m && {
        objective: m.objective,
        technique: m.technique,
        distillation: m.distillation,
        why: m.why,
        objectiveLabel: m.objectiveLabel,
        techniqueLabel: m.techniqueLabel,
        compute: m.compute,
        phases: m.phases,
      },
      summary: rec.summary,
      title: rec.title,
      confidence: rec.confidence,
      action: rec.action,
      decidedBy: rec.decidedBy,
      reason: rec.reason,
    },
    framework: withoutFactors(fw),
    trace: report.trace.map((t) =>
      t.to === undefined
        ? { rule: t.rule, because: t.because, kind: t.kind }
        : t.from === undefined
          ? { rule: t.rule, because: t.because, kind: t.kind, to: t.to }
          : { rule: t.rule, because: t.because, kind: t.kind, from: t.from, to: t.to },
    ),
    nextSteps: report.nextSteps,
    warnings: report.warnings,
    economics: report.economics,
    rubric: report.rubric,
    whatIf: report.whatIf,
    derived: report.derived.map((d) => ({ path: d.path, value: d.value, because: d.because })),
    answers: report.answers,
    // Only with evidence files: what they settled backs the decision, so the record keeps it.
    ...(report.evidence ? { evidence: recordEvidence(report.evidence) } : {}),
  };
}

/**
 * A batch's record for a use case as one JSON object: `file` and `line` first, then the
 * record. With `answersText`, the answers are that text as given (a JSON Lines line that
 * JSON.parse read and the duplicate-key check passed): the same JSON value as the parsed
 * answers, and no serialising them again. With `textsAreSafe` (what `textsNeedNoEscaping`
 * says of the rule set and answers), the texts go between quotes unchecked.
 *
 * Written field by field, the same text as JSON.stringify of
 * `{ file, line, ...decisionRecord(report) }` (test/property/engine.property.test.ts holds
 * the two together, byte for byte): Node 20's JSON.stringify spends more on each of a
 * record's ~90 keys and ~60 short strings than on their characters, and here the keys are
 * literals and no record object is built. Measured in-process, ~5% of a batch's time a use
 * case (docs/performance.md). Strings go between the template's own quotes, escaped by
 * `str` when they need it.
 *
 * Rule-set ids, approaches and engine constants (a trace entry's kind) go between quotes
 * without that check: the rules schema allows ids only letters, digits, "-", "_" and "."
 * (test/rules/load.test.ts checks that ids with a character JSON escapes are refused),
 * approaches are a fixed list, and records are only written for rule sets that were
 * validated. They are a third of a record's strings.
 */
export function decisionRecordLine(report: Report | ReportCore, file: string, line: number | undefined, answersText?: string, textsAreSafe = false): string {
  checkTexts = !textsAreSafe;
  const rec = report.recommendation;
  const m = rec.method;
  const fw = report.framework;
  let out = `{"file":"${str(file)}",${line === undefined ? '' : `"line":${json(line)},`}"schemaVersion":${json(report.schemaVersion)},"useCase":"${text(report.useCase)}","rules":{"name":"${text(report.rules.name)}","version":"${text(report.rules.version)}"}`;
  out += `,"recommendation":{"approach":"${rec.approach}","method":`;
  if (m) {
    out += `{"objective":"${m.objective}","technique":"${m.technique}","distillation":${json(m.distillation)},"why":"${text(m.why)}","objectiveLabel":"${text(m.objectiveLabel)}","techniqueLabel":"${text(m.techniqueLabel)}","compute":"${text(m.compute)}","phases":${phasesJson(m.phases)}}`;
  } else out += 'null';
  out += `,"summary":"${text(rec.summary)}","title":"${text(rec.title)}","confidence":${rec.confidence === null ? 'null' : `"${rec.confidence}"`},"action":"${text(rec.action)}","decidedBy":"${text(rec.decidedBy)}","reason":"${text(rec.reason)}"}`;
  out += `,"framework":{"ceilingPassed":${json(fw.ceilingPassed)},"ceilingFailed":${textList(fw.ceilingFailed)},"indicators":${json(fw.indicators)},"antiIndicators":${json(fw.antiIndicators)},"totalFactors":${json(fw.totalFactors)},"score":${json(fw.score)},"scoreBand":"${fw.scoreBand}","difference":${json(fw.difference)},"differenceBand":"${fw.differenceBand}","confidence":"${fw.confidence}","bandsConfidence":"${fw.bandsConfidence}","bandsAgree":${json(fw.bandsAgree)},"weightedScore":${json(fw.weightedScore)}}`;
  out += ',"trace":[';
  for (let i = 0; i < report.trace.length; i++) {
    const t = report.trace[i]!;
    out += `${i ? ',' : ''}{"rule":"${t.rule}","because":"${text(t.because)}","kind":"${t.kind}"`;
    if (t.to === undefined) out += '}';
    else out += t.from === undefined ? `,"to":"${t.to}"}` : `,"from":"${t.from}","to":"${t.to}"}`;
  }
  out += `],"nextSteps":${textList(report.nextSteps)},"warnings":${textList(report.warnings)},"economics":`;
  const e = report.economics;
  if (e) {
    out += `{"tokensPerRequestNow":${json(e.tokensPerRequestNow)},"tokensPerRequestTuned":${json(e.tokensPerRequestTuned)},"tokensPerDayNow":${json(e.tokensPerDayNow)},"tokensPerDayTuned":${json(e.tokensPerDayTuned)},"tokenReduction":${json(e.tokenReduction)},"completionTokensPerDay":${json(e.completionTokensPerDay)},"costPerDayNow":${json(e.costPerDayNow)},"costPerDayTuned":${json(e.costPerDayTuned)},"upfrontCost":${json(e.upfrontCost)},"monthlyApiSavings":${json(e.monthlyApiSavings)},"monthlyApiSavingsDerived":${json(e.monthlyApiSavingsDerived)},"monthlyNetBenefit":${json(e.monthlyNetBenefit)},"breakEvenMonths":${json(e.breakEvenMonths)},"breakEvenVerdict":${json(e.breakEvenVerdict)},"monthlyNetBenefitNeeded":${json(e.monthlyNetBenefitNeeded)},"monthlyNetBenefitToPayBack":${json(e.monthlyNetBenefitToPayBack)},"steps":${textList(e.steps)}}`;
  } else out += 'null';
  out += `,"rubric":${json(report.rubric)},"whatIf":[`;
  for (let i = 0; i < report.whatIf.length; i++) {
    const w = report.whatIf[i]!;
    out += `${i ? ',' : ''}{"path":"${w.path}","value":${json(w.value)},"approach":"${w.approach}","from":${json(w.from)}}`;
  }
  out += '],"derived":[';
  for (let i = 0; i < report.derived.length; i++) {
    const d = report.derived[i]!;
    out += `${i ? ',' : ''}{"path":"${d.path}","value":${json(d.value)},"because":"${text(d.because)}"}`;
  }
  out += `],"answers":${answersText === undefined ? JSON.stringify(report.answers) : answersText.trim()}`;
  return report.evidence ? `${out},"evidence":${JSON.stringify(recordEvidence(report.evidence))}}` : `${out}}`;
}

/**
 * The evidence as a record carries it: which files, and what they filled, confirmed,
 * contradicted and found, without the eval's prompt x provider table (the same for every
 * use case that shares the file, and as long as the rest of the record) and without the
 * `source` citations, as everywhere in a record.
 */
function recordEvidence(evidence: NonNullable<Report['evidence']>): RecordEvidence {
  const cut = <T extends { source: string }>(items: readonly T[]): Omit<T, 'source'>[] => items.map(({ source: _s, ...rest }) => rest);
  return {
    files: evidence.files.map(({ eval: _table, ...file }) => file),
    filled: cut(evidence.filled),
    confirmed: cut(evidence.confirmed),
    contradictions: cut(evidence.contradictions),
    findings: cut(evidence.findings ?? []),
    ...(evidence.warnings ? { warnings: cut(evidence.warnings) } : {}),
  };
}

/** What JSON.stringify writes escaped in a string: quote, backslash, controls, and lone surrogates. */
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * A value as JSON.stringify writes it: strings (through `str`), numbers and booleans
 * here, anything else (objects, arrays) by JSON.stringify.
 * A record's members are never undefined (the property test would see a difference).
 */
function json(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `"${str(value)}"`;
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      if (value === null) return 'null';
      // What-if values and starting points that are lists are lists of choices: written
      // here rather than by JSON.stringify, whose every call costs more than such a list.
      if (isTextList(value)) return textList(value);
      return JSON.stringify(value) ?? 'null';
  }
}

function isTextList(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') return false;
  return true;
}

/** A method's phases, as JSON.stringify writes them (`instead` only when set). */
function phasesJson(phases: readonly MethodPhase[]): string {
  let out = '[';
  for (let i = 0; i < phases.length; i++) {
    const p = phases[i]!;
    out += `${i ? ',' : ''}{"phase":${json(p.phase)},"objective":"${p.objective}","label":"${text(p.label)}","needs":${textList(p.needs)}`;
    out += p.instead ? `,"instead":{"objective":"${p.instead.objective}","reason":"${text(p.instead.reason)}"}}` : '}';
  }
  return `${out}]`;
}

/**
 * Whether the record being written checks its texts for what JSON escapes. Set by
 * decisionRecordLine for each record: a module variable, not a parameter, so that the
 * writer's helpers stay calls V8 inlines.
 */
let checkTexts = true;

/** A text of the record (a rule's wording, a label, the use case's name) between quotes. */
function text(value: string): string {
  return checkTexts ? str(value) : value;
}

function textList(list: readonly string[]): string {
  if (list.length === 0) return '[]';
  let out = `["${text(list[0]!)}`;
  for (let i = 1; i < list.length; i++) out += `","${text(list[i]!)}`;
  return `${out}"]`;
}

/**
 * A string's JSON text without its quotes, which the caller writes around it (two fewer
 * strings to concatenate per value): the string itself when there is nothing to escape.
 */
function str(value: string): string {
  return NEEDS_ESCAPING.test(value) ? JSON.stringify(value).slice(1, -1) : value;
}

/**
 * Whether no text of a record made from these answers under this rule set needs escaping,
 * told without reading the texts. A record's texts are made of the rule set's strings, the
 * answers' strings, formatted numbers and the engine's own words, and joining strings
 * cannot make a character that needs escaping: so when the rule set's strings (checked once
 * per rule set) and the answers' strings (a handful per use case) need none, no text does.
 * The engine's own words never need any: test/property/engine.property.test.ts writes
 * records both ways for random answers and rule sets and compares them byte for byte.
 *
 * Why: checking each of a record's ~27 texts (~2,000 characters) with a regular expression
 * was the largest single cost in writing it; skipping it saves ~4% of a 20,000-line batch
 * (docs/performance.md).
 */
export function textsNeedNoEscaping(rules: object, answers: unknown): boolean {
  let safe = safeRuleSets.get(rules);
  // A rule set may share objects between its parts: each is read once. Its keys are read
  // too; the answers' keys are not: validated answers have only the rule set's ids as keys.
  if (safe === undefined) safeRuleSets.set(rules, (safe = stringsNeedNoEscaping(rules, new Set())));
  return safe && stringsNeedNoEscaping(answers);
}

const safeRuleSets = new WeakMap<object, boolean>();

/**
 * Whether every string in a JSON-like value is free of what JSON escapes. With `seen` (a
 * rule set), keys too, and each object once.
 */
function stringsNeedNoEscaping(root: unknown, seen?: Set<object>): boolean {
  const stack: unknown[] = [root];
  while (stack.length) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (NEEDS_ESCAPING.test(value)) return false;
    } else if (value !== null && typeof value === 'object') {
      if (seen) {
        if (seen.has(value)) continue;
        seen.add(value);
      }
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) stack.push(value[i]);
        continue;
      }
      for (const key in value) {
        if (seen && NEEDS_ESCAPING.test(key)) return false;
        const v = (value as Record<string, unknown>)[key];
        // Most answers are yes/no and numbers: only strings and containers go on the stack.
        if (typeof v === 'string' || (v !== null && typeof v === 'object')) stack.push(v);
      }
    }
  }
  return true;
}
