// `data inspect --format markdown`: the data report for a pull request or a wiki. Pure.
import type { DataReport } from '../evidence/data/report';
import { formatNumber } from '../util/format';
import { duplicatesLine, formatLine, headline, holdoutLines, mixedLine, piiRows, problemRows, qualityLine, tokensLine, usableLine, type Row } from './data-summary';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function renderDataMarkdown(report: DataReport): string {
  const out: string[] = [];
  const f = report.findings;
  const table = (head: string, list: Row[]) => {
    out.push('', `| ${head} | lines | where |`, '| --- | ---: | --- |');
    for (const r of list) out.push(`| ${cell(r.label)} | ${formatNumber(r.count)} | ${cell(r.lines)} |`);
  };
  out.push(`## Training data: ${cell(headline(report))}`, '');
  out.push(`- **Format:** ${cell(formatLine(report))}`);
  const mixed = mixedLine(report);
  if (mixed) out.push(`- **Mixed formats:** ${cell(mixed)}`);
  out.push(`- **Examples:** ${cell(usableLine(report))}`);
  out.push(`- **Duplicates:** ${cell(duplicatesLine(report))}`);
  out.push(`- **Tokens:** ${cell(tokensLine(report))}`);
  for (const [i, h] of holdoutLines(report).entries()) out.push(`- ${i === 0 ? '**Holdout:** ' : ''}${cell(h)}`);
  out.push(`- **Quality:** ${report.quality.passes ? '' : '⚠️ '}${cell(qualityLine(report))}`);
  for (const p of report.fileProblems) out.push(`- **Not read:** ${cell(p)}`);
  out.push('', `### Problems (${formatNumber(f.problems.lines)} lines)`);
  if (f.problems.lines) table('problem', problemRows(report));
  else out.push('', 'None.');
  out.push('', `### PII (${formatNumber(f.pii.lines)} lines; values are never shown)`);
  table('kind', piiRows(report));
  return `${out.join('\n')}\n`;
}
