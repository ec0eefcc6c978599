// Rendering and writing reports. Renderers load on demand: JSON needs neither chalk
// nor cli-table3, and CI runs the JSON path in every pipeline.
import { stat } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import type { Report } from '../engine/assess';
import { decisionRecord } from '../report/record';
import { InputError } from '../util/errors';
import { stripControlsDeep } from '../util/sanitize';
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
    // Text and Markdown are read on terminals: every text from a file (rule-set texts,
    // values put into their templates, answers) loses its escape sequences here.
    case 'markdown': {
      const { renderMarkdown } = await import('../report/markdown');
      return renderMarkdown(stripControlsDeep(report));
    }
    case 'text': {
      const { renderText } = await import('../report/text');
      return renderText(stripControlsDeep(report), options);
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

/** The extensions a folder's answers files have (src/batch/inputs.ts reads these). */
const FOLDER_ANSWER_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * The files an assess run's options name and read, besides its answers: the rule set, the
 * baseline, the project config, eval results and training data. No output may replace them.
 */
export function inputsNamedByOptions(opts: { rules?: string; baseline?: string; configFile?: string; evidence?: readonly string[]; data?: string; holdout?: string }): string[] {
  return [opts.rules, opts.baseline, opts.configFile, ...(opts.evidence ?? []), opts.data, opts.holdout].filter((f): f is string => Boolean(f));
}

/**
 * Refuses (exit 2) an --output that is one of the inputs: the answers files, a folder's
 * files, the rule set, the baseline, the project config, the evidence files. Compared by device and inode, so a symbolic link, a
 * hard link or another spelling of the path is caught too. An output that a folder being
 * assessed would read as answers next time is refused as well. Nothing is written.
 */
export async function refuseOutputOntoInputs(output: string, inputs: readonly string[], io: Pick<CliIO, 'cwd'>, option = '--output'): Promise<void> {
  if (!output || output === '-') return;
  const target = resolve(io.cwd, output);
  const [out, parent] = await Promise.all([stat(target).catch(() => undefined), stat(dirname(target)).catch(() => undefined)]);
  if (out && !out.isFile()) return;
  const readsAsAnswers = FOLDER_ANSWER_EXTENSIONS.has(extname(target).toLowerCase()) && !basename(target).startsWith('.');
  for (const input of new Set(inputs)) {
    if (input === '-') continue;
    const info = await stat(resolve(io.cwd, input)).catch(() => undefined);
    if (!info) continue;
    if (out && info.isFile() && info.dev === out.dev && info.ino === out.ino) {
      throw new InputError({
        file: output,
        message: `is also an input (${input}); ${option === '--output' ? 'writing the report' : 'saving the answers'} there would destroy it`,
        hint: `nothing was written; choose another ${option} path`,
      });
    }
    if (parent && info.isDirectory() && readsAsAnswers && info.dev === parent.dev && info.ino === parent.ino) {
      throw new InputError({
        file: output,
        message: `is inside ${input}, a folder being assessed; the next run would read the report as answers`,
        hint: 'nothing was written; write the report outside the folder',
      });
    }
  }
}
