// Text for terminals, measured the way terminals show it: by display width (a CJK
// character takes two columns, colour codes none), through string-width and wrap-ansi.
// Every renderer that wraps or sizes columns goes through here.
import { stripVTControlCharacters } from 'node:util';
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

export { knownWidth, layoutWidth, MIN_WIDTH } from './width';

/** Columns a string takes on a terminal: colour codes count nothing, wide characters two. */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/** The text without escape sequences. */
export const plain = (text: string): string => stripVTControlCharacters(text);

/**
 * Wraps text (colours kept) to lines of at most `width` columns. Lines break between
 * words; only a word wider than the whole line is cut. Blank lines and `\n` in the text
 * start new paragraphs.
 */
export function wrapToWidth(text: string, width: number): string[] {
  const columns = Math.max(1, width);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    const words = paragraph.replace(/[^\S ]+/g, ' ').trim();
    if (!words) {
      lines.push('');
      continue;
    }
    lines.push(...wrapAnsi(words, columns, { hard: true, trim: true }).split('\n'));
  }
  return lines;
}

/**
 * Lines (each may hold `\n`) with every one wider than `width` wrapped, continuation lines
 * indented two more than the line's own indentation: for output built line by line.
 */
export function fitLines(lines: readonly string[], width: number): string[] {
  const out: string[] = [];
  for (const line of lines.flatMap((l) => l.split('\n'))) {
    if (displayWidth(line) <= width) {
      out.push(line);
      continue;
    }
    const indent = /^ */.exec(line)![0].length;
    const [first = '', ...rest] = wrapToWidth(line, width - indent);
    out.push(' '.repeat(indent) + first);
    for (const l of rest.length ? wrapToWidth(rest.join(' '), width - indent - 2) : []) out.push(' '.repeat(indent + 2) + l);
  }
  return out;
}

/**
 * Column widths (padding included) that fit `width` with the table's borders: every
 * column gets at least its longest word where it can, so words and ids are not cut; the
 * rest goes to the columns that want more, by weight.
 */
export function fitColumns(natural: number[], longestWord: number[], width: number, weights: number[] = natural.map(() => 1), keepFirst = true): number[] {
  const available = width - (natural.length + 1);
  if (natural.reduce((a, b) => a + b, 0) <= available) return natural;
  const widths = natural.map((n, i) => Math.min(n, Math.max(6, Math.min(longestWord[i] ?? 6, 32))));
  // Too many long words for the width: narrow the widest columns (the first, the ids, last
  // unless `keepFirst` is false).
  for (let total = widths.reduce((a, b) => a + b, 0); total > available; total--) {
    let widest = -1;
    for (let i = keepFirst ? 1 : 0; i < widths.length; i++) if (widths[i]! > 8 && (widest === -1 || widths[i]! > widths[widest]!)) widest = i;
    if (widest === -1) widest = widths[0]! > 8 ? 0 : -1;
    if (widest === -1) break;
    widths[widest]!--;
  }
  let spare = available - widths.reduce((a, b) => a + b, 0);
  for (let round = 0; round < 8 && spare > 0; round++) {
    const wanting = widths.map((_, i) => i).filter((i) => widths[i]! < natural[i]!);
    if (!wanting.length) break;
    const totalWeight = wanting.reduce((n, i) => n + (weights[i] ?? 1), 0);
    let given = 0;
    for (const i of wanting) {
      const share = Math.min(natural[i]! - widths[i]!, spare - given, Math.max(1, Math.floor((spare * (weights[i] ?? 1)) / totalWeight)));
      widths[i]! += share;
      given += share;
      if (given >= spare) break;
    }
    spare -= given;
  }
  return widths;
}

/** colWidths for a cli-table3 table of these cells that fits `width` columns. */
export function tableColumns(head: readonly string[], rows: readonly (readonly string[])[], width: number, weights?: number[], keepFirst = true): number[] {
  const cellWidth = (s: string) => Math.max(0, ...s.split('\n').map(displayWidth));
  const wordWidth = (s: string) => Math.max(0, ...plain(s).split(/\s+/).map(displayWidth));
  const natural = head.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => cellWidth(r[i] ?? ''))) + 2);
  const longestWord = head.map((h, i) => Math.max(wordWidth(h), ...rows.map((r) => wordWidth(r[i] ?? ''))) + 2);
  return fitColumns(natural, longestWord, width, weights, keepFirst);
}
