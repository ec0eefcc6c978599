// The portfolio summary of a batch: one row per use case (or per input that could not
// be read), and the totals. Pure: (results, options) -> string. User text is escaped.
import { Chalk } from 'chalk';
import stringWidth from 'string-width';
import { MIN_WIDTH, wrapToWidth } from '../util/wrap';
import type { Approach } from '../rules/schema';
import type { Problem } from '../util/errors';
import { escapeMarkdownInline, stripTerminalControls } from '../util/sanitize';

/** The parts of a Report the portfolio shows; a full Report fits. */
export interface PortfolioReport {
  useCase: string;
  rules: { name: string; version: string };
  recommendation: {
    approach: Approach;
    title: string;
    confidence: string | null;
    method: { objective: string; technique: string; distillation: boolean } | null;
  };
  framework: { score: number; scoreBand: string; difference: number; differenceBand: string; indicators: number; antiIndicators: number };
}

export interface PortfolioResult {
  /** The input as the user named it (a path, or <stdin>). */
  file: string;
  /** The line, for JSON Lines input. */
  line?: number;
  report?: PortfolioReport;
  /** Why the input could not be assessed. */
  problems?: Problem[];
  /** Gates that failed for this use case, in words ("expected hybrid", "changed since baseline"). */
  failedGates?: string[];
}

export interface PortfolioOptions {
  format: 'text' | 'markdown';
  color?: boolean;
  width?: number;
  /** --expect, shown in the heading. */
  expect?: string;
  /** Rows beyond this are summarised in one line (job summaries are capped at 1 MiB). */
  maxRows?: number;
}

/** Inline code in a table cell: no escaping inside backticks, except the cell separator. */
export function codeCell(text: string): string {
  return `\`${stripTerminalControls(text).replace(/\s+/g, ' ').replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

const APPROACH_ORDER: Approach[] = ['fine-tune', 'hybrid', 'rag', 'prompt'];
const fmt = (n: number) => (Math.round(n * 1000) / 1000).toString();

export function resultLabel(r: PortfolioResult): string {
  return r.line === undefined ? r.file : `${r.file}:${r.line}`;
}

function methodText(m: PortfolioReport['recommendation']['method']): string {
  if (!m) return '';
  return `${m.objective} · ${m.technique}${m.distillation ? ' · distillation' : ''}`;
}

/** "5 use cases: 2 hybrid, 1 rag, 2 prompt; 1 input invalid; 1 failed a gate". */
export function portfolioTotals(results: readonly PortfolioResult[]): string {
  const assessed = results.filter((r) => r.report);
  const invalid = results.length - assessed.length;
  const byApproach = new Map<string, number>();
  for (const r of assessed) byApproach.set(r.report!.recommendation.approach, (byApproach.get(r.report!.recommendation.approach) ?? 0) + 1);
  const counts = [...byApproach.entries()].sort((a, b) => APPROACH_ORDER.indexOf(a[0] as Approach) - APPROACH_ORDER.indexOf(b[0] as Approach)).map(([a, n]) => `${n} ${a}`);
  const gates = results.filter((r) => r.failedGates?.length).length;
  const parts = [`${assessed.length} use case${assessed.length === 1 ? '' : 's'} assessed${counts.length ? `: ${counts.join(', ')}` : ''}`];
  if (invalid) parts.push(`${invalid} input${invalid === 1 ? '' : 's'} invalid`);
  if (gates) parts.push(`${gates} failed a gate`);
  return parts.join('; ');
}

interface Row {
  input: string;
  useCase: string;
  verdict: string;
  method: string;
  confidence: string;
  score: string;
  difference: string;
  status: string;
  ok: boolean;
}

function rowOf(r: PortfolioResult): Row {
  const rep = r.report;
  if (!rep) {
    const n = r.problems?.length ?? 0;
    return { input: resultLabel(r), useCase: '', verdict: '', method: '', confidence: '', score: '', difference: '', status: `invalid: ${n} problem${n === 1 ? '' : 's'}`, ok: false };
  }
  const fw = rep.framework;
  return {
    input: resultLabel(r),
    useCase: rep.useCase,
    verdict: rep.recommendation.approach,
    method: methodText(rep.recommendation.method),
    confidence: rep.recommendation.confidence ?? '—',
    score: `${fmt(fw.score)} ${fw.scoreBand}`,
    difference: `${fw.difference} ${fw.differenceBand}`,
    status: r.failedGates?.length ? r.failedGates.join('; ') : 'ok',
    ok: !r.failedGates?.length,
  };
}

export function renderPortfolio(results: readonly PortfolioResult[], options: PortfolioOptions): string {
  return `${[...portfolioLines(results, options)].join('\n')}\n`;
}

/**
 * The portfolio line by line (without newlines), for a batch to write as it goes: a
 * table of 100,000 rows is never one string. renderPortfolio joins them.
 */
export function* portfolioLines(results: readonly PortfolioResult[], options: PortfolioOptions): Generator<string> {
  const shown = Math.min(results.length, options.maxRows ?? Infinity);
  const more = results.length - shown;
  const totals = portfolioTotals(results);
  const head = ['Input', 'Use case', 'Verdict', 'Method', 'Confidence', 'Score', 'Difference', 'Status'];

  if (options.format === 'markdown') {
    const esc = escapeMarkdownInline;
    yield* ['# ft-advisor portfolio', '', `${esc(totals)}.${options.expect ? ` Expected approach: \`${esc(options.expect)}\`.` : ''}`, ''];
    yield `| ${head.join(' | ')} |`;
    yield `| ${head.map(() => '---').join(' | ')} |`;
    for (let i = 0; i < shown; i++) {
      const r = rowOf(results[i]!);
      yield `| ${[codeCell(r.input), esc(r.useCase), r.verdict ? `**${r.verdict}**` : '', esc(r.method), r.confidence, r.score, r.difference, r.ok ? 'ok' : `**${esc(r.status)}**`].join(' | ')} |`;
    }
    if (more > 0) yield* ['', `_…and ${more} more; the full list is in the JSON output._`];
    return;
  }

  const c = new Chalk({ level: options.color ? 1 : 0 });
  const verdictColor = (a: string) => (a === 'fine-tune' || a === 'hybrid' ? c.magenta : a === 'rag' ? c.cyan : c.blue);
  const safe = stripTerminalControls;
  // Within the terminal's width when there is one: below 100 columns the score and
  // difference columns go (the confidence stays), below 80 the method (the JSON output has
  // it). Piped with no width: every column, one line a use case, for logs and grep.
  const width = options.width ? Math.max(MIN_WIDTH, options.width) : undefined;
  const keep = head.map((h) => !(width !== undefined && ((width < 100 && (h === 'Score' || h === 'Difference')) || (width < 80 && h === 'Method'))));
  const pick = <T>(row: readonly T[]): T[] => row.filter((_, i) => keep[i]);
  const allCells = (r: Row) => [
    safe(r.input),
    safe(r.useCase),
    r.verdict ? verdictColor(r.verdict).bold(r.verdict) : '',
    r.method,
    r.confidence,
    r.score,
    r.difference,
    r.ok ? c.green(r.status) : c.red(safe(r.status)),
  ];
  const cellsOf = (r: Row) => pick(allCells(r));
  const shownHead = pick(head);
  // Two passes, the cells made again in the second, so that no row is kept between them.
  const widths = shownHead.map((h) => stringWidth(h));
  for (let i = 0; i < shown; i++) {
    cellsOf(rowOf(results[i]!)).forEach((cell, k) => {
      const w = stringWidth(cell);
      if (w > widths[k]!) widths[k] = w;
    });
  }
  // Too wide for the terminal: the widest columns give way, and their cells wrap.
  if (width !== undefined) {
    while (widths.reduce((a, b) => a + b, 0) + 3 * widths.length + 1 > width) {
      const widest = widths.indexOf(Math.max(...widths));
      if (widths[widest]! <= 4) break;
      widths[widest]!--;
    }
  }
  const box = boxLayout(widths, c);
  yield c.bold.underline('Portfolio');
  yield box.top;
  yield* box.lines(shownHead, c.cyan);
  for (let i = 0; i < shown; i++) yield* box.lines(cellsOf(rowOf(results[i]!)));
  yield box.bottom;
  if (more > 0) yield c.dim(`…and ${more} more`);
  yield `${totals}.`;
}

/**
 * A table in boxes, one line a row, each column as wide as its widest cell: the layout
 * cli-table3 draws for this table, in time proportional to its cells. (cli-table3 lays
 * out every cell against every other: 8,000 rows took 10 s, 16,000 over 40 s.)
 */
export function boxTable(head: readonly string[], rows: readonly (readonly string[])[], c: InstanceType<typeof Chalk>): string {
  const widths = head.map((h) => stringWidth(h));
  for (const row of rows) {
    row.forEach((cell, i) => {
      const w = stringWidth(cell);
      if (w > widths[i]!) widths[i] = w;
    });
  }
  const box = boxLayout(widths, c);
  return [box.top, box.line(head, c.cyan), ...rows.map((row) => box.line(row)), box.bottom].join('\n');
}

function boxLayout(widths: readonly number[], c: InstanceType<typeof Chalk>) {
  const border = (s: string) => c.gray(s);
  const rule = (left: string, mid: string, right: string) => widths.map((w, i) => border(`${i === 0 ? left : mid}${'─'.repeat(w + 2)}${i === widths.length - 1 ? right : ''}`)).join('');
  const bar = border('│');
  return {
    top: rule('┌', '┬', '┐'),
    bottom: rule('└', '┴', '┘'),
    /** A row as one or more lines: a cell wider than its column wraps within it. */
    lines(cells: readonly string[], style?: (s: string) => string): string[] {
      if (cells.every((cell, i) => stringWidth(cell) <= widths[i]!)) return [this.line(cells, style)];
      const wrapped = widths.map((w, i) => wrapToWidth(cells[i] ?? '', w));
      const height = Math.max(...wrapped.map((l) => l.length));
      return Array.from({ length: height }, (_, k) =>
        this.line(
          wrapped.map((l) => l[k] ?? ''),
          style,
        ),
      );
    },
    line(cells: readonly string[], style?: (s: string) => string): string {
      let text = bar;
      for (let i = 0; i < widths.length; i++) {
        const cell = cells[i] ?? '';
        const padded = ` ${cell}${' '.repeat(widths[i]! - stringWidth(cell))} `;
        text += (style ? style(padded) : padded) + bar;
      }
      return text;
    },
  };
}
