// The portfolio summary of a batch: one row per use case (or per input that could not
// be read), and the totals. Pure: (results, options) -> string. User text is escaped.
import { Chalk } from 'chalk';
import Table from 'cli-table3';
import { MIN_WIDTH, tableColumns } from '../util/wrap';
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
  const counts = [...byApproach.entries()]
    .sort((a, b) => APPROACH_ORDER.indexOf(a[0] as Approach) - APPROACH_ORDER.indexOf(b[0] as Approach))
    .map(([a, n]) => `${n} ${a}`);
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

function rows(results: readonly PortfolioResult[]): Row[] {
  return results.map((r) => {
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
  });
}

export function renderPortfolio(results: readonly PortfolioResult[], options: PortfolioOptions): string {
  const max = options.maxRows ?? Infinity;
  const shown = rows(results.slice(0, max));
  const more = results.length - shown.length;
  const totals = portfolioTotals(results);
  const head = ['Input', 'Use case', 'Verdict', 'Method', 'Confidence', 'Score', 'Difference', 'Status'];

  if (options.format === 'markdown') {
    const esc = escapeMarkdownInline;
    const out = ['# ft-advisor portfolio', '', `${esc(totals)}.${options.expect ? ` Expected approach: \`${esc(options.expect)}\`.` : ''}`, ''];
    out.push(`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`);
    for (const r of shown) {
      out.push(
        `| ${[
          codeCell(r.input),
          esc(r.useCase),
          r.verdict ? `**${r.verdict}**` : '',
          esc(r.method),
          r.confidence,
          r.score,
          r.difference,
          r.ok ? 'ok' : `**${esc(r.status)}**`,
        ].join(' | ')} |`,
      );
    }
    if (more > 0) out.push('', `_…and ${more} more; the full list is in the JSON output._`);
    return `${out.join('\n')}\n`;
  }

  const c = new Chalk({ level: options.color ? 1 : 0 });
  const verdictColor = (a: string) => (a === 'fine-tune' || a === 'hybrid' ? c.magenta : a === 'rag' ? c.cyan : c.blue);
  const safe = stripTerminalControls;
  const cells = shown.map((r) => [
    safe(r.input),
    safe(r.useCase),
    r.verdict ? verdictColor(r.verdict).bold(r.verdict) : '',
    r.method,
    r.confidence,
    r.score,
    r.difference,
    r.ok ? c.green(r.status) : c.red(safe(r.status)),
  ]);
  // Within the terminal's width when there is one: below 100 columns the score and
  // difference columns go (the confidence stays), below 80 the method (the JSON output has
  // it), then the widest columns give way first. Piped with no COLUMNS: one line a use case, for logs and grep.
  const width = options.width ? Math.max(MIN_WIDTH, options.width) : undefined;
  let columns = head.map((_, i) => i);
  if (width !== undefined && width < 100) columns = columns.filter((i) => head[i] !== 'Score' && head[i] !== 'Difference');
  if (width !== undefined && width < 80) columns = columns.filter((i) => head[i] !== 'Method');
  const pickColumns = <T,>(row: readonly T[]) => columns.map((i) => row[i]!);
  const shownHead = pickColumns(head);
  const shownCells = cells.map(pickColumns);
  const weights = pickColumns([3, 3, 1, 2, 1, 1, 1, 2]);
  const table = new Table({
    head: shownHead,
    ...(width !== undefined ? { colWidths: tableColumns(shownHead, shownCells, width, weights, false) } : {}),
    style: { head: options.color ? ['cyan'] : [], border: options.color ? ['grey'] : [] },
    wordWrap: true,
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of shownCells) table.push(row);
  const out = [c.bold.underline('Portfolio'), table.toString()];
  if (more > 0) out.push(c.dim(`…and ${more} more`));
  out.push(`${totals}.`);
  return `${out.join('\n')}\n`;
}
