// `data inspect --format text`: the data report for a terminal. Pure: (report, options) -> string.
import { Chalk } from 'chalk';
import type { DataReport } from '../evidence/data/report';
import { formatNumber } from '../util/format';
import { stripTerminalControls } from '../util/sanitize';
import { count, duplicatesLine, formatLine, headline, holdoutLines, mixedLine, piiRows, problemRows, qualityLine, tokensLine, usableLine, type Row } from './data-summary';

export function renderDataText(report: DataReport, options: { color: boolean }): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const out: string[] = [];
  const field = (label: string, text: string) => out.push(`${c.bold(label.padEnd(11))} ${stripTerminalControls(text)}`);
  const more = (text: string) => out.push(`${' '.repeat(12)}${stripTerminalControls(text)}`);
  const rows = (list: Row[]) => {
    const width = 34;
    for (const r of list) more(`${r.label.padEnd(width)}  ${String(formatNumber(r.count)).padStart(5)}  ${r.lines}`);
  };
  const f = report.findings;

  out.push(`${c.bold('ft-advisor data inspect')} · ${stripTerminalControls(headline(report))}`, '');
  field('Format', formatLine(report));
  const mixed = mixedLine(report);
  if (mixed) more(c.yellow(mixed));
  field('Examples', usableLine(report));
  field('Problems', f.problems.lines === 0 ? 'none' : count(f.problems.lines, 'line'));
  if (f.problems.lines) rows(problemRows(report));
  field('Duplicates', duplicatesLine(report));
  field('Tokens', tokensLine(report));
  field('PII', f.pii.lines === 0 ? `none found (checked: ${f.pii.kinds.join(', ')})` : `${count(f.pii.lines, 'line')} (values are never shown)`);
  if (f.pii.lines) rows(piiRows(report).filter((r) => r.count > 0));
  const holdout = holdoutLines(report);
  if (holdout.length) {
    field('Holdout', holdout[0]!);
    for (const h of holdout.slice(1)) more(h);
  } else {
    field('Holdout', 'none given (--holdout <file> checks its share and leakage)');
  }
  field('Quality', report.quality.passes ? c.green(qualityLine(report)) : c.red(qualityLine(report)));
  for (const p of report.fileProblems) field('Unread', c.red(p));
  return `${out.join('\n')}\n`;
}
