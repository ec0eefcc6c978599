// The design-review report: GitHub-flavoured markdown with tables and a Mermaid
// flowchart of the decision path. Pure: (report) -> string. All user text escaped.
import { dataEvidenceMarkdown } from './data-evidence';
import { arrows, formula } from './typography';
import type { Report } from '../engine/assess';
import { escapeMarkdownInline, escapeMermaidLabel } from '../util/sanitize';
import { formatNumber } from '../util/format';
import { confidenceOrigin } from './confidence';
import { evidenceMarkdown } from './evidence-section';

const esc = escapeMarkdownInline;
const fmt = (n: number) => formatNumber(n, 3);
const DATA_WORDS: Record<string, string> = { examples: 'examples', preferencePairs: 'preference pairs', documents: 'documents' };
const APPROACH_TITLES: Record<string, string> = { prompt: 'Prompt engineering', rag: 'Retrieval (RAG)', 'fine-tune': 'Fine-tuning', hybrid: 'Hybrid (fine-tuning + RAG)' };

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function mermaidDecisionPath(report: Report): string {
  const steps = report.decisionPath.steps;
  const nodes: string[] = [];
  const edges: { line: string; taken: boolean }[] = [];
  const taken = new Set<string>(['start']);
  const edge = (from: string, to: string, label: string | undefined, isTaken: boolean, arrow = '-->') => {
    edges.push({ line: label ? `  ${from} -- ${label} ${arrow} ${to}` : `  ${from} ${arrow} ${to}`, taken: isTaken });
    if (isTaken) taken.add(to);
  };
  nodes.push('  start(["Start"])');
  steps.forEach((step, i) => {
    nodes.push(`  q${i}{"${escapeMermaidLabel(step.question)}"}`);
    nodes.push(`  o${i}["${escapeMermaidLabel(step.ifNo)}"]`);
  });
  nodes.push(`  cand["${escapeMermaidLabel(report.decisionPath.candidateLabel)}"]`);
  let prev = 'start';
  steps.forEach((step, i) => {
    edge(prev, `q${i}`, prev === 'start' ? undefined : 'yes', step.answer !== 'not reached');
    edge(`q${i}`, `o${i}`, 'no', step.answer === 'no');
    prev = `q${i}`;
  });
  edge(
    prev,
    'cand',
    steps.length ? 'yes' : undefined,
    steps.every((s) => s.answer === 'yes'),
  );

  // Adjustments that fired follow the tree's outcome, then the verdict.
  let from = [...taken].pop()!;
  report.trace
    .filter((t) => t.kind === 'adjustment')
    .forEach((t, i) => {
      const change = t.from && t.to ? `${t.from} → ${t.to}` : undefined;
      nodes.push(`  a${i}[/"${escapeMermaidLabel(change ? `${t.rule}: ${change}` : t.rule)}"/]`);
      edge(from, `a${i}`, undefined, true);
      from = `a${i}`;
    });
  nodes.push(`  verdict(["${escapeMermaidLabel(`Verdict: ${APPROACH_TITLES[report.recommendation.approach] ?? report.recommendation.approach}`)}"])`);
  edge(from, 'verdict', undefined, true, '==>');

  const all = ['start', ...steps.flatMap((_, i) => [`q${i}`, `o${i}`]), 'cand', ...[...taken].filter((n) => /^a\d+$/.test(n)), 'verdict'];
  const lines = ['flowchart TD', ...nodes, ...edges.map((e) => e.line)];
  lines.push('  classDef taken fill:#d9f2d9,stroke:#2e7d32,stroke-width:3px,color:#1b3d1b');
  lines.push('  classDef other fill:#f4f4f4,stroke:#bbbbbb,color:#777777');
  lines.push(`  class ${all.filter((n) => taken.has(n)).join(',')} taken`);
  const others = all.filter((n) => !taken.has(n));
  if (others.length) lines.push(`  class ${others.join(',')} other`);
  const takenEdges = edges.map((e, i) => (e.taken ? i : -1)).filter((i) => i >= 0);
  if (takenEdges.length) lines.push(`  linkStyle ${takenEdges.join(',')} stroke:#2e7d32,stroke-width:3px`);
  return lines.join('\n');
}

export function renderMarkdown(report: Report): string {
  const rec = report.recommendation;
  const fw = report.framework;
  const out: string[] = [];
  const push = (...s: string[]) => out.push(...s);

  push(`# ft-advisor: ${esc(report.useCase)}`, '');
  if (report.description) push(`> ${esc(report.description)}`, '');
  push(rec.confidence === null ? `**Verdict: ${rec.title}** (\`${rec.approach}\`).` : `**Verdict: ${rec.title}** (\`${rec.approach}\`), confidence **${rec.confidence}**.`, '', esc(rec.summary), '');
  if (rec.confidence === null && rec.action) push(`What it would take to fine-tune: ${esc(rec.action)}`, '');
  push(
    table(
      ['At a glance', ''],
      [
        ['Approach', `**${rec.title}**`],
        ['Method', rec.method ? `${rec.method.objectiveLabel} · ${rec.method.techniqueLabel} · ${rec.method.distillation ? 'with distillation' : 'no distillation'}` : 'none (no training)'],
        ...(rec.confidence !== null ? [['Confidence', `${rec.confidence} (${esc(confidenceOrigin(report))})`]] : []),
        ['Confidence score', `${fmt(fw.score)} (${fw.scoreBand})`],
        ['Difference rule', `${fw.difference} (${fw.differenceBand})`],
        ['Ceiling test', fw.ceilingPassed ? 'passed' : `not passed: ${esc(fw.ceilingFailed.join(', '))}`],
        ...(report.economics?.breakEvenVerdict != null
          ? [['Break-even', `${report.economics.breakEvenMonths === null ? 'never' : `${formatNumber(report.economics.breakEvenMonths, 4)} months`} (${report.economics.breakEvenVerdict})`]]
          : []),
        ...(report.rubric ? [['Rubric', `${report.rubric.score} / ${report.rubric.max} (${report.rubric.band})`]] : []),
        ['Rule set', `${esc(report.rules.name)} ${esc(report.rules.version)}`],
        ...(report.config ? [['Config', `\`${esc(report.config)}\``]] : []),
      ],
    ),
    '',
  );

  if (report.problemTypes.length) {
    push('## What to try first, by problem type', '');
    push(
      table(
        ['Need', 'Goes to', 'Try first', 'Source'],
        report.problemTypes.map((p) => [esc(p.label), p.route, esc(p.tryFirst), esc(p.source)]),
      ),
      '',
    );
  }

  push('## Decision path', '', '```mermaid', mermaidDecisionPath(report), '```', '');
  push(
    table(
      ['Step', 'Answer', 'Because'],
      report.decisionPath.steps.map((s) => [esc(s.question), s.answer, esc(arrows(s.because))]),
    ),
    '',
  );
  const adjustments = report.trace.filter((t) => t.kind === 'adjustment');
  if (adjustments.length) {
    push('Then, after the tree:', '');
    for (const a of adjustments) push(`- \`${a.rule}\`: ${esc(arrows(a.because))}`);
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
    rec.confidence === null
      ? `No overall confidence: it qualifies a fine-tuning verdict, and this one is \`${rec.approach}\`.`
      : `Overall confidence: **${rec.confidence}** (${esc(confidenceOrigin(report))}). ${esc(rec.action)}`,
    '',
  );
  const caps = report.trace.filter((t) => t.kind === 'cap' || t.kind === 'floor');
  if (caps.length) push('Limits on the confidence:', '', ...caps.map((c) => `- \`${c.rule}\`: ${esc(arrows(c.because))}`), '');

  if (rec.method) {
    const m = rec.method;
    push('## Method', '', table(['Objective', 'Technique', 'Distillation', 'Compute'], [[m.objectiveLabel, m.techniqueLabel, m.distillation ? 'yes' : 'no', m.compute]]), '', esc(m.why), '');
    if (m.phases.length > 1 || m.phases.some((p) => p.instead)) {
      push(
        table(
          ['Phase', 'Objective', 'For needs', 'Note'],
          m.phases.map((p) => [String(p.phase), p.label, p.needs.join(', '), p.instead ? esc(`instead: ${p.instead.objective}, because ${p.instead.reason}`) : '']),
        ),
        '',
      );
    }
  }

  if (report.evidence) push(...evidenceMarkdown(report));

  const dr = report.dataReadiness;
  if (dr) {
    push('## Data readiness', '');
    if (dr.examples !== null && dr.levelLabel) push(`${fmt(dr.examples)} labelled examples: ${esc(dr.levelLabel)}.`, '');
    if (dr.generated) push(esc(dr.generated), '');
    if (dr.lines.length) {
      push(
        table(
          ['Requirement', 'Needs', 'Have', 'Gap', 'Source'],
          dr.lines.map((l) => [
            esc(l.what),
            `${fmt(l.need)} ${DATA_WORDS[l.field]}`,
            l.have === null ? 'not given' : fmt(l.have),
            l.met === null ? 'unknown' : l.met ? 'met' : `**${fmt(l.gap!)} short**`,
            esc(l.source),
          ]),
        ),
        '',
      );
    }
    if (dr.checklist) {
      push('Data preparation checklist:', '');
      for (const item of dr.checklist) push(`- [${item.done ? 'x' : ' '}] ${esc(item.label)}${item.derived ? ' _(derived)_' : ''}`);
      push('');
    }
    push(`_${esc(dr.qualityNote)}_`, '');
  }
  push(...dataEvidenceMarkdown(report, esc));

  const e = report.economics;
  if (e) {
    push('## Economics', '');
    const rows: string[][] = [];
    if (e.tokensPerDayNow !== null) {
      rows.push(['Tokens per day now', fmt(e.tokensPerDayNow)], ['Tokens per day tuned', fmt(e.tokensPerDayTuned!)], ['Token reduction', `${(e.tokenReduction! * 100).toFixed(1)}%`]);
    }
    if (e.completionTokensPerDay !== null) rows.push(['Completion tokens per day (unchanged)', fmt(e.completionTokensPerDay)]);
    if (e.costPerDayNow !== null) rows.push(['Cost per day now / tuned', `${fmt(e.costPerDayNow)} / ${fmt(e.costPerDayTuned!)}`]);
    if (e.upfrontCost !== null) rows.push(['Upfront cost', fmt(e.upfrontCost)]);
    if (e.monthlyApiSavings !== null) rows.push(['Monthly API savings', `${fmt(e.monthlyApiSavings)}${e.monthlyApiSavingsDerived ? ' (derived from usage)' : ''}`]);
    if (e.monthlyNetBenefit !== null) rows.push(['Monthly net benefit', fmt(e.monthlyNetBenefit)]);
    if (e.breakEvenVerdict !== null) rows.push(['Break-even', `${e.breakEvenMonths === null ? 'never' : `${formatNumber(e.breakEvenMonths, 4)} months`} (**${e.breakEvenVerdict}**)`]);
    push(table(['Figure', 'Value'], rows), '', 'How:', '', ...e.steps.map((s) => `- ${formula(s)}`), '');
  }

  const r = report.rubric;
  if (r) {
    push('## Quality rubric', '', `**${r.score} / ${r.max}: ${r.band}**`, '');
    push(
      table(
        ['Dimension', 'Score', 'To reach 5'],
        r.dimensions.map((d) => [esc(d.label), String(d.score), d.score < 5 ? esc(d.target) : '']),
      ),
      '',
    );
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
    const shown = report.whatIf.slice(0, report.whatIfShown);
    push(
      table(
        ['Answer', 'Now', 'Changed to', 'Verdict'],
        shown.map((w) => [`\`${w.path}\``, esc(JSON.stringify(w.from)), esc(JSON.stringify(w.value)), APPROACH_TITLES[w.approach] ?? w.approach]),
      ),
      '',
    );
    const more = report.whatIf.length - shown.length;
    if (more > 0) push(`…and ${more} other change${more === 1 ? '' : 's'}, nearest first above; \`--format json\` lists them all.`, '');
  } else push('## What would change the verdict', '', 'No single answer changes the verdict on its own.', '');

  if (report.resolutions.length) {
    push('## Where the source documents disagree', '');
    for (const res of report.resolutions) {
      push(`### ${esc(res.title)}`, '', `- **Conflict:** ${esc(res.conflict)}`, `- **Resolution:** ${esc(res.decision)}`, `- **Why:** ${esc(res.why)}`, `- _Sources: ${esc(res.source)}_`, '');
    }
  }

  push('## Trace', '', '<details><summary>Rules that fired, and those that did not</summary>', '');
  push(
    table(
      ['Rule', 'Fired', 'Because', 'Source'],
      [...report.trace.map((t) => [`\`${t.rule}\``, 'yes', esc(arrows(t.because)), esc(t.source)]), ...report.notFired.map((t) => [`\`${t.rule}\``, 'no', esc(arrows(t.because)), esc(t.source)])],
    ),
    '',
    '</details>',
    '',
  );
  push(`_Generated by ft-advisor with rule set ${esc(report.rules.name)} ${esc(report.rules.version)}._`, '');
  return out.join('\n');
}
