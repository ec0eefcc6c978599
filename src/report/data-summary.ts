// What the data renderers (text, markdown) share: the findings as labelled rows.
// Pure; the renderers only lay them out.
import { PROBLEM_KINDS, type ProblemKind } from '../evidence/data/formats';
import { LISTED_LINES, type Listed } from '../evidence/data/inspect';
import { PII_KINDS, type PiiKind } from '../evidence/data/pii';
import { exampleCount, type DataReport } from '../evidence/data/report';
import { formatNumber } from '../util/format';
import { formatBytes } from '../util/read-input';

export const count = (n: number, one: string, many = `${one}s`) => `${formatNumber(n)} ${n === 1 ? one : many}`;
export const percent = (share: number) => `${formatNumber(share * 100, 1)}%`;

/** "line 3, 7, 9" or "lines 3, 7, 9 and 12 more" */
export function lineList(listed: { count: number; lines: number[] }): string {
  if (listed.lines.length === 0) return '';
  const more = listed.count - listed.lines.length;
  return `line${listed.lines.length === 1 ? '' : 's'} ${listed.lines.join(', ')}${more > 0 ? ` and ${formatNumber(more)} more` : ''}`;
}

export interface Row {
  label: string;
  count: number;
  lines: string;
}

export function problemRows(report: DataReport): Row[] {
  return (Object.keys(PROBLEM_KINDS) as ProblemKind[])
    .filter((k) => report.findings.problems.byKind[k])
    .map((k) => ({ label: PROBLEM_KINDS[k], count: report.findings.problems.byKind[k]!.count, lines: lineList(report.findings.problems.byKind[k]!) }));
}

export function piiRows(report: DataReport): Row[] {
  return (Object.keys(PII_KINDS) as PiiKind[])
    .filter((k) => report.findings.pii.kinds.includes(k))
    .map((k) => {
      const listed: Listed = report.findings.pii.byKind[k] ?? { count: 0, lines: [] };
      return { label: PII_KINDS[k], count: listed.count, lines: lineList(listed) };
    });
}

export function headline(report: DataReport): string {
  const f = report.findings;
  return `${report.file} (${formatBytes(f.bytes)}, ${count(f.lines, 'line')}${f.blankLines ? `, ${formatNumber(f.blankLines)} blank` : ''})`;
}

export function formatLine(report: DataReport): string {
  const f = report.findings;
  const parts = (Object.keys(f.formats) as (keyof typeof f.formats)[])
    .filter((k) => f.formats[k] > 0)
    .sort((a, b) => f.formats[b] - f.formats[a])
    .map((k) => `${FORMAT_NAMES[k]} (${count(f.formats[k], 'line')})`);
  return parts.length ? parts.join(', ') : 'none recognised';
}

export const FORMAT_NAMES = { chat: 'chat', preference: 'preference pairs', completion: 'prompt/completion', text: 'text' } as const;

export function mixedLine(report: DataReport): string | undefined {
  const f = report.findings;
  const others = exampleCount(f) - (f.format ? f.formats[f.format] : 0);
  if (!f.format || others === 0) return undefined;
  const shown = f.otherFormatLines.map((o) => `${o.line} (${FORMAT_NAMES[o.format]})`).join(', ');
  return `mixed: ${count(others, 'line')} not in ${FORMAT_NAMES[f.format]}: line${others === 1 ? '' : 's'} ${shown}${others > f.otherFormatLines.length ? ` and ${formatNumber(others - f.otherFormatLines.length)} more` : ''}`;
}

export function usableLine(report: DataReport): string {
  const f = report.findings;
  const u = f.usable;
  const parts: string[] = [];
  if (f.formats.chat + f.formats.completion) parts.push(count(u.chat + u.completion, 'example'));
  if (f.formats.preference) parts.push(count(u.preference, 'preference pair'));
  if (f.formats.text) parts.push(count(u.text, 'document'));
  return `${parts.join(', ') || 'none'} usable (no problems, each duplicate once) of ${count(exampleCount(f), 'line')} in a format`;
}

export function duplicatesLine(report: DataReport): string {
  const d = report.findings.duplicates;
  if (d.count === 0) return `none${d.complete ? '' : INCOMPLETE}`;
  const shown = d.lines.map((x) => `line ${x.line} = line ${x.firstLine}`).join(', ');
  return `${formatNumber(d.count)} (${percent(report.quality.duplicateShare)} of the examples): ${shown}${d.count > d.lines.length ? ` and ${formatNumber(d.count - d.lines.length)} more` : ''}${d.complete ? '' : INCOMPLETE}`;
}

const INCOMPLETE = '; the duplicate table reached its cap (1.78 million distinct examples), so later lines were compared only with the examples before it';

export function tokensLine(report: DataReport): string {
  const t = report.findings.tokens;
  const over = t.overLimit.count
    ? `${count(t.overLimit.count, 'example')} over the context limit of ${formatNumber(t.contextLimit)}: ${lineList(t.overLimit)}`
    : `none over the context limit of ${formatNumber(t.contextLimit)}`;
  return `p50 ${formatNumber(t.p50)}, p95 ${formatNumber(t.p95)}, max ${formatNumber(t.max)}; ${over}; tokens: ${t.method}`;
}

export function holdoutLines(report: DataReport): string[] {
  const h = report.holdout;
  if (!h) return [];
  const leak = report.findings.leakage!;
  const lines = [`${h.file}: ${count(h.examples, 'example')}, ${percent(h.share)} of all examples (the checklist asks ${percent(h.target)})`];
  lines.push(
    leak.count === 0
      ? 'no training example is also in the holdout'
      : `leakage: ${count(leak.count, 'training example')} also in the holdout: line ${leak.lines.map((l) => `${l.line} = holdout line ${l.holdoutLine}`).join(', ')}${leak.count > leak.lines.length ? ` and ${formatNumber(leak.count - leak.lines.length)} more` : ''}`,
  );
  lines.push(h.meetsTarget ? 'held out: yes' : `held out: no (${h.share < h.target ? 'under the share' : 'examples leak into training'})`);
  const hf = h.findings;
  if (hf.problems.lines + hf.pii.lines + hf.duplicates.count > 0) {
    lines.push(
      `in the holdout itself: ${count(hf.problems.lines, 'line')} with problems, ${count(hf.pii.lines, 'line')} with PII, ${count(hf.duplicates.count, 'duplicate')} (--format json lists them)`,
    );
  }
  return lines;
}

export function qualityLine(report: DataReport): string {
  const q = report.quality;
  return (
    q.warning ??
    `within the thresholds: ${percent(q.duplicateShare)} duplicates (at most ${percent(q.maxDuplicateShare)}), ${percent(q.problemShare)} lines with problems (at most ${percent(q.maxProblemShare)}); ${q.source}`
  );
}

export { LISTED_LINES };
