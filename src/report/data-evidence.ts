// The assessment report's "from the training data" section: which answers the training
// file filled in, confirmed or contradicted. Pure; text.ts and markdown.ts call it.
import type { Report } from '../engine/assess';
import { stripTerminalControls } from '../util/sanitize';

export interface DataEvidenceItem {
  path: string;
  value: boolean | number;
  because: string;
  file: string;
  status: 'filled' | 'confirmed' | 'contradicted';
  answered?: unknown;
}

/** Whether an evidence file was read as training data (its section is this one, not Evidence). */
export function isTrainingData(file: { kind: string }): boolean {
  return file.kind.startsWith('training data');
}

/** Evidence items from training-data files, in the order filled, confirmed, contradicted. */
export function dataEvidenceItems(report: Pick<Report, 'evidence'>): DataEvidenceItem[] {
  const e = report.evidence;
  if (!e) return [];
  const data = new Set(e.files.filter(isTrainingData).map((f) => f.file));
  const from = <T extends { file: string }>(list: T[]) => list.filter((x) => data.has(x.file));
  return [
    ...from(e.filled).map((x) => ({ ...pick(x), status: 'filled' as const })),
    ...from(e.confirmed).map((x) => ({ ...pick(x), status: 'confirmed' as const })),
    ...from(e.contradictions).map((x) => ({ ...pick(x), status: 'contradicted' as const, answered: x.answered })),
  ];
}

function pick(x: { path: string; value: boolean | number; because: string; file: string }) {
  return { path: x.path, value: x.value, because: x.because, file: x.file };
}

const STATUS = { filled: 'filled in', confirmed: 'confirms the answer', contradicted: 'contradicts the answer' } as const;

export function dataEvidenceText(report: Pick<Report, 'evidence'>, style: { bold: (s: string) => string; underline?: unknown; yellow: (s: string) => string; dim: (s: string) => string }): string[] {
  const items = dataEvidenceItems(report);
  if (!items.length) return [];
  const out = ['', style.bold('From the training data')];
  for (const i of items) {
    const what =
      i.status === 'contradicted' ? style.yellow(`${i.path} = ${String(i.value)} (${STATUS[i.status]} ${String(i.answered)})`) : `${i.path} = ${String(i.value)} ${style.dim(`(${STATUS[i.status]})`)}`;
    out.push(`  ${what}`, `    ${style.dim(stripTerminalControls(`${i.file}: ${i.because}`))}`);
  }
  return out;
}

export function dataEvidenceMarkdown(report: Pick<Report, 'evidence'>, esc: (s: string) => string): string[] {
  const items = dataEvidenceItems(report);
  if (!items.length) return [];
  const out = ['## From the training data', '', '| Answer | Value | | Why |', '| --- | --- | --- | --- |'];
  for (const i of items)
    out.push(
      `| \`${i.path}\` | ${String(i.value)} | ${i.status === 'contradicted' ? `**contradicts** the answer ${esc(String(i.answered))}` : STATUS[i.status]} | ${esc(`${i.file}: ${i.because}`)} |`,
    );
  out.push('');
  return out;
}
