// The portfolio's table is drawn in linear time; it must look exactly as cli-table3 drew it.
import { Chalk } from 'chalk';
import Table from 'cli-table3';
import fc from 'fast-check';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { boxTable } from '../../src/report/portfolio';

function cliTable3(head: string[], rows: string[][], color: boolean): string {
  const table = new Table({ head, style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] }, wordWrap: true, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
  for (const row of rows) table.push(row);
  return table.toString();
}

describe('boxTable', () => {
  it.each([false, true])('draws what cli-table3 draws (colour %s)', (color) => {
    const c = new Chalk({ level: color ? 1 : 0 });
    const cell = fc.oneof(
      fc.string({ maxLength: 12 }).map((s) => s.replace(/[\x00-\x1f\x7f-\x9f\n]/g, '')),
      fc.constantFrom('中文 case', 'sft · lora', ''),
      fc.constantFrom('hybrid', 'ok').map((s) => c.magenta.bold(s)),
    );
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { maxLength: 6 }), (rows) => {
        const ours = boxTable(['Input', 'Use case', 'Verdict'], rows, c);
        // cli-table3 decides on colour by itself (off in CI, without a terminal): compare
        // the layout without colour, and check the colours apart.
        expect(stripVTControlCharacters(ours)).toBe(stripVTControlCharacters(cliTable3(['Input', 'Use case', 'Verdict'], rows, color)));
        if (color) {
          expect(ours.startsWith('\x1b[90m┌')).toBe(true);
          expect(ours).toContain('\x1b[36m Input ');
        } else expect(ours).toBe(cliTable3(['Input', 'Use case', 'Verdict'], rows, false));
      }),
      { numRuns: 200 },
    );
  });
});
