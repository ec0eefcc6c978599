// The design-review report: GitHub-flavoured markdown with tables and a Mermaid
// flowchart of the decision path. Pure: (report) -> string. All user text escaped.
import type { Report } from '../engine/assess';
import { escapeMarkdownInline, escapeMermaidLabel } from '../util/sanitize';
import { formatNumber } from '../util/format';

const esc = escapeMarkdownInline;
const fmt = (n: number) => formatNumber(n, 3);
const APPROACH_TITLES: Record<string, string> = { prompt: 'Prompt engineering', rag: 'Retrieval (RAG)', 'fine-tune': 'Fine-tuning', hybrid: 'Hybrid (fine-tuning + RAG)' };

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function mermaidDecisionPath(report: Report): string {
  const steps = report.decisionPath.steps;
  const lines = ['flowchart TD'];
  const taken: string[] = [];
  lines.push('  start(["Start"])');
  taken.push('start');
  let prev = 'start';
  steps.forEach((step, i) => {
    const id = `q${i}`;
    lines.push(`  ${id}{"${escapeMermaidLabel(step.question)}"}`);
    lines.push(prev === 'start' ? `  ${prev} --> ${id}` : `  ${prev} -- yes --> ${id}`);
    if (step.answer !== 'not reached') taken.push(id);
    prev = id;
  });
  // Each "no" leads to its own outcome; the last "yes" leads to the candidate.
  const noOutcomes = report.decisionPath.steps.map((_, i) => `o${i}`);
  steps.forEach((step, i) => {
    const label = step.ifNo;
    lines.push(`  ${noOutcomes[i]}["${escapeMermaidLabel(label)}"]`);
    lines.push(`  q${i} -- no --> ${noOutcomes[i]}`);
    if (step.answer === 'no') taken.push(noOutcomes[i]!);
  });
  const last = steps.length ? `q${steps.length - 1}` : 'start';
  lines.push(`  cand["${escapeMermaidLabel(report.decisionPath.candidateLabel)}"]`);
  lines.push(`  ${last} -- yes --> cand`);
  if (steps.every((s) => s.answer === 'yes')) taken.push('cand');

  // Adjustments that fired, after the tree's outcome, and the final verdict.
  let from = taken[taken.length - 1]!;
  report.trace
    .filter((t) => t.kind === 'adjustment')
    .forEach((t, i) => {
      const id = `a${i}`;
      lines.push(`  ${id}[/"${escapeMermaidLabel(t.rule)}"/]`);
      lines.push(`  ${from} --> ${id}`);
      taken.push(id);
      from = id;
    });
  lines.push(`  verdict(["${escapeMermaidLabel(`Verdict: ${APPROACH_TITLES[report.recommendation.approach] ?? report.recommendation.approach}`)}"])`);
  lines.push(`  ${from} ==> verdict`);
  taken.push('verdict');
  lines.push('  classDef taken fill:#d9f2d9,stroke:#2e7d32,stroke-width:3px,color:#1b3d1b');
  lines.push('  classDef other fill:#f4f4f4,stroke:#bbbbbb,color:#777777');
  const all = ['start', ...steps.map((_, i) => `q${i}`), ...noOutcomes, 'cand'];
  const others = all.filter((n) => !taken.includes(n));
  lines.push(`  class ${taken.join(',')} taken`);
  if (others.length) lines.push(`  class ${others.join(',')} other`);
  return lines.join('\n');
}

export function renderMarkdown(report: Report): string {
  const rec = report.recommendation;
  const fw = report.framework;
  const out: string[] = [];
  const push = (...s: string[]) => out.push(...s);

  push(`# ft-advisor: ${esc(report.useCase)}`, '');
  if (report.description) push(`> ${esc(report.description)}`, '');
  push(`**Verdict: ${rec.title}** (\`${rec.approach}\`), confidence **${rec.confidence}**.`, '', rec.summary, '');
  push(
    table(
      ['', ''],
      [
        ['Approach', `**${rec.title}**`],
        ['Method', rec.method ? `${rec.method.objectiveLabel} · ${rec.method.techniqueLabel} · ${rec.method.distillation ? 'with distillation' : 'no distillation'}` : 'none (no training)'],
        ['Confidence score', `${fmt(fw.score)} (${fw.scoreBand})`],
        ['Difference rule', `${fw.difference} (${fw.differenceBand})`],
        ['Ceiling test', fw.ceilingPassed ? 'passed' : `not passed: ${esc(fw.ceilingFailed.join(', '))}`],
        ...(report.economics?.breakEvenMonths != null ? [['Break-even', `${fmt(report.economics.breakEvenMonths)} months (${report.economics.breakEvenVerdict})`]] : []),
        ...(report.rubric ? [['Rubric', `${report.rubric.score} / ${report.rubric.max} (${report.rubric.band})`]] : []),
        ['Rule set', `${esc(report.rules.name)} ${esc(report.rules.version)}`],
      ],
    ),
    '',
  );

  if (report.problemTypes.length) {
    push('## What to try first, by problem type', '');
    push(table(['Need', 'Goes to', 'Try first', 'Source'], report.problemTypes.map((p) => [esc(p.label), p.route, esc(p.tryFirst), esc(p.source)])), '');
  }

  push('## Decision path', '', '```mermaid', mermaidDecisionPath(report), '```', '');
  push(
    table(
      ['Step', 'Answer', 'Because'],
      report.decisionPath.steps.map((s) => [esc(s.question), s.answer, esc(s.because)]),
    ),
    '',
  );
  const adjustments = report.trace.filter((t) => t.kind === 'adjustment');
  if (adjustments.length) {
    push('Then, after the tree:', '');
    for (const a of adjustments) push(`- \`${a.rule}\`: ${esc(a.because)}`);
    push('');
  }

  push('## Factors', '');
  push(
    table(
      ['Factor', 'Kind', 'Weight', 'Present', 'Source'],
      fw.factors.map((f) => [esc(f.label), f.kind, f.weight ?? '', `${f.present ? '**yes**' : 'no'}${f.derived ? ' (derived)' : ''}`, esc(f.source)]),
    ),
    '',
  );
  push('## Scores and how they were reconciled', '');
  push(
    table(
      ['Measure', 'Formula', 'Value', 'Band'],
      [
        ['Confidence score', `(${fw.indicators} − ${fw.antiIndicators}) / ${fw.totalFactors}`, fmt(fw.score), fw.scoreBand],
        ['Difference rule', `${fw.indicators} − ${fw.antiIndicators}`, String(fw.difference), fw.differenceBand],
        ['Weighted score (informational)', 'Σ weights present, indicators − anti-indicators, / Σ all weights', fmt(fw.weightedScore), ''],
      ],
    ),
    '',
    `Overall confidence: **${fw.confidence}**${fw.bandsAgree ? ' (both bands agree)' : ' (the bands disagree; the more cautious one is used)'}. ${rec.action}`,
    '',
  );
  const caps = report.trace.filter((t) => t.kind === 'cap');
  if (caps.length) push('Limits on the confidence:', '', ...caps.map((c) => `- \`${c.rule}\`: ${esc(c.because)}`), '');

  if (rec.method) {
    const m = rec.method;
    push('## Method', '', table(['Objective', 'Technique', 'Distillation', 'Compute'], [[m.objectiveLabel, m.techniqueLabel, m.distillation ? 'yes' : 'no', m.compute]]), '', esc(m.why), '');
    if (m.phases.length > 1 || m.phases.some((p) => p.instead)) {
      push(table(['Phase', 'Objective', 'For needs', 'Note'], m.phases.map((p) => [String(p.phase), p.label, p.needs.join(', '), p.instead ? esc(`instead: ${p.instead.objective}, because ${p.instead.reason}`) : ''])), '');
    }
  }

  const dr = report.dataReadiness;
  if (dr) {
    push('## Data readiness', '');
    if (dr.examples !== null) push(`${fmt(dr.examples)} labelled examples: ${esc(dr.levelLabel ?? '')}.`, '');
    if (dr.lines.length) {
      push(table(['Requirement', 'Needs', 'Have', 'Gap', 'Source'], dr.lines.map((l) => [esc(l.what), `${fmt(l.need)} ${l.field}`, l.have === null ? 'not given' : fmt(l.have), l.met === null ? 'unknown' : l.met ? 'met' : `**${fmt(l.gap!)} short**`, esc(l.source)])), '');
    }
    if (dr.checklist) {
      push('Data preparation checklist:', '');
      for (const item of dr.checklist) push(`- [${item.done ? 'x' : ' '}] ${esc(item.label)}${item.derived ? ' _(derived)_' : ''}`);
      push('');
    }
    push(`_${esc(dr.qualityNote)}_`, '');
  }

  const e = report.economics;
  if (e) {
    push('## Economics', '');
    const rows: string[][] = [];
    if (e.tokensPerDayNow !== null) {
      rows.push(['Tokens per day now', fmt(e.tokensPerDayNow)], ['Tokens per day tuned', fmt(e.tokensPerDayTuned!)], ['Token reduction', `${(e.tokenReduction! * 100).toFixed(1)}%`]);
    }
    if (e.costPerDayNow !== null) rows.push(['Cost per day now / tuned', `${fmt(e.costPerDayNow)} / ${fmt(e.costPerDayTuned!)}`]);
    if (e.upfrontCost !== null) rows.push(['Upfront cost', fmt(e.upfrontCost)]);
    if (e.monthlyApiSavings !== null) rows.push(['Monthly API savings', `${fmt(e.monthlyApiSavings)}${e.monthlyApiSavingsDerived ? ' (derived from usage)' : ''}`]);
    if (e.monthlyNetBenefit !== null) rows.push(['Monthly net benefit', fmt(e.monthlyNetBenefit)]);
    if (e.breakEvenVerdict !== null) rows.push(['Break-even', `${e.breakEvenMonths === null ? 'never' : `${fmt(e.breakEvenMonths)} months`} (**${e.breakEvenVerdict}**)`]);
    push(table(['Figure', 'Value'], rows), '', 'How:', '', ...e.steps.map((s) => `- ${s}`), '');
  }

  const r = report.rubric;
  if (r) {
    push('## Quality rubric', '', `**${r.score} / ${r.max}: ${r.band}**`, '');
    push(table(['Dimension', 'Score', 'To reach 5'], r.dimensions.map((d) => [esc(d.label), String(d.score), d.score < 5 ? esc(d.target) : ''])), '');
    if (r.weakest.length) push(`Improve first: ${r.weakest.map((w) => esc(w.label)).join(', ')}.`, '');
  }

  if (report.nextSteps.length) {
    push('## Alternatives and next steps', '');
    for (const s of report.nextStepItems) push(`- ${esc(s.text)} _(${esc(s.source)})_`);
    push('');
  }
  if (report.risks.length || report.evaluationPlan.length) {
    push('## Risks and evaluation plan', '');
    for (const risk of report.risks) push(`- **${esc(risk.title ?? risk.id)}**: ${esc(risk.text)} _(${esc(risk.source)})_`);
    if (report.evaluationPlan.length) {
      push('', 'Evaluation plan:', '');
      for (const step of report.evaluationPlan) push(`1. ${esc(step.text)}`);
    }
    push('');
  }
  if (report.warnings.length) {
    push('## Warnings', '');
    for (const w of report.warningItems) push(`> [!WARNING]`, `> ${esc(w.text)}`, '');
  }
  if (report.whatIf.length) {
    push('## What would change the verdict', '');
    push(table(['Answer', 'Now', 'Changed to', 'Verdict'], report.whatIf.map((w) => [`\`${w.path}\``, esc(JSON.stringify(w.from)), esc(JSON.stringify(w.value)), APPROACH_TITLES[w.approach] ?? w.approach])), '');
  } else push('## What would change the verdict', '', 'No single answer changes the verdict on its own.', '');

  if (report.resolutions.length) {
    push('## Where the source documents disagree', '');
    for (const res of report.resolutions) {
      push(`### ${esc(res.title)}`, '', `- **Conflict:** ${esc(res.conflict)}`, `- **Resolution:** ${esc(res.decision)}`, `- **Why:** ${esc(res.why)}`, `- _Sources: ${esc(res.source)}_`, '');
    }
  }

  push('## Trace', '', '<details><summary>Rules that fired, and those that did not</summary>', '');
  push(table(['Rule', 'Fired', 'Because', 'Source'], [...report.trace.map((t) => [`\`${t.rule}\``, 'yes', esc(t.because), esc(t.source)]), ...report.notFired.map((t) => [`\`${t.rule}\``, 'no', esc(t.because), esc(t.source)])]), '', '</details>', '');
  push(`_Generated by ft-advisor with rule set ${esc(report.rules.name)} ${esc(report.rules.version)}._`, '');
  return out.join('\n');
}
