// `ft-advisor rules validate <file>` and `ft-advisor rules show`: check a rule set and
// list every problem by dot path, or print the active one as tables a person can read.
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { ENGINE_FACTS } from '../../engine/facts';
import { EVIDENCE_FACTS } from '../../evidence/facts';
import { factTypes } from '../../rules/check';
import { checkRuleSetData, loadRules, RULES_MAX_BYTES } from '../../rules/load';
import type { BandRule, Condition, RuleSet, ValueTest } from '../../rules/schema';
import { formatProblem, InputError, type Problem } from '../../util/errors';
import { staleNumberWarnings } from '../../rules/stale-numbers';
import { readInputFile, readStream } from '../../util/read-input';
import { parseStructured } from '../../util/safe-yaml';
import { stripControlsDeep, stripTerminalControls } from '../../util/sanitize';
import { layoutWidth } from '../../util/width';
import { fitLines, tableColumns, wrapToWidth as wrap } from '../../util/wrap';
import { EXIT, printProblems, reportFailure, useColor, type CliIO } from '../io';

export interface RulesValidateOptions {
  format?: 'text' | 'json';
}

export interface RulesShowOptions {
  rules?: string;
  facts?: boolean;
  color?: boolean;
  format?: 'text' | 'json';
}

/** Questions a person answers: every field, and each choices section as one question. */
export function questionCount(rules: RuleSet): number {
  return rules.sections.reduce((n, s) => n + (s.kind === 'choices' ? 1 : (s.fields?.length ?? 0)), 0);
}

export async function rulesValidateCommand(file: string, opts: RulesValidateOptions, io: CliIO): Promise<number> {
  const json = opts.format === 'json';
  let problems: Problem[];
  let rules: RuleSet | undefined;
  let extended = false;
  try {
    const text =
      file === '-'
        ? await readStream(io.stdin, { maxBytes: RULES_MAX_BYTES, file: '<stdin>', what: 'rule set' })
        : await readInputFile(file, { cwd: io.cwd, maxBytes: RULES_MAX_BYTES, what: 'rule set' });
    const shown = file === '-' ? '<stdin>' : file;
    const data = await parseStructured(text, { file: shown, kind: 'rules', maxBytes: RULES_MAX_BYTES });
    const checked = await checkRuleSetData(data, shown);
    problems = checked.problems;
    rules = checked.rules;
    extended = checked.extended;
  } catch (error) {
    if (!(error instanceof InputError)) return reportFailure(error, io, false);
    problems = error.problems;
  }

  // Texts that still quote a number their condition changed (a warning: exit 0).
  const warnings = !problems.length && rules ? staleNumberWarnings(rules, file === '-' ? '<stdin>' : file) : [];
  if (json) {
    const body =
      problems.length || !rules
        ? { file, valid: false, problems: problems.map(({ file: _f, ...p }) => p) }
        : {
            file,
            valid: true,
            name: rules.name,
            version: String(rules.version),
            questions: questionCount(rules),
            extends: extended ? 'default' : null,
            warnings: warnings.map(({ file: _f, ...p }) => p),
          };
    io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return problems.length || !rules ? EXIT.usage : EXIT.ok;
  }
  if (problems.length || !rules) {
    printProblems(new InputError(problems), io);
    io.stderr.write(
      `${file}: not a valid rule set (${problems.length} problem${problems.length === 1 ? '' : 's'}). See docs/rules.md, and \`ft-advisor rules show --facts\` for the facts conditions can read.\n`,
    );
    return EXIT.usage;
  }
  io.stdout.write(
    `ok: ${stripTerminalControls(file)} is a valid rule set (${stripTerminalControls(rules.name)} ${stripTerminalControls(String(rules.version))}, ${questionCount(rules)} questions)${extended ? ', extending default' : ''}\n`,
  );
  for (const w of warnings) io.stderr.write(`warning: ${stripTerminalControls(formatProblem(w))}\n`);
  return EXIT.ok;
}

export async function rulesShowCommand(opts: RulesShowOptions, io: CliIO): Promise<number> {
  try {
    const rules = await loadRules(opts.rules, { cwd: io.cwd });
    if (opts.format === 'json') {
      io.stdout.write(`${JSON.stringify(opts.facts ? factList(rules) : rules, null, 2)}\n`);
      return EXIT.ok;
    }
    const color = useColor(io, opts);
    const width = Math.min(layoutWidth(io.stdout.columns, io.env, 120), 180);
    // A rule set's texts come from a file: no escape sequence of theirs reaches the terminal.
    const shown = stripControlsDeep(rules);
    io.stdout.write(opts.facts ? renderFacts(shown, { color, width }) : renderRuleSet(shown, { color, width, file: stripTerminalControls(opts.rules ?? 'rules/default.yaml') }));
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, io, false);
  }
}

// ---------------------------------------------------------------------------------------
// Facts

export interface FactInfo {
  fact: string;
  type: string;
  from: 'engine' | 'answers' | 'evidence';
  meaning: string;
}

export function factList(rules: RuleSet): FactInfo[] {
  const types = factTypes(rules);
  const out: FactInfo[] = [];
  for (const section of rules.sections) {
    if (section.kind === 'choices') {
      out.push({ fact: section.id, type: 'list', from: 'answers', meaning: `${section.title}: the choices picked, from ${(section.choices ?? []).map((c) => c.id).join(', ')}` });
      continue;
    }
    out.push({ fact: `${section.id}.present`, type: 'boolean', from: 'answers', meaning: `whether the ${section.title} section was answered at all` });
    for (const field of section.fields ?? []) {
      const path = `${section.id}.${field.id}`;
      const range = field.min !== undefined || field.max !== undefined ? ` (${field.min ?? '…'} to ${field.max ?? '…'})` : '';
      const derived = field.derive ? `; derived when omitted: ${conditionText(field.derive.when)}` : '';
      out.push({ fact: path, type: `${types.get(path)}${range}`, from: 'answers', meaning: `${field.label ?? field.prompt}${derived}` });
    }
  }
  for (const [fact, meaning] of Object.entries(ENGINE_FACTS)) out.push({ fact, type: types.get(fact) ?? 'any', from: 'engine', meaning });
  for (const [fact, { type, description }] of Object.entries(EVIDENCE_FACTS)) out.push({ fact, type, from: 'evidence', meaning: description });
  return out;
}

function renderFacts(rules: RuleSet, o: { color: boolean; width: number }): string {
  const c = new Chalk({ level: o.color ? 1 : 0 });
  const facts = factList(rules);
  const out: string[] = [];
  out.push(...wrap(c.bold(`Facts conditions can read (rule set ${rules.name} ${rules.version})`), o.width), '');
  out.push(...wrap('A condition is { fact: <path>, <operator>: <value> }; texts quote a fact as {path}.', o.width));
  out.push(...wrap('Operators: is, eq, ne, gt, gte, lt, lte, in, notIn, contains, containsAny, containsOnly, exists.', o.width), '');
  for (const [from, title] of [
    ['answers', 'From the answers (missing when not answered: comparisons on them are false)'],
    ['engine', 'Computed by the engine'],
    ['evidence', "Measured from evidence files, eval results and training data (read by the rule set's evidence mappings only)"],
  ] as const) {
    out.push(...wrap(c.bold.underline(title), o.width));
    out.push(
      table(
        ['Fact', 'Type', 'Meaning'],
        facts.filter((f) => f.from === from).map((f) => [f.fact, f.type, f.meaning]),
        o,
        [3, 1, 6],
      ),
      '',
    );
  }
  return `${fitLines(out.map(stripTerminalControlsKeepColor), o.width).join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------
// The rule set as tables

const OP_TEXT: Record<string, string> = {
  is: '=',
  eq: '=',
  ne: '≠',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  in: 'in',
  notIn: 'not in',
  contains: 'contains',
  containsAny: 'contains any of',
  containsOnly: 'contains only',
};

function valueText(v: unknown): string {
  return Array.isArray(v) ? `[${v.map((x) => valueText(x)).join(', ')}]` : typeof v === 'string' ? v : JSON.stringify(v);
}

function testText(subject: string, test: ValueTest): string {
  const parts: string[] = [];
  for (const [op, v] of Object.entries(test)) {
    if (op === 'fact' || v === undefined) continue;
    if (op === 'exists') parts.push(`${subject} ${v ? 'is given' : 'is not given'}`);
    else parts.push(`${subject} ${OP_TEXT[op] ?? op} ${valueText(v)}`);
  }
  return parts.join(' and ') || `${subject} (no operator)`;
}

/** `framework.indicators > 3 and (a or b)`: a condition in words, no values filled in. */
export function conditionText(c: Condition | undefined): string {
  if (!c) return 'always';
  if ('all' in c) return c.all.map((x) => ('any' in x ? conditionText(x) : conditionText(x))).join(' and ');
  if ('any' in c) return `(${c.any.map(conditionText).join(' or ')})`;
  if ('not' in c) return `not (${conditionText(c.not)})`;
  return testText(c.fact, c);
}

function bandsText(bands: BandRule[], subject: string): string {
  return bands.map((b) => (b.when ? `${b.band} if ${testText(subject, b.when)}` : `${b.band} otherwise`)).join('; ');
}

interface TableOptions {
  color: boolean;
  width: number;
}

function table(head: string[], rows: string[][], o: TableOptions, weights?: number[]): string {
  const t = new Table({
    head,
    colWidths: tableColumns(head, rows, o.width - 2, weights),
    wordWrap: true,
    style: { head: o.color ? ['cyan'] : [], border: o.color ? ['grey'] : [] },
  });
  for (const r of rows) t.push(r.map((cell) => stripTerminalControlsKeepColor(cell)));
  return t
    .toString()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

/** Rule text is from a file: strip escape sequences, but keep our own colours. */
function stripTerminalControlsKeepColor(s: string): string {
  return s
    .split(/(\x1b\[[0-9;]*m)/)
    .map((part) => (/^\x1b\[[0-9;]*m$/.test(part) ? part : stripTerminalControls(part)))
    .join('');
}

export function renderRuleSet(rules: RuleSet, o: TableOptions & { file: string }): string {
  const c: ChalkInstance = new Chalk({ level: o.color ? 1 : 0 });
  const out: string[] = [];
  const heading = (s: string) => out.push('', c.bold.underline(s));
  const note = (s: string) => out.push(...wrap(s, o.width - 2).map((l) => `  ${l}`));

  out.push(`${c.bold(`Rule set ${rules.name} ${rules.version}`)}  ${c.dim(`(${o.file})`)}`);
  if (rules.description) out.push(...wrap(rules.description, o.width));
  out.push(
    ...wrap(
      `${questionCount(rules)} questions in ${rules.sections.length} sections. \`ft-advisor rules show --facts\` lists the facts conditions read; docs/rules.md explains how to write your own.`,
      o.width,
    ).map((l) => c.dim(l)),
  );

  heading('Sources');
  out.push(
    table(
      ['Id', 'Title', 'File'],
      rules.sources.map((s) => [s.id, s.title, s.file ?? '']),
      o,
      [1, 4, 2],
    ),
  );

  heading('Sections and questions');
  for (const section of rules.sections) {
    const traits = [
      section.kind,
      section.role ? `role ${section.role}` : '',
      section.required ? 'required' : section.optional ? 'optional (offered)' : 'may be left out',
      section.askWhen ? `asked when ${conditionText(section.askWhen)}` : '',
    ].filter(Boolean);
    const [first = '', ...rest] = wrap(`${section.title} · ${section.id} · ${traits.join(' · ')}`, o.width - 2);
    out.push('', `  ${c.bold(section.title)}${c.dim(first.slice(section.title.length))}`, ...rest.map((l) => `    ${c.dim(l)}`));
    if (section.prompt) note(section.prompt);
    if (section.kind === 'choices') {
      out.push(
        table(
          ['Choice', 'Label', 'Route', 'Objective', 'Source'],
          (section.choices ?? []).map((ch) => [ch.id, ch.label, ch.route, `${ch.objective ?? ''}${ch.distill ? ' + distillation' : ''}`, ch.source]),
          o,
          [2, 4, 1, 2, 4],
        ),
      );
      continue;
    }
    out.push(
      table(
        ['Question', 'Type', 'Weight', 'Default', 'Asks', 'Source'],
        (section.fields ?? []).map((f) => {
          const range = f.min !== undefined || f.max !== undefined ? ` ${f.min ?? '…'}..${f.max ?? '…'}` : '';
          const type = f.type === 'score' ? `score ${Object.keys(f.levels ?? {}).join('/')}` : `${f.type}${range}`;
          const weight = f.weight ? `${f.weight} (${String((rules.framework.weights as Record<string, unknown>)[f.weight] ?? '?')})` : '';
          const derive = f.derive ? `\nderived: ${conditionText(f.derive.when)}` : '';
          return [`${section.id}.${f.id}${f.required === false ? '' : f.required ? ' *' : ''}`, type, weight, f.default === undefined ? '' : String(f.default), `${f.prompt}${derive}`, f.source];
        }),
        o,
        [3, 1, 1, 1, 5, 4],
      ),
    );
  }

  const fw = rules.framework;
  heading('Framework: scores and bands');
  const factors = rules.sections.filter((s) => s.role === 'indicator' || s.role === 'anti-indicator').reduce((n, s) => n + (s.fields?.length ?? 0), 0);
  const weights = Object.entries(fw.weights)
    .filter(([k]) => k !== 'source')
    .map(([k, v]) => `${k} = ${String(v)}`)
    .join(', ');
  out.push(
    table(
      ['Measure', 'Rule', 'Source'],
      [
        ['Ceiling test', `every question of section ${fw.ceiling.section} answered yes (${fw.ceiling.passWhen})`, fw.ceiling.source],
        ['Factors', `indicators: section ${fw.indicatorSection}; anti-indicators: section ${fw.antiIndicatorSection}`, ''],
        ['Weights', `${weights} (weighted score, informational)`, String(fw.weights.source ?? '')],
        [
          'Score',
          `(indicators − anti-indicators) / ${fw.score.totalFactors === 'count' ? `${factors} (count of factors)` : fw.score.totalFactors}\n${bandsText(fw.score.bands, 'score')}`,
          fw.score.source,
        ],
        ['Difference', `indicators − anti-indicators\n${bandsText(fw.difference.bands, 'difference')}`, fw.difference.source],
        ['Confidence', `reconcile: ${fw.confidence.reconcile}${fw.confidence.reconcile === 'cautious' ? ' (the weaker of the two bands)' : ''}`, fw.confidence.source],
        ...(fw.caps ?? []).map((cap) => [`Cap: ${cap.id}`, `at most ${cap.confidence} when ${conditionText(cap.when)}`, cap.source]),
        ...Object.entries(fw.actions).map(([band, action]) => [`Action: ${band}`, action, fw.actionsSource]),
      ],
      o,
      [1, 4, 3],
    ),
  );

  heading('Decision tree (in order; the first "no" ends it)');
  out.push(
    table(
      ['Step', 'Question', 'Yes when', 'If no', 'Source'],
      [
        ...rules.decision.tree.map((n) => [n.id, n.question, conditionText(n.when), `${n.no.label} → ${n.no.approach}`, n.source]),
        ['(all yes)', '', '', `${rules.decision.candidate.label} → ${rules.decision.candidate.approach}`, rules.decision.candidate.source],
      ],
      o,
      [2, 3, 3, 3, 3],
    ),
  );
  heading('Adjustments (applied in order after the tree)');
  out.push(
    table(
      ['Rule', 'When', 'Approach', 'Source'],
      rules.decision.adjustments.map((a) => [a.id, conditionText(a.when), `→ ${a.approach}`, a.source]),
      o,
      [2, 5, 1, 3],
    ),
  );

  const m = rules.method;
  heading('Method: objectives');
  note(`Priority when needs point to several: ${m.priority.join(' > ')}`);
  const ranges = (r: Record<string, [number, number | null]> | undefined) =>
    Object.entries(r ?? {})
      .map(([k, [lo, hi]]) => `${k} ${lo}–${hi ?? '∞'}`)
      .join(', ');
  out.push(
    table(
      ['Objective', 'Goal', 'Data: needs (typical)', 'Compute', 'Fallback', 'Source'],
      m.objectives.map((ob) => [
        `${ob.id}\n${ob.label}`,
        ob.goal,
        `${Object.entries(ob.requires)
          .map(([k, v]) => `${k} ≥ ${v}`)
          .join(', ')}\n(${ranges(ob.typical)})`,
        ob.compute,
        ob.fallback ?? '',
        ob.source,
      ]),
      o,
      [2, 3, 3, 1, 1, 3],
    ),
  );
  heading('Method: techniques (the first whose condition holds)');
  out.push(
    table(
      ['Technique', 'When', 'Typical', 'Cost', 'Quality', 'Source'],
      m.techniques.map((t) => [`${t.id}\n${t.label}`, t.when ? conditionText(t.when) : 'otherwise (default)', ranges(t.typical), t.cost, t.quality, t.source]),
      o,
      [2, 4, 2, 1, 1, 3],
    ),
  );
  note(`Distillation when ${conditionText(m.distillation.when)}  ${c.dim(`(${m.distillation.source})`)}`);

  heading('Data levels');
  out.push(
    table(
      ['Level', 'Examples', 'Meaning', 'Source'],
      rules.data.levels.map((l, i) => [l.level, `${i === 0 ? 0 : (rules.data.levels[i - 1]?.below ?? 0)}${l.below === null ? '+' : `–${l.below - 1}`}`, l.label, l.source]),
      o,
      [2, 1, 4, 3],
    ),
  );
  note(rules.data.qualityNote);

  heading('Economics and rubric');
  const e = rules.economics;
  out.push(
    table(
      ['Figure', 'Rule', 'Source'],
      [
        ['Days per month', String(e.daysPerMonth), e.daysPerMonthSource],
        ['Long prompt', `over ${e.longPromptTokens} tokens`, e.longPromptSource],
        ['Break-even', bandsText(e.breakEven.bands, 'months'), e.breakEven.source],
        ['Rubric', `section ${rules.rubric.section}, out of ${rules.rubric.max}: ${bandsText(rules.rubric.bands, 'points')}`, rules.rubric.source],
      ],
      o,
      [1, 4, 3],
    ),
  );

  heading('Next steps, risks, evaluation plan and warnings (shown when their condition holds)');
  const conditional = (['nextSteps', 'risks', 'evaluationPlan', 'warnings'] as const).flatMap((list) => rules[list].map((i) => [list, i.id, conditionText(i.when)]));
  out.push(table(['List', 'Id', 'When'], conditional, o, [1, 2, 5]));
  heading('Resolutions of contradictions between the sources');
  out.push(
    table(
      ['Id', 'Title', 'When'],
      rules.resolutions.map((r) => [r.id, r.title, conditionText(r.when)]),
      o,
      [2, 3, 3],
    ),
  );

  if (rules.evidence?.length) {
    heading('Evidence: what measured facts settle (assess --evidence)');
    out.push(
      table(
        ['Id', 'Settles', 'When / value', 'Source'],
        rules.evidence.map((m) => [
          m.id,
          m.answer ?? `finding: ${m.finding}`,
          m.value !== undefined ? `= ${m.value}${m.tolerance ? ` (±${m.tolerance * 100}%)` : ''}` : conditionText(m.when),
          m.source,
        ]),
        o,
        [2, 2, 3, 3],
      ),
    );
  }

  heading('Verdicts');
  out.push(
    table(
      ['Approach', 'Title', 'Summary template'],
      Object.entries(rules.verdicts).map(([k, v]) => [k, v.title, v.summary]),
      o,
      [1, 2, 6],
    ),
  );
  return `${fitLines(out.map(stripTerminalControlsKeepColor), o.width).join('\n')}\n`;
}
