// The report's evidence section, for text and markdown: per file, prompts x providers by
// pass rate, the plateau, the token, latency and cost figures of the best row; then what
// the evidence filled, confirmed and contradicted. Pure, like the renderers that call it.
import type { Report } from '../engine/assess';
import type { EvalRow, EvalSummary } from '../evidence/eval/summary';
import { formatNumber } from '../util/format';
import { escapeMarkdownInline } from '../util/sanitize';
import { stripTerminalControls } from '../util/sanitize';
import { isTrainingData } from './data-evidence';

/** Past this many rows the table shows the best ones and says how many more there are. */
const MAX_ROWS = 20;

const num = (n: number | null, decimals = 0) => (n === null ? '–' : formatNumber(n, decimals));
const pct = (n: number | null) => (n === null ? '–' : `${formatNumber(n, 1)}%`);
const cost = (n: number | null) => (n === null ? '–' : n === 0 ? '0' : n >= 0.01 ? formatNumber(n, 4) : Number(n.toPrecision(3)).toString());
const tokens = (r: EvalRow) => (r.promptTokens === null && r.completionTokens === null ? '–' : `${num(r.promptTokens)} / ${num(r.completionTokens)}`);

const HEAD = ['Prompt', 'Provider', 'Tests', 'Pass', 'Errors', 'Latency ms', 'p95 ms', 'Tokens in/out', 'Cost/req'];

function cells(r: EvalRow): string[] {
  return [r.prompt, r.provider, num(r.tests), pct(r.passRate), num(r.errors), num(r.meanLatencyMs), num(r.p95LatencyMs), tokens(r), cost(r.costPerRequest)];
}

/** One sentence on the best row's figures. */
export function bestLine(s: EvalSummary): string | undefined {
  const b = s.best;
  if (!b) return undefined;
  const parts = [`${pct(b.passRate)} of ${num(b.tests)} tests passed`];
  if (b.promptTokens !== null || b.completionTokens !== null) parts.push(`${num(b.promptTokens)} prompt and ${num(b.completionTokens)} completion tokens a request`);
  if (b.meanLatencyMs !== null) parts.push(`${num(b.meanLatencyMs)} ms mean latency${b.p95LatencyMs !== null ? ` (p95 ${num(b.p95LatencyMs)} ms)` : ''}`);
  if (b.costPerRequest !== null) parts.push(`${cost(b.costPerRequest)} a request`);
  return `Best: ${b.prompt} on ${b.provider}: ${parts.join('; ')}.`;
}

export function plateauLine(report: Report, s: EvalSummary, file: string): string {
  const found = report.evidence?.findings?.find((f) => f.finding === 'plateau' && f.file === file);
  if (found) return `${found.because}.`;
  if (!s.plateau) return 'Plateau: not measured (needs two or more prompts).';
  return `No plateau: the best prompt passes ${pct(s.plateau.best)}, ${formatNumber(s.plateau.gap, 1)} points above the median prompt (${pct(s.plateau.median)}).`;
}

/**
 * The evidence of the eval-results files: training files have their own section
 * (data-evidence.ts), so their answers are not listed twice.
 */
function evalEvidence(report: Pick<Report, 'evidence'>): Report['evidence'] {
  const ev = report.evidence;
  if (!ev || !ev.files.some(isTrainingData)) return ev;
  const data = new Set(ev.files.filter(isTrainingData).map((f) => f.file));
  const keep = <T extends { file: string }>(list: T[]) => list.filter((x) => !data.has(x.file));
  return { ...ev, files: ev.files.filter((f) => !isTrainingData(f)), filled: keep(ev.filled), confirmed: keep(ev.confirmed), contradictions: keep(ev.contradictions) };
}

interface Style {
  heading: (s: string) => string;
  bold: (s: string) => string;
  dim: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  red: (s: string) => string;
}

/**
 * The text section's lines. `table` draws rows as the caller's other tables are drawn;
 * `para` wraps a paragraph at an indent.
 */
export function evidenceTextLines(report: Report, c: Style, table: (head: string[], rows: string[][]) => string[], para: (s: string, indent?: number) => string[]): string[] {
  const ev = evalEvidence(report);
  if (!ev || !ev.files.length) return [];
  const safe = stripTerminalControls;
  const out: string[] = ['', c.heading('Evidence')];
  for (const f of ev.files) {
    out.push(`  ${c.bold(safe(f.file))}: ${safe(f.kind)}${f.eval?.tool ? c.dim(` · ${safe(f.eval.tool)}`) : ''}`);
    const s = f.eval;
    if (!s) continue;
    if (s.description) out.push(...para(c.dim(safe(s.description)), 4));
    const rows = s.rows.slice(0, MAX_ROWS).map((r) => cells(r).map(safe));
    out.push(...table(HEAD, rows).map((l) => `  ${l}`));
    if (s.rows.length > MAX_ROWS) out.push(c.dim(`    … ${s.rows.length - MAX_ROWS} more prompt x provider rows (--format json lists them all)`));
    const best = bestLine(s);
    if (best) out.push(...para(safe(best), 2));
    out.push(...para(safe(plateauLine(report, s, f.file)), 2));
  }
  const item = (mark: string, text: string) => para(`${safe(text)}`, 4).map((l, i) => (i === 0 ? `  ${mark} ${l.slice(4)}` : l));
  if (ev.filled.length) {
    out.push(`  ${c.bold('Filled from the evidence')}`);
    for (const e of ev.filled) out.push(...item(c.green('+'), `${e.path} = ${e.value}: ${e.because}`));
  }
  if (ev.confirmed.length) {
    out.push(`  ${c.bold('Confirmed by the evidence')}`);
    for (const e of ev.confirmed) out.push(...item(c.green('='), `${e.path} = ${e.value}: ${e.because}`));
  }
  if (ev.contradictions.length) {
    out.push(`  ${c.bold('Contradicted by the evidence')} ${c.dim('(the explicit answer was used)')}`);
    for (const e of ev.contradictions) out.push(...item(c.red('≠'), `${e.path}: answered ${String(e.answered)}, the evidence says ${e.value} (${e.file}: ${e.because})`));
  }
  return out;
}

export function evidenceMarkdown(report: Report): string[] {
  const ev = evalEvidence(report);
  if (!ev || !ev.files.length) return [];
  const esc = escapeMarkdownInline;
  const md = (head: string[], rows: string[][]) => [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
  const out: string[] = ['## Evidence', ''];
  for (const f of ev.files) {
    out.push(`**${esc(f.file)}**: ${esc(f.kind)}${f.eval?.tool ? ` · ${esc(f.eval.tool)}` : ''}`, '');
    const s = f.eval;
    if (!s) continue;
    if (s.description) out.push(`_${esc(s.description)}_`, '');
    out.push(
      ...md(
        HEAD,
        s.rows.slice(0, MAX_ROWS).map((r) => cells(r).map(esc)),
      ),
      '',
    );
    if (s.rows.length > MAX_ROWS) out.push(`… ${s.rows.length - MAX_ROWS} more prompt × provider rows (the JSON report lists them all).`, '');
    const best = bestLine(s);
    if (best) out.push(esc(best), '');
    out.push(esc(plateauLine(report, s, f.file)), '');
  }
  const list = (title: string, items: string[]) => {
    if (items.length) out.push(`**${title}**`, '', ...items.map((i) => `- ${i}`), '');
  };
  list(
    'Filled from the evidence',
    ev.filled.map((e) => `\`${e.path}\` = ${e.value}: ${esc(e.because)} (${esc(e.file)})`),
  );
  list(
    'Confirmed by the evidence',
    ev.confirmed.map((e) => `\`${e.path}\` = ${e.value}: ${esc(e.because)} (${esc(e.file)})`),
  );
  list(
    'Contradicted by the evidence (the explicit answer was used)',
    ev.contradictions.map((e) => `\`${e.path}\`: answered ${esc(String(e.answered))}, the evidence says ${e.value}: ${esc(e.because)} (${esc(e.file)})`),
  );
  return out;
}
