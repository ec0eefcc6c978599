// Rendering and writing reports. Renderers load on demand: JSON needs neither chalk
// nor cli-table3, and CI runs the JSON path in every pipeline.
import { resolve } from 'node:path';
import type { Report } from '../engine/assess';
import { decisionRecord } from '../report/record';
import { InputError } from '../util/errors';
import type { CliIO } from './io';

export const FORMATS = ['text', 'json', 'markdown', 'jsonl'] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  color: boolean;
  width?: number;
}

export async function renderReport(report: Report, format: Format, options: RenderOptions): Promise<string> {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'jsonl':
      return `${JSON.stringify(decisionRecord(report))}\n`;
    case 'markdown': {
      const { renderMarkdown } = await import('../report/markdown');
      return renderMarkdown(report);
    }
    case 'text': {
      const { renderText } = await import('../report/text');
      return renderText(report, options);
    }
  }
}

export async function writeReport(text: string, output: string | undefined, io: CliIO): Promise<void> {
  if (!output || output === '-') {
    io.stdout.write(text);
    return;
  }
  const { checkWritable, writeFileAtomic } = await import('../util/atomic-write');
  const target = resolve(io.cwd, output);
  const reason = await checkWritable(target);
  if (reason) throw new InputError({ file: output, message: `cannot write the report: ${reason}`, hint: 'nothing was written; choose another --output path' });
  try {
    await writeFileAtomic(target, text);
  } catch (error) {
    throw new InputError({ file: output, message: `cannot write the report: ${(error as Error).message}`, hint: 'nothing was written' });
  }
  io.stderr.write(`ft-advisor: report written to ${output}\n`);
}
