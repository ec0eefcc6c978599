// The terminal report: verdict first, then the numbers behind it. Pure:
// (report, options) -> string. Colour only when the caller says so.
import { Chalk } from 'chalk';
import Table from 'cli-table3';
import type { Report } from '../engine/assess';
import { stripTerminalControls } from '../util/sanitize';
import { formatNumber } from '../util/format';
import { displayWidth, MIN_WIDTH, tableColumns, wrapToWidth } from '../util/wrap';
import { arrows, formula } from './typography';
import { confidenceOrigin } from './confidence';
import { evidenceTextLines } from './evidence-section';
import { dataEvidenceText } from './data-evidence';

export interface TextOptions {
  color: boolean;
  width?: number;
}

const fmt = (n: number) => formatNumber(n, 3);
const safe = (s: string) => stripTerminalControls(s);

export function renderText(report: Report, options: TextOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const width = Math.max(MIN_WIDTH, Math.min(options.width ?? 100, 110));
  const out: string[] = [];
  const line = (s = '') => out.push(s);
  const para = (s: string, indent = 2, style: (t: string) => string = (t) => t) => out.push(...wrapToWidth(s, width - indent).map((l) => ' '.repeat(indent) + style(l)));
  const bullet = (s: string, style: (t: string) => string = (t) => t, mark = '•') => out.push(...wrapToWidth(s, width - 4).map((l, i) => `  ${i === 0 ? `${mark} ` : '  '}${style(l)}`));
  /** A line that may be too long for the width (names, labels from files): wrapped, later lines indented. */
  const fitted = (s: string, indent = 2, hang = indent + 2) => {
    if (displayWidth(s) <= width - indent) return void out.push(' '.repeat(indent) + s);
    const [first = '', ...rest] = wrapToWidth(s, width - indent);
    out.push(' '.repeat(indent) + first);
    for (const l of rest.length ? wrapToWidth(rest.join(' '), width - hang) : []) out.push(' '.repeat(hang) + l);
  };
  const heading = (s: string) => {
    line();
    line(c.bold.underline(s));
  };
  const bandColor = (band: string) => (band === 'strong' || band === 'justified' ? c.green : band === 'moderate' || band === 'needs-evaluation' || band === 'marginal' ? c.yellow : c.red);

  const rec = report.recommendation;
  const fw = report.framework;
  fitted(`${c.bold(`ft-advisor · ${safe(report.useCase)}`)}  ${c.dim(`rules ${safe(report.rules.name)} ${safe(report.rules.version)}`)}`, 0, 2);
  if (report.description) para(safe(report.description), 0, c.dim);
  if (report.config) line(c.dim(`config ${safe(report.config)}`));
  line();
  const approachColor = rec.approach === 'fine-tune' || rec.approach === 'hybrid' ? c.magenta : rec.approach === 'rag' ? c.cyan : c.blue;
  fitted(`${c.inverse(' VERDICT ')} ${approachColor.bold(rec.title)}  ${c.dim('(')}${c.dim(rec.approach)}${c.dim(')')}`, 0, 2);
  para(rec.summary);
  if (rec.confidence === null && rec.action) para(`What it would take to fine-tune: ${rec.action}`, 2, c.dim);

  if (rec.method) {
    const m = rec.method;
    line();
    fitted(`${c.bold('Method')}  ${m.objectiveLabel} · ${m.techniqueLabel} · ${m.distillation ? 'with distillation' : 'no distillation'}  ${c.dim(`(compute: ${m.compute})`)}`, 0, 2);
    para(m.why);
    // The why lists later phases; a phase that falls back (DPO without pairs) is shown as such.
    if (m.phases.some((p) => p.instead)) {
      for (const p of m.phases) {
        const needs = p.needs.length ? ` (${p.needs.join(', ')})` : '';
        line(`  ${p.phase}. ${p.label}${needs}${p.instead ? c.yellow(` → ${p.instead.objective} instead`) : ''}`);
        if (p.instead) para(`because ${p.instead.reason}`, 5, c.dim);
      }
    }
  }

  if (report.problemTypes.length) {
    heading('What to try first, by problem type');
    for (const p of report.problemTypes) {
      fitted(`${c.bold(p.label)} ${c.dim(`(${p.need} → ${p.route})`)}`);
      if (p.tryFirst) para(p.tryFirst, 4);
    }
  }

  heading('Decision path');
  for (const step of report.decisionPath.steps) {
    const mark = step.answer === 'yes' ? c.green('✔') : step.answer === 'no' ? c.red('✘') : c.dim('·');
    fitted(`${mark} ${step.question} ${c.bold(step.answer)}`, 2, 4);
    if (step.answer !== 'not reached') para(arrows(step.because), 4, c.dim);
  }
  fitted(`→ ${c.bold(report.decisionPath.outcomeLabel)} (${report.decisionPath.treeApproach})`, 2, 4);
  for (const t of report.trace.filter((t) => t.kind === 'adjustment')) {
    fitted(`↳ ${c.bold(t.rule)}`, 2, 4);
    para(arrows(t.because), 4);
  }

  heading('Factors');
  const factorHead = ['Factor', 'Kind', 'Weight', 'Answer'];
  const factorRows = fw.factors.map((f) => {
    const answer = f.present ? (f.kind === 'indicator' ? c.green('yes') : c.red('yes')) : c.dim('no');
    return [safe(f.label), f.kind, f.weight ?? '', `${answer}${f.derived ? c.dim(' (derived)') : ''}`];
  });
  const table = new Table({
    head: factorHead,
    colWidths: tableColumns(factorHead, factorRows, width - 2, [4, 1, 1, 2]),
    style: { head: options.color ? ['cyan'] : [], border: options.color ? ['grey'] : [] },
    wordWrap: true,
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of factorRows) table.push(row);
  out.push(
    ...table
      .toString()
      .split('\n')
      .map((l) => `  ${l}`),
  );
  if (fw.ceilingPassed) line(`  Ceiling test: ${c.green('passed')}`);
  else para(`Ceiling test: not passed (open: ${fw.ceilingFailed.join(', ')})`, 2, c.red);

  heading('Scores');
  line(`  Confidence score  (${fw.indicators} − ${fw.antiIndicators}) / ${fw.totalFactors} = ${c.bold(fmt(fw.score))}  ${bandColor(fw.scoreBand)(fw.scoreBand)}`);
  line(`  Difference rule   ${fw.indicators} − ${fw.antiIndicators} = ${c.bold(String(fw.difference))}  ${bandColor(fw.differenceBand)(fw.differenceBand)}`);
  if (rec.confidence === null) {
    fitted(c.dim(`Confidence        none: it qualifies a fine-tuning verdict, and this one is ${rec.approach}.`), 2, 20);
  } else {
    fitted(`Confidence        ${bandColor(rec.confidence)(rec.confidence)}${c.dim(` (${confidenceOrigin(report)})`)}: ${rec.action}`, 2, 20);
    for (const limit of report.trace.filter((t) => t.kind === 'cap' || t.kind === 'floor')) bullet(`${limit.rule}: ${arrows(limit.because)}`, c.yellow, limit.kind === 'floor' ? '↑' : '↓');
  }
  fitted(c.dim(`Weighted score    ${fmt(fw.weightedScore)} (weights high/medium; informational)`), 2, 20);

  if (report.evidence) {
    const grid = (head: string[], rows: string[][]) => {
      const t = new Table({ head, style: { head: options.color ? ['cyan'] : [], border: options.color ? ['grey'] : [] }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
      t.push(...rows);
      return t.toString().split('\n');
    };
    const wrapped = (s: string, indent = 2) => wrap(s, width - indent).map((l) => ' '.repeat(indent) + l);
    out.push(...evidenceTextLines(report, { heading: (s) => c.bold.underline(s), bold: c.bold, dim: c.dim, green: c.green, yellow: c.yellow, red: c.red }, grid, wrapped));
  }

  const dr = report.dataReadiness;
  if (dr) {
    heading('Data readiness');
    if (dr.examples !== null && dr.levelLabel) fitted(`${fmt(dr.examples)} labelled examples: ${dr.levelLabel}`);
    if (dr.generated) para(dr.generated);
    for (const l of dr.lines) {
      const status = l.met === null ? c.yellow('unknown') : l.met ? c.green('ok') : c.red(`short by ${fmt(l.gap!)}`);
      fitted(`${l.what}: needs ${fmt(l.need)} ${DATA_WORDS[l.field] ?? l.field}, have ${l.have === null ? 'not given' : fmt(l.have)} → ${status}`);
    }
    if (dr.checklist) {
      for (const item of dr.checklist) fitted(`${item.done ? c.green('☑') : c.red('☐')} ${item.label}${item.derived ? c.dim(' (derived)') : ''}`);
    }
    para(dr.qualityNote, 2, c.dim);
  }
  out.push(...dataEvidenceText(report, { bold: (s) => c.bold.underline(s), yellow: c.yellow, dim: c.dim }));

  const e = report.economics;
  if (e) {
    heading('Economics');
    for (const step of e.steps) para(formula(step));
    if (e.breakEvenVerdict) line(`  Verdict: ${bandColor(e.breakEvenVerdict)(e.breakEvenVerdict)}`);
  }

  const r = report.rubric;
  if (r) {
    heading('Quality rubric');
    line(`  ${c.bold(`${r.score} / ${r.max}`)}  ${bandColor(r.band)(r.band)}`);
    if (r.weakest.length) para(`Improve first: ${r.weakest.map((w) => `${w.label} (${w.score}; aim for ${w.target})`).join('; ')}`);
  }

  if (report.resolutions.length) {
    heading('Where the sources disagree, and what this rule set does');
    for (const res of report.resolutions) {
      fitted(c.bold(res.title));
      para(res.decision, 4);
    }
  }

  if (report.nextSteps.length) {
    heading('Next steps');
    for (const s of report.nextSteps) bullet(s);
  }
  if (report.risks.length) {
    heading('Risks');
    for (const risk of report.risks) bullet(`${risk.title ? `${risk.title}: ` : ''}${risk.text}`);
  }
  if (report.warnings.length) {
    heading('Warnings');
    for (const w of report.warnings) bullet(w, c.yellow, '!');
  }
  if (report.whatIf.length) {
    heading('What would change the verdict');
    const shown = report.whatIf.slice(0, report.whatIfShown);
    for (const w of shown) fitted(`${w.path}: ${JSON.stringify(w.from)} → ${JSON.stringify(w.value)} gives ${c.bold(w.approach)}`);
    const more = report.whatIf.length - shown.length;
    if (more > 0) fitted(c.dim(`…and ${plural(more, 'other change')}; --format json lists them all.`));
  }
  line();
  fitted(c.dim(`${plural(report.trace.length, 'rule')} fired, ${report.notFired.length} did not; --format markdown or json lists them with their sources.`), 0, 0);
  return `${out.join('\n')}\n`;
}

const DATA_WORDS: Record<string, string> = { examples: 'examples', preferencePairs: 'preference pairs', documents: 'documents' };

function plural(n: number, word: string): string {
  return `${formatNumber(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** Lines of at most `width` display columns (see util/wrap.ts). */
export const wrap = wrapToWidth;
