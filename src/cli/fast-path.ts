// The CI hot path without commander or zod: `assess --answers <file>` with the default
// rule set and valid answers, which is what pipelines run on every push. It takes only
// argument lists it understands completely, and answers that need no error message; for
// anything else it declines (returns undefined) before it has written anything, and the
// full program (program.ts) runs instead, from scratch. Both end in finishAssessment, so
// the output is the same either way (test/cli/fast-path.test.ts compares them).
//
// Standard input (`--answers -`) and JSON Lines (`--format jsonl`) go to the batch
// command (src/batch/) here as they would from the full program: it reads the input
// once, so there is no declining after it starts, and it loads the full validation
// itself for the first invalid document.
import { answersAreValid } from '../answers/conforms';
import { isJsonLinesPath, readAnswersData } from '../answers/read';
import type { Answers } from '../answers/schema';
import { currentBuiltDefault } from '../rules/default-rules';
import type { RuleSet } from '../rules/schema';
import { isRegularFile } from '../util/read-input';
import { APPROACHES } from '../rules/vocabulary';
import { finishAssessment, type AssessOptions } from './commands/assess-finish';
import { findConfigFile } from './config-find';
import { reportFailure, type CliIO } from './io';
import { refuseOutputOntoInputs, type Format } from './output';

const FAST_FORMATS: readonly string[] = ['text', 'json', 'markdown', 'jsonl'] satisfies Format[];
const VALUE_OPTIONS: Record<string, 'answers' | 'format' | 'output' | 'expect'> = {
  '--answers': 'answers',
  '-a': 'answers',
  '--format': 'format',
  '-f': 'format',
  '--output': 'output',
  '-o': 'output',
  '--expect': 'expect',
};

/**
 * The options of an `assess` command line the fast path can take, or undefined. Anything
 * unusual (another command, a flag it does not know, a repeated option, a value that looks
 * like a flag, standard input, a custom rule set) is left to commander, which also owns
 * every usage message.
 */
export function parseFastAssessArgs(argv: readonly string[]): AssessOptions | undefined {
  if (argv[0] !== 'assess') return undefined;
  // No --format: text, or jsonl when the input turns out to be JSON Lines (the batch decides).
  const opts: AssessOptions = {};
  const seen = new Set<string>();
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const key = VALUE_OPTIONS[flag] ?? (flag === '--no-what-if' ? 'whatIf' : flag === '--no-color' ? 'color' : undefined);
    if (key === undefined || seen.has(key)) return undefined;
    seen.add(key);
    if (key === 'whatIf' || key === 'color') {
      if (eq !== -1) return undefined;
      opts[key] = false;
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '' || (value.startsWith('-') && !(key === 'answers' && value === '-'))) return undefined;
    if (key === 'format') {
      if (!FAST_FORMATS.includes(value)) return undefined;
      opts.format = value as Format;
    } else if (key === 'expect') {
      if (!(APPROACHES as readonly string[]).includes(value)) return undefined;
      opts.expect = value;
    } else {
      opts[key] = value;
    }
  }
  return opts.answers === undefined ? undefined : opts;
}

export async function tryFastAssess(argv: readonly string[], io: CliIO): Promise<number | undefined> {
  const opts = parseFastAssessArgs(argv);
  if (!opts) return undefined;
  let rules: RuleSet | undefined;
  try {
    rules = currentBuiltDefault();
  } catch {
    rules = undefined;
  }
  // Not built, or rules/default.yaml edited since: the full path parses and checks it.
  if (!rules) return undefined;
  // A project config sets defaults the full program reads (and checks).
  if (findConfigFile(io.cwd)) return undefined;
  if (opts.answers === '-' || opts.format === 'jsonl' || isJsonLinesPath(opts.answers!)) return batch(rules, opts, io);
  // Declining means the full path reads the file again, so only a regular file comes
  // here: a pipe or FIFO would give it nothing ("the file is empty") or, for a FIFO
  // whose writer has gone, wait forever. The full path reads those once.
  if (!isRegularFile(opts.answers!, io.cwd)) return undefined;
  if (opts.output) {
    try {
      await refuseOutputOntoInputs(opts.output, [opts.answers!], io);
    } catch (error) {
      return reportFailure(error, io, false);
    }
  }
  let data: unknown;
  try {
    ({ data } = await readAnswersData({ file: opts.answers!, cwd: io.cwd }));
    // Invalid answers need zod's issues for their messages: the full path reports them.
    if (!answersAreValid(data, rules)) return undefined;
  } catch {
    // A missing or unreadable file, or a parse error: the full path says what is wrong.
    return undefined;
  }
  try {
    return await finishAssessment(rules, data as Answers, opts, io);
  } catch (error) {
    // From here on output may have been written, so the failure is reported, not retried.
    return reportFailure(error, io, false);
  }
}

/** What the full program does for standard input and JSON Lines (commands/assess.ts). */
async function batch(rules: RuleSet, opts: AssessOptions, io: CliIO): Promise<number> {
  try {
    const { batchAssess } = await import('../batch/run');
    return await batchAssess([], rules, opts, io);
  } catch (error) {
    return reportFailure(error, io, false);
  }
}
