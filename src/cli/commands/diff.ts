// `ft-advisor diff <before> <after>` and `assess --baseline`: decision drift between two
// JSON reports (or two batches of them), with `--fail-on-change` as a CI gate.
import type { Report } from '../../engine/assess';
import { diffPortfolios, diffReports, renderDiffMarkdown, renderDiffText, renderPortfolioDiff, reportKey, type ReportDiff, type ReportLike } from '../../report/diff';
import { InputError } from '../../util/errors';
import { readInputFile } from '../../util/read-input';
import { EXIT, reportFailure, useColor, type CliIO } from '../io';

export interface DiffOptions {
  format?: 'text' | 'markdown' | 'json';
  failOnChange?: boolean;
  color?: boolean;
}

export const EXPECTED_REPORT = 'a report from ft-advisor assess --format json, schemaVersion 1';
const REPORT_MAX_BYTES = 512 * 1024 * 1024;

export async function diffCommand(beforeFile: string, afterFile: string, opts: DiffOptions, io: CliIO): Promise<number> {
  try {
    const before = await loadReports(beforeFile, io);
    const after = await loadReports(afterFile, io);
    const color = opts.format === 'text' || opts.format === undefined ? useColor(io, opts) : false;
    let changed: boolean;
    if (before.single && after.single) {
      const d = diffReports(before.reports[0]!, after.reports[0]!);
      changed = d.changed;
      io.stdout.write(opts.format === 'json' ? `${JSON.stringify(d, null, 2)}\n` : opts.format === 'markdown' ? renderDiffMarkdown(d) : renderDiffText(d, { color }));
    } else {
      const p = diffPortfolios(before.reports, after.reports);
      changed = p.changed;
      io.stdout.write(opts.format === 'json' ? `${JSON.stringify(p, null, 2)}\n` : renderPortfolioDiff(p, opts.format === 'markdown' ? 'markdown' : 'text', { color }));
    }
    return opts.failOnChange && changed ? EXIT.gate : EXIT.ok;
  } catch (error) {
    return reportFailure(error, io, false);
  }
}

/**
 * `assess --baseline`: compares the new report with the earlier one, prints the diff on
 * standard error (standard output is the report), and fails only with --fail-on-change.
 */
export async function baselineGate(
  baselinePath: string,
  report: Report,
  opts: { failOnChange?: boolean; color?: boolean },
  io: CliIO,
  loaded?: { reports: ReportLike[]; single: boolean },
): Promise<number> {
  const baseline = loaded ?? (await loadReports(baselinePath, io));
  const before = pickBaseline(baseline.reports, report, baselinePath);
  const d = diffReports(before, report);
  io.stderr.write(renderDiffText(d, { color: useColor(io, opts, io.stderr), title: `ft-advisor: compared with ${baselinePath}` }));
  return opts.failOnChange && d.changed ? EXIT.gate : EXIT.ok;
}

/** The baseline entry for `report`: the only one, else the one with the same input or use case. */
export function pickBaseline(reports: readonly ReportLike[], report: ReportLike, file: string): ReportLike {
  if (reports.length === 1) return reports[0]!;
  const key = report.file !== undefined ? reportKey(report) : undefined;
  const found = (key !== undefined ? reports.find((r) => r.file !== undefined && reportKey(r) === key) : undefined) ?? reports.find((r) => r.useCase === report.useCase);
  if (!found) {
    throw new InputError({
      file,
      message: `has no report for use case "${report.useCase}"${key ? ` (${key})` : ''}; it has ${reports.length}: ${reports
        .slice(0, 5)
        .map((r) => JSON.stringify(r.useCase))
        .join(', ')}${reports.length > 5 ? ', …' : ''}`,
      hint: 'reports are matched by input file, then by use case name',
    });
  }
  return found;
}

/** A baseline for a batch: one diff per result, matched by input file or use case. */
export async function batchBaseline(baselinePath: string, io: CliIO): Promise<(report: ReportLike) => ReportDiff | undefined> {
  const baseline = await loadReports(baselinePath, io);
  const byKey = new Map<string, ReportLike>();
  const byName = new Map<string, ReportLike>();
  for (const r of baseline.reports) {
    if (r.file !== undefined) byKey.set(reportKey(r), r);
    if (!byName.has(r.useCase)) byName.set(r.useCase, r);
  }
  return (report) => {
    const before = (report.file !== undefined ? byKey.get(reportKey(report)) : undefined) ?? byName.get(report.useCase);
    return before ? diffReports(before, report) : undefined;
  };
}

/**
 * Reads one report, a JSON array of them (assess on several inputs) or JSON Lines.
 * Entries that record a failed input (`{ file, error }`) are skipped.
 */
export async function loadReports(file: string, io: CliIO): Promise<{ reports: ReportLike[]; single: boolean }> {
  let text: string;
  try {
    text = await readInputFile(file, { cwd: io.cwd, maxBytes: REPORT_MAX_BYTES, what: 'report' });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const p = error.problems[0]!;
    throw new InputError({
      file,
      message: `${p.message.replace(/; expected a report file \(YAML or JSON\)$/, '')}; expected ${EXPECTED_REPORT}`,
      hint: `make one with: ft-advisor assess --answers answers.yaml --format json > ${file}`,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    if (/^version:\s*1\s*(#.*)?$/m.test(text) && /^useCase:/m.test(text)) {
      throw new InputError({ file, message: `this is an answers file; expected ${EXPECTED_REPORT}`, hint: `assess it first: ft-advisor assess --answers ${file} --format json > report.json` });
    }
    data = parseJsonLines(text, file, (error as Error).message);
  }
  if (Array.isArray(data)) {
    const reports = data.filter((x) => !(x && typeof x === 'object' && 'error' in x && !('recommendation' in x))).map((x, i) => checkReport(x, file, `[${i}]`));
    if (!reports.length) throw new InputError({ file, message: `holds no reports; expected ${EXPECTED_REPORT}` });
    return { reports, single: false };
  }
  return { reports: [checkReport(data, file, '')], single: true };
}

function parseJsonLines(text: string, file: string, reason: string): unknown[] {
  const lines = text.split('\n');
  const out: unknown[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      throw new InputError({
        file,
        ...(out.length ? { line: i + 1 } : {}),
        message: `not valid JSON (${reason.replace(/ in JSON at position \d+.*$/s, '')}); expected ${EXPECTED_REPORT}`,
        hint: 'YAML and text reports cannot be compared: use --format json',
      });
    }
  }
  if (!out.length) throw new InputError({ file, message: `is empty; expected ${EXPECTED_REPORT}` });
  return out;
}

function checkReport(x: unknown, file: string, at: string): ReportLike {
  const where = at ? { path: at } : {};
  if (!x || typeof x !== 'object' || Array.isArray(x)) throw new InputError({ file, ...where, message: `expected ${EXPECTED_REPORT}, got ${Array.isArray(x) ? 'a list' : typeof x}` });
  const r = x as Record<string, unknown>;
  if (r.schemaVersion === undefined && r.version === 1 && 'useCase' in r) {
    throw new InputError({ file, ...where, message: `this is an answers file; expected ${EXPECTED_REPORT}`, hint: `assess it first: ft-advisor assess --answers ${file} --format json > report.json` });
  }
  if (r.schemaVersion !== 1) throw new InputError({ file, ...where, message: `expected ${EXPECTED_REPORT}; got schemaVersion ${JSON.stringify(r.schemaVersion ?? null)}` });
  const rec = r.recommendation as Record<string, unknown> | undefined;
  const fw = r.framework as Record<string, unknown> | undefined;
  const rules = r.rules as Record<string, unknown> | undefined;
  const missing = [
    typeof rec?.approach !== 'string' && 'recommendation.approach',
    !fw || typeof fw.score !== 'number' ? 'framework' : false,
    // What changed is read off the answers, or off the factors when a report has no answers.
    fw && !Array.isArray(fw.factors) && (!r.answers || typeof r.answers !== 'object') && 'framework.factors (or answers)',
    typeof rules?.name !== 'string' && 'rules.name',
    typeof r.useCase !== 'string' && 'useCase',
  ].filter(Boolean);
  if (missing.length) throw new InputError({ file, ...where, message: `is missing ${missing.join(', ')}; expected ${EXPECTED_REPORT}` });
  return r as unknown as ReportLike;
}
