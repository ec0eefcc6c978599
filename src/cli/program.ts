// The full command line, parsed by commander: every command, option, help text and
// usage error. main.ts loads it for everything the fast path does not take.
// commander types parsed options as `any`; each command checks its own options.
/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-member-access */
import { Command, CommanderError, Option } from 'commander';
import type { CliIO } from './io';
import { asRun, EXIT, reportFailure } from './io';
import { APPROACHES } from '../rules/vocabulary';
import { FORMATS } from './output';

const ASSESS_EXAMPLES = `
Examples:
  $ ft-advisor assess                                   answer the questionnaire in a terminal
  $ ft-advisor assess --answers answers.yaml            assess a file (YAML or JSON)
  $ cat answers.json | ft-advisor assess --answers -    read the answers from standard input
  $ ft-advisor assess --answers a.yaml --format json    machine-readable output for CI
  $ ft-advisor assess --answers a.yaml --format markdown --output report.md
  $ ft-advisor assess --answers a.yaml --expect hybrid  exit 1 unless the verdict is hybrid
  $ ft-advisor assess answers/                          every answers file in a folder
  $ ft-advisor assess --answers a.yaml --evidence results.json --strict-evidence
                                                        let promptfoo results settle answers;
                                                        exit 1 if they contradict the file
  $ ft-advisor assess --answers a.yaml --data train.jsonl --holdout test.jsonl
                                                        answer the data questions from the files
  $ ft-advisor assess cases/ --evidence results.json    a batch: the results apply to every use
                                                        case, beside each one's own evidence:

Defaults (the rule set, --format, --expect, --baseline...) can live in .ft-advisor.yaml,
found upward from the working directory; flags given here win.

Exit status: 0 assessed, 1 a gate (--expect, --fail-on-change, --strict-evidence) failed,
2 bad usage or invalid input, 130 interrupted, 70 an internal error.`;

/** Applies the project config to a command's options; flags given on the command line win. */
async function configure(command: Command, opts: Record<string, unknown>, io: CliIO, assessKeys = false): Promise<string | undefined> {
  const { applyConfig } = await import('./config');
  const config = await applyConfig(opts, (key) => command.getOptionValueSource(key) === 'cli', io.cwd, assessKeys);
  return config?.file;
}

export async function runProgram(argv: string[], io: CliIO, version: string): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('ft-advisor');
  program
    .description('Decide whether to fine-tune: prompt engineering, RAG, fine-tuning or a hybrid, with the method and the numbers behind it.')
    .version(version, '-v, --version', 'print the version')
    .option('--debug', 'show stack traces for internal errors')
    .option('--color', 'colour even when the output is not a terminal (for every command)')
    .option('--no-color', 'plain output, no colour (for every command; also NO_COLOR=1)')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout.write(asRun(s, io)),
      writeErr: (s) => io.stderr.write(asRun(s, io)),
    })
    .addHelpText(
      'after',
      `
Examples:
  $ ft-advisor assess                          interactive questionnaire
  $ ft-advisor assess --answers answers.yaml   assess an answers file
  $ ft-advisor init answers.yaml               write a commented answers template
  $ ft-advisor rules show                      the active rule set as tables
  $ ft-advisor assess --help                   all assess options`,
    );

  const debug = () => Boolean(program.opts().debug);
  // `ft-advisor --no-color assess` means the same as `ft-advisor assess --no-color`; a
  // colour flag given to the command itself wins over one given before it.
  program.hook('preAction', (_program, command) => {
    const top = program.opts().color as boolean | undefined;
    if (top !== undefined && command.getOptionValueSource('color') !== 'cli') command.setOptionValue('color', top);
  });

  program
    .command('assess')
    .description('assess a use case: interactively on a terminal, or from answers files')
    .argument('[files...]', 'answers files or folders (several give one result per use case)')
    .option('-a, --answers <file>', 'answers file (YAML or JSON; .jsonl: one per line), or - for standard input')
    .addOption(new Option('-f, --format <format>', 'output format (default: text; jsonl when every input is JSON Lines)').choices([...FORMATS]))
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('-r, --rules <file>', 'use this rule set instead of rules/default.yaml')
    .addOption(new Option('--expect <approach>', 'exit 1 unless the recommended approach is this').choices([...APPROACHES]))
    .option('--baseline <report.json>', 'compare with an earlier JSON report and show what changed')
    .option('--fail-on-change', 'with --baseline: exit 1 when the verdict, method or bands changed')
    .option('--save-answers <file>', 'after an interactive run, save the answers here without asking')
    .option('--ask-missing', 'with --answers on a terminal: ask only what the file leaves out')
    .option('--resume [draft]', 'continue an interrupted questionnaire from its draft file')
    .option(
      '--evidence <file>',
      'eval results that settle answers (promptfoo results or an ft-advisor evidence file); repeatable; in a batch, for every use case',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--data <file>', 'a JSONL training file: its counts, PII and quality answer the data questions')
    .option('--holdout <file>', 'with --data: the held-out test set (its share, and leakage into training)')
    .option('--strict-evidence', 'exit 1 when evidence (eval results or training data) contradicts an explicit answer')
    .option('--no-what-if', 'skip the what-if search')
    .option('--color', 'colour even when the output is not a terminal')
    .option('--no-color', 'plain text output, no colour (also NO_COLOR=1)')
    .option('--config <file>', 'read defaults from this file instead of the nearest .ft-advisor.yaml')
    .option('--no-config', 'ignore .ft-advisor.yaml')
    .addHelpText('after', ASSESS_EXAMPLES)
    .action(async (files: string[], opts, command: Command) => {
      const { assessCommand } = await import('./commands/assess');
      try {
        opts.configFile = await configure(command, opts, io, true);
      } catch (error) {
        exitCode = reportFailure(error, io, false);
        return;
      }
      exitCode = await assessCommand(files, opts, io);
    });

  const rules = program
    .command('rules')
    .description('check or show a rule set')
    .addHelpText(
      'after',
      `
Examples:
  $ ft-advisor rules validate my-rules.yaml       check a rule set, list every problem
  $ ft-advisor rules show                         the default rule set as tables
  $ ft-advisor rules show --rules my-rules.yaml   a rule set of your own, merged with default
  $ ft-advisor rules show --facts                 the facts conditions can read

Writing a rule set: docs/rules.md.`,
    );
  rules
    .command('validate')
    // "check" is the word the group's own description uses, so people type it too.
    .alias('check')
    .description('check a rule set and list every problem by dot path (exit 0 valid, 2 invalid)')
    .argument('<file>', 'the rule set (YAML or JSON), or - for standard input')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Examples:
  $ ft-advisor rules validate my-rules.yaml
  $ ft-advisor rules validate my-rules.yaml --format json | jq '.problems[].path'
  $ cat my-rules.yaml | ft-advisor rules validate -

Reports unknown keys, unknown questions and facts, dangling references, duplicate ids
and thresholds out of range, each with its dot path. A file that says
"extends: default" is checked merged with the default rule set; list items are then
named by id, e.g. decision.tree[tree.indicators].when.`,
    )
    .action(async (file: string, opts) => {
      const { rulesValidateCommand } = await import('./commands/rules');
      exitCode = await rulesValidateCommand(file, opts, io);
    });
  rules
    .command('show')
    .description('print the active rule set as readable tables')
    .option('-r, --rules <file>', 'show this rule set instead of the default')
    .option('--config <file>', 'read the rule set from this file instead of the nearest .ft-advisor.yaml')
    .option('--no-config', 'ignore .ft-advisor.yaml')
    .option('--facts', 'list the facts conditions can read')
    .addOption(new Option('-f, --format <format>', 'output format (json: the rule set after merging)').choices(['text', 'json']).default('text'))
    .option('--color', 'colour even when the output is not a terminal')
    .option('--no-color', 'plain output')
    .addHelpText(
      'after',
      `
Examples:
  $ ft-advisor rules show | less -R
  $ ft-advisor rules show --rules my-rules.yaml --format json    the merged result of extends: default
  $ ft-advisor rules show --facts`,
    )
    .action(async (opts, command: Command) => {
      const { rulesShowCommand } = await import('./commands/rules');
      try {
        await configure(command, opts, io);
      } catch (error) {
        exitCode = reportFailure(error, io, false);
        return;
      }
      exitCode = await rulesShowCommand(opts, io);
    });

  program
    .command('schema')
    .description('print a JSON Schema (draft-07) for editors and validators')
    .argument('<which>', 'answers, rules, evidence or report')
    .option('-r, --rules <file>', 'answers schema for this rule set')
    .option('--config <file>', 'read the rule set from this file instead of the nearest .ft-advisor.yaml')
    .option('--no-config', 'ignore .ft-advisor.yaml')
    .addHelpText(
      'after',
      `
Examples:
  $ ft-advisor schema answers > answers.schema.json
  $ ft-advisor schema answers --rules my-rules.yaml > answers.schema.json
  $ ft-advisor schema rules > rules.schema.json
  $ ft-advisor schema evidence > evidence.schema.json   the tool-neutral eval-results file
  $ ft-advisor schema report > report.schema.json       the JSON report, for validators

Point your editor at it, e.g. first line of an answers file:
  # yaml-language-server: $schema=answers.schema.json`,
    )
    .action(async (which: string, opts, command: Command) => {
      const { schemaCommand } = await import('./commands/schema');
      try {
        if (which === 'answers') await configure(command, opts, io);
      } catch (error) {
        exitCode = reportFailure(error, io, false);
        return;
      }
      exitCode = await schemaCommand(which, opts, io);
    });

  program
    .command('init')
    .description('write a commented answers template')
    .argument('[file]', 'where to write it (default: standard output)')
    .option('-r, --rules <file>', 'template for this rule set')
    .option('--config <file>', 'read the rule set from this file instead of the nearest .ft-advisor.yaml')
    .option('--no-config', 'ignore .ft-advisor.yaml')
    .option('--force', 'overwrite an existing file')
    .addHelpText(
      'after',
      `
Examples:
  $ ft-advisor init answers.yaml                      write the template, then edit it
  $ ft-advisor init > answers.yaml                    the same, through standard output
  $ ft-advisor init answers.yaml --rules my-rules.yaml
  $ ft-advisor assess --answers answers.yaml          assess it once filled in

The template lists every question with its prompt; the yes/no questions are filled
with their defaults (false) and the optional sections are commented out.`,
    )
    .action(async (file: string | undefined, opts, command: Command) => {
      const { initCommand } = await import('./commands/init');
      try {
        await configure(command, opts, io);
      } catch (error) {
        exitCode = reportFailure(error, io, false);
        return;
      }
      exitCode = await initCommand(file, opts, io);
    });

  const data = program
    .command('data')
    .description('inspect training data')
    .addHelpText(
      'after',
      `
Examples:
  $ ft-advisor data inspect train.jsonl
  $ ft-advisor data inspect train.jsonl --holdout test.jsonl --format markdown`,
    );
  data
    .command('inspect')
    .description('read a JSONL training file: formats, problem lines, duplicates, token lengths, PII, the holdout')
    .argument('<file>', 'the training file (JSON Lines: chat, preference pairs, prompt/completion or text)')
    .option('--holdout <file>', 'the held-out test set: its share of the whole, and examples it shares with training')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--context-limit <tokens>', "count examples longer than this (default: the rule set's dataInspection.contextLimit)")
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('-r, --rules <file>', 'use the thresholds of this rule set')
    .option('--color', 'colour even when the output is not a terminal')
    .option('--no-color', 'plain output')
    .addHelpText(
      'after',
      `
Examples:
  $ ft-advisor data inspect examples/data/chat.jsonl --holdout examples/data/chat-holdout.jsonl
  $ ft-advisor data inspect train.jsonl --format json | jq '.findings.pii'
  $ ft-advisor data inspect train.jsonl --context-limit 4096 --format markdown --output data-report.md
  $ ft-advisor assess --answers answers.yaml --data train.jsonl --holdout test.jsonl

The file is streamed (any size, bounded memory) and never modified. PII findings give
line numbers, never the values. Progress is shown on standard error when it is a terminal.

Exit status: 0 inspected, 2 the file cannot be read as JSONL text (missing, a directory,
empty, binary, UTF-16) or has a line over the length cap (the rest is still reported).`,
    )
    .action(async (file: string, opts) => {
      const { dataInspectCommand } = await import('./commands/data');
      exitCode = await dataInspectCommand(file, opts, io);
    });

  program
    .command('diff')
    .description('show what changed between two JSON reports, and why')
    .argument('<before>', 'earlier report (from assess --format json; a batch array or JSON Lines works too)')
    .argument('<after>', 'later report')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--fail-on-change', 'exit 1 when the verdict, method, bands or confidence changed')
    .option('--color', 'colour even when the output is not a terminal')
    .option('--no-color', 'plain output')
    .addHelpText(
      'after',
      `
Examples:
  $ ft-advisor assess --answers a.yaml --format json > before.json
  $ # ... edit a.yaml or the rule set ...
  $ ft-advisor assess --answers a.yaml --format json > after.json
  $ ft-advisor diff before.json after.json
  $ ft-advisor diff before.json after.json --format markdown >> "$GITHUB_STEP_SUMMARY"
  $ ft-advisor diff before.json after.json --fail-on-change   exit 1 on decision drift
  $ ft-advisor assess --answers a.yaml --baseline before.json  the same check, in one step

Exit status: 0 compared (or nothing changed), 1 --fail-on-change and the approach,
method, score band, difference band or confidence changed, 2 a file is not a report.`,
    )
    .action(async (before: string, after: string, opts) => {
      const { diffCommand } = await import('./commands/diff');
      exitCode = await diffCommand(before, after, opts, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      // Commander already printed its message; bad usage is exit 2 like any bad input.
      return EXIT.usage;
    }
    return reportFailure(error, io, debug());
  }
}
