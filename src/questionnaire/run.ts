// `ft-advisor assess` on a terminal: the questionnaire, and after the verdict the offers
// to save the answers (for CI) and a Markdown report. It returns the answers; the command
// (cli/commands/assess-interactive.ts) scores and prints them. An interrupted run leaves a
// draft that `--resume` continues. Loaded only on the interactive path.
import { stat, unlink } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { readAnswersData } from '../answers/load';
import type { Answers } from '../answers/schema';
import { validateAnswers } from '../answers/validate';
import type { AssessOptions } from '../cli/commands/assess-finish';
import { commandName, EXIT, Interrupted, useColor, type CliIO } from '../cli/io';
import { assessAnswers } from '../engine/assess';
import type { RuleSet } from '../rules/schema';
import { checkWritable, isStream } from '../util/atomic-write';
import { InputError, UsageError, formatProblem } from '../util/errors';
import { stripControlsDeep, stripTerminalControls } from '../util/sanitize';
import { fitLines, knownWidth } from '../util/wrap';
import { DRAFT_FILE, answersYaml, draftYaml, loadDraft, writeAnswersFile } from './answers-file';
import { runQuestionnaire, type Ask, type Draft, type Style } from './flow';
import { createInquirerAsk } from './inquirer-ask';
import { guardTerminal } from './terminal-guard';
import type { EvidenceFiles, EvidenceStep } from './evidence-step';
import type { EvidenceResult } from '../evidence/types';
import { metaQuestion, planQuestions, type PartialAnswers, type QuestionValue } from './questions';

export interface InteractiveDeps {
  /** Replaces the real prompts (tests). */
  ask?: Ask;
  /** Listen for SIGINT/SIGHUP/SIGTERM while asking (default true). */
  trapSignals?: boolean;
}

/** A path as a shell argument, safe to print: quoted when needed, control characters removed. */
function shellArg(s: string): string {
  const clean = stripTerminalControls(s);
  return /^[\w./:@%+=,-]+$/.test(clean) ? clean : `'${clean.replace(/'/g, `'\\''`)}'`;
}

function styleFor(color: boolean): Style {
  const sgr = (open: number, close: number) => (s: string) => (color ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return { bold: sgr(1, 22), dim: sgr(2, 22) };
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function countAnswers(answers: PartialAnswers): number {
  let n = 0;
  for (const [key, value] of Object.entries(answers)) {
    if (key === 'version') continue;
    if (Array.isArray(value)) n++;
    else if (value && typeof value === 'object') n += Object.keys(value).length;
  }
  return n;
}

/** A questionnaire on the terminal: ask() the answers, then afterVerdict(), then close(). */
export interface QuestionnaireSession {
  /** The answers, or the exit code when the run ended without them (130: interrupted, a draft saved). */
  ask(): Promise<Answers | number>;
  /** What eval results or training data said, once ask() has answered (undefined without evidence). */
  evidence(): EvidenceResult | undefined;
  /**
   * After the verdict is printed: the offers to save the answers and a Markdown report.
   * Returns 130 when interrupted there (the answers then go to the draft), else undefined.
   */
  afterVerdict(answers: Answers): Promise<number | undefined>;
  close(): void;
}

/**
 * Opens the questionnaire on the terminal in `io`. Checks that need no terminal (a
 * --save-answers path that cannot be written) throw before anything is asked.
 */
export async function openQuestionnaire(rules: RuleSet, opts: AssessOptions, io: CliIO, deps: InteractiveDeps = {}): Promise<QuestionnaireSession> {
  if (opts.resume !== undefined && opts.answers !== undefined) {
    throw new UsageError('--resume continues a draft; it cannot be combined with --answers', 'use ft-advisor assess --resume [draft], or ft-advisor assess --answers <file> --ask-missing');
  }
  // Prompts need the terminal: with standard output redirected (assess > report.txt),
  // the questionnaire talks on standard error and only the report goes to the file.
  const ui: CliIO = !io.stdout.isTTY && io.stderr.isTTY ? { ...io, stdout: io.stderr } : io;
  const color = useColor(ui, opts);
  const style = styleFor(color);
  // Long lines (what the evidence settled, with why) wrap at the terminal's width, indented.
  const width = knownWidth(ui.stdout.columns, io.env);
  const say = (text: string) => ui.stdout.write(`${width ? fitLines([text], width).join('\n') : text}\n`);
  const draftFile = typeof opts.resume === 'string' ? opts.resume : DRAFT_FILE;
  const draftPath = resolve(io.cwd, draftFile);
  const shownDraft = stripTerminalControls(draftFile);
  const rulesArg = opts.rules ? ` --rules ${shellArg(opts.rules)}` : '';
  const resumeCommand = `${commandName(io)} assess --resume${draftFile === DRAFT_FILE ? '' : ` ${shellArg(draftFile)}`}${rulesArg}`;

  if (opts.saveAnswers) {
    const reason = await checkWritable(resolve(io.cwd, opts.saveAnswers));
    if (reason) throw new InputError({ file: opts.saveAnswers, message: `cannot save the answers: ${reason}`, hint: 'choose another --save-answers path; nothing was asked yet' });
  }

  const guard = guardTerminal(io, { signals: deps.trapSignals !== false });
  const ask = deps.ask ?? createInquirerAsk({ input: io.stdin, output: ui.stdout, signal: guard.signal, color });
  const saveDraft = async (draft: Draft) => writeAnswersFile(io.cwd, draftFile, await draftYaml(rules, draft, resumeCommand));

  let skippedAtEnd: string[] = [];
  let answersGiven: Answers | undefined;
  let evidenceResult: EvidenceResult | undefined;
  let evidenceUsed: EvidenceStep | undefined;
  const ask_ = async (): Promise<Answers | number> => {
    say(`${style.bold('ft-advisor')} · should you fine-tune? ${style.dim(`(rules ${stripTerminalControls(rules.name)} ${stripTerminalControls(String(rules.version))})`)}`);
    let initial: PartialAnswers | undefined;
    let skipped: string[] = [];
    let scope: 'all' | 'missing' = 'all';
    let opening: string;
    let evidenceFiles = opts.evidence;
    let dataFiles: { data?: string; holdout?: string } = opts;
    let resumed = opts.resume !== undefined;

    if (opts.resume !== undefined) {
      if (!(await exists(draftPath))) {
        throw new UsageError(`there is no draft to resume at ${shownDraft}`, 'a draft is written when a questionnaire is interrupted; start one with: ft-advisor assess');
      }
      const draft = await loadDraft(draftFile, rules, io.cwd);
      ({ answers: initial, skipped } = draft);
      opening = `Continuing from ${shownDraft}: ${countAnswers(draft.answers)} answers kept,`;
    } else if (opts.answers !== undefined) {
      const { data, file } = await readAnswersData({ file: opts.answers, cwd: io.cwd, stdin: io.stdin });
      const { evidencePathsOf } = await import('../evidence/eval/prepare');
      const paths = evidencePathsOf(data, file);
      if (paths.length) {
        // The file's evidence: read with the rest, relative to the file.
        const base = dirname(opts.answers);
        evidenceFiles = [...paths.map((p) => (isAbsolute(p) ? p : join(base, p))), ...(opts.evidence ?? [])];
        delete (data as Record<string, unknown>).evidence;
      }
      // data: { file, holdout } names training files, read below rather than validated as answers.
      const { dataFilesFrom } = await import('../cli/commands/data-evidence');
      const { answers: rest, files } = dataFilesFrom(data, file, opts);
      if (files) dataFiles = { data: files.file, holdout: files.holdout };
      initial = validateAnswers(rest, rules, { file, partial: true });
      scope = 'missing';
      opening = `${stripTerminalControls(opts.answers)} gives ${countAnswers(initial)} answers; asking only what it leaves out:`;
    } else {
      opening = '';
      if (await exists(draftPath)) {
        try {
          const draft = await loadDraft(draftFile, rules, io.cwd);
          const n = countAnswers(draft.answers);
          const resume = await ask(
            metaQuestion('@resumeDraft', 'offer', `Continue where you left off? (${n} answer${n === 1 ? '' : 's'} saved in ${draftFile})`, { label: 'Resume the draft', default: true }),
            { answers: {}, editing: false },
          );
          if (resume === true) {
            ({ answers: initial, skipped } = draft);
            opening = `Continuing from ${shownDraft}:`;
            resumed = true;
          }
        } catch (error) {
          if (error instanceof Interrupted) {
            io.stderr.write(`\nft-advisor: interrupted; ${shownDraft} is unchanged.\n`);
            return EXIT.interrupted;
          }
          if (!(error instanceof InputError)) throw error;
          say(style.dim(`Ignoring ${draftFile}, which does not fit this rule set: ${stripTerminalControls(formatProblem(error.problems[0]!))}`));
        }
      }
    }

    // Eval results first, then the training data: what they settle is not asked. Not when
    // resuming (the draft holds what the first run's evidence filled). The training-file
    // offer comes with --data or a data: file, or on a fresh run (no answers file, no draft).
    const offerData = !resumed && (dataFiles.data !== undefined || (initial === undefined && opts.answers === undefined));
    let evidence: EvidenceStep | undefined;
    if (!resumed) {
      const { evidenceStep, withTrainingData } = await import('./evidence-step');
      try {
        evidence = await evidenceStep(rules, ask, say, style, io.cwd, initial ?? {}, evidenceFiles);
        if (evidence.measurements.length) {
          initial = evidence.answers;
          skipped = [...skipped, ...evidence.skipped];
        }
        if (offerData) {
          const { offerTrainingData } = await import('../cli/commands/data-questionnaire');
          const fromData = await offerTrainingData(rules, dataFiles, io, ask, say, initial);
          if (fromData) {
            initial = fromData.answers;
            skipped = [...skipped, ...fromData.skipped];
            evidence = withTrainingData(evidence, fromData);
          }
        }
      } catch (error) {
        if (!(error instanceof Interrupted)) throw error;
        interruptedMessage(io, false, shownDraft, resumeCommand);
        return EXIT.interrupted;
      }
    }

    const given = new Set(Object.keys(initial ?? {}));
    const left = planQuestions(rules, { answers: initial ?? {}, skipped: new Set(skipped) }, { scope, given }).filter((i) => i.status === 'pending').length;
    const togo = left === 0 ? 'nothing left to ask; check the answers below.' : `${left} question${left === 1 ? '' : 's'} to go.`;
    say(opening ? `${opening} ${togo}` : togo.charAt(0).toUpperCase() + togo.slice(1));
    say(style.dim('Arrow keys and Enter answer; Enter alone takes the default; Ctrl-C saves a draft to resume later.'));

    const result = await runQuestionnaire({
      // Questions, help and section titles come from the rule set's file: shown clean.
      rules: stripControlsDeep(rules),
      ask,
      print: say,
      style,
      ...(ui.stdout.columns ? { width: ui.stdout.columns } : {}),
      ...(initial ? { answers: initial } : {}),
      skipped,
      scope,
      saveDraft,
    });

    if (result.status === 'interrupted') {
      interruptedMessage(io, result.saved, shownDraft, resumeCommand, result.saveError);
      return EXIT.interrupted;
    }

    say('');
    skippedAtEnd = result.draft.skipped;
    answersGiven = result.answers;
    // The evidence is applied again to the final answers: a target or an answer changed in
    // the review still counts. The saved answers stay the team's own.
    if (evidence?.measurements.length) {
      const { finalEvidence } = await import('./evidence-step');
      const final = finalEvidence(rules, result.answers, evidence);
      evidenceResult = final.evidence;
      evidenceUsed = evidence;
      return validateAnswers(final.answers, rules);
    }
    return result.answers;
  };
  return {
    ask: ask_,
    evidence: () => evidenceResult,
    async afterVerdict(answers: Answers): Promise<number | undefined> {
      const saved = answersGiven ?? answers;
      // Saved answers name the evidence files instead of the answers they filled, so a
      // replay (in CI, say) reads the measurements again and --strict-evidence can gate them.
      const { teamAnswers } = evidenceUsed ? await import('./evidence-step') : { teamAnswers: undefined };
      const toSave: SavedAnswers = evidenceUsed && teamAnswers ? { answers: teamAnswers(saved, evidenceUsed, true), files: evidenceUsed.files } : { answers: saved };
      try {
        await afterVerdict(rules, { save: toSave, report: answers, evidence: evidenceResult }, opts, ui, ask, rulesArg);
      } catch (error) {
        if (!(error instanceof Interrupted)) throw error;
        await saveDraft({ answers: saved, skipped: skippedAtEnd });
        interruptedMessage(io, true, shownDraft, resumeCommand);
        return EXIT.interrupted;
      }
      await unlink(draftPath).catch(() => undefined);
      return undefined;
    },
    close: () => guard.release(),
  };
}

function interruptedMessage(io: CliIO, saved: boolean, draftFile: string, resumeCommand: string, error?: unknown): void {
  const write = (s: string) => {
    try {
      io.stderr.write(s);
    } catch {
      // The terminal may be gone; the draft is what matters.
    }
  };
  if (saved) write(`\nft-advisor: interrupted. Your answers are saved in ${draftFile}\n  continue with: ${resumeCommand}\n`);
  else if (error !== undefined) write(`\nft-advisor: interrupted, and the draft could not be written to ${draftFile}: ${stripTerminalControls((error as Error).message ?? String(error))}\n`);
  else write('\nft-advisor: interrupted before the first answer; nothing to save.\n');
}

/** The answers a run saves, and the evidence files it read (named again in the saved file). */
interface SavedAnswers {
  answers: Record<string, unknown>;
  files?: EvidenceFiles;
}

/** Offers to save the answers for CI and the report as Markdown; --save-answers saves without asking. */
async function afterVerdict(
  rules: RuleSet,
  run: { save: SavedAnswers; report: Answers; evidence: EvidenceResult | undefined },
  opts: AssessOptions,
  io: CliIO,
  ask: Ask,
  rulesArg: string,
): Promise<void> {
  const say = (text: string) => io.stdout.write(`${text}\n`);
  const ctx = { answers: run.report as unknown as PartialAnswers, editing: false };
  const replay = (file: string) => `${commandName(io)} assess --answers ${shellArg(file)}${rulesArg}`;

  const saveAnswers = async (file: string) => {
    const files = run.save.files && filesRelativeTo(resolve(io.cwd, file), io.cwd, run.save.files);
    await writeAnswersFile(io.cwd, file, await answersYaml(rules, run.save.answers, replay(file), files));
    say(`Saved the answers to ${stripTerminalControls(file)}. Replay this run (e.g. in CI) with: ${replay(file)}`);
  };

  if (opts.saveAnswers) {
    await saveAnswers(opts.saveAnswers);
  } else {
    say('');
    const yes = await ask(
      metaQuestion('@saveAnswers', 'offer', 'Save your answers to a YAML file?', { label: 'Save answers', hint: 'To re-run this assessment later or in CI with --answers.', default: true }),
      ctx,
    );
    if (yes === true) {
      // Completing a partial file: suggest writing the completed answers back to it.
      const file = await askPath(io, ask, ctx, '@answersFile', 'Save the answers as:', opts.answers && opts.answers !== '-' ? opts.answers : 'answers.yaml');
      if (file) await saveAnswers(file);
    }
  }

  if (opts.format === 'markdown' && opts.output) return;
  const md = await ask(
    metaQuestion('@saveReport', 'offer', 'Also write the report as Markdown?', { label: 'Markdown report', hint: 'For a pull request, a wiki page or a design doc.', default: false }),
    ctx,
  );
  if (md !== true) return;
  const file = await askPath(io, ask, ctx, '@reportFile', 'Write the Markdown report to:', 'ft-advisor-report.md');
  if (!file) return;
  const { renderReport, writeReport } = await import('../cli/output');
  // The report shown: with the evidence, when there was some.
  const report = assessAnswers(rules, run.report, { whatIf: opts.whatIf !== false, ...(run.evidence ? { evidence: run.evidence } : {}) });
  await writeReport(await renderReport(report, 'markdown', { color: false }), file, io);
}

/** Asks for a file to write, until it is writable; confirms before replacing a file. Empty: cancel. */
async function askPath(io: CliIO, ask: Ask, ctx: { answers: PartialAnswers; editing: boolean }, path: string, message: string, suggestion: string): Promise<string | undefined> {
  let fallback = suggestion;
  for (;;) {
    const value: QuestionValue = await ask(metaQuestion(path, 'text', message, { label: message, default: fallback, required: false }), ctx);
    if (typeof value !== 'string' || value.trim() === '') return undefined;
    const file = value.trim();
    const target = resolve(io.cwd, file);
    const reason = await checkWritable(target);
    if (reason) {
      io.stdout.write(`Cannot write there: ${stripTerminalControls(reason)}.\n`);
      fallback = suggestion;
      continue;
    }
    if ((await exists(target)) && !(await isStream(target))) {
      const replace = await ask(metaQuestion(`${path}:overwrite`, 'offer', `${stripTerminalControls(file)} exists. Replace it?`, { label: 'Replace the file', default: false }), ctx);
      if (replace !== true) {
        // A name not taken yet, so that Enter at every question still reaches the end.
        fallback = await freshName(io.cwd, file);
        continue;
      }
    }
    return file;
  }
}

/** `answers.yaml` → the first of `answers-2.yaml`, `answers-3.yaml`, … that does not exist. */
export async function freshName(cwd: string, file: string): Promise<string> {
  const ext = extname(file);
  const stem = file.slice(0, file.length - ext.length).replace(/-\d+$/, '');
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}${ext}`;
    if (
      !(await stat(resolve(cwd, candidate)).then(
        () => true,
        () => false,
      ))
    )
      return candidate;
  }
}

/** Evidence files named relative to the saved answers file, as an answers file names them. */
function filesRelativeTo(savedFile: string, cwd: string, files: EvidenceFiles): { evidence?: string[]; data?: { file: string; holdout?: string } } {
  const from = dirname(savedFile);
  const rel = (p: string) => relative(from, resolve(cwd, p)).split(sep).join('/');
  return {
    ...(files.eval.length ? { evidence: files.eval.map(rel) } : {}),
    ...(files.data ? { data: { file: rel(files.data.file), ...(files.data.holdout !== undefined ? { holdout: rel(files.data.holdout) } : {}) } } : {}),
  };
}
