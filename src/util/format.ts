// Number formatting without Intl: the first toLocaleString() call initialises ICU,
// which costs ~20 ms, a third of Node's own start-up, on the CI path. Built without
// split() and a regex, too: a report formats some twenty-five numbers, and the regex
// version cost a tenth of a whole assessment (test/util/format.test.ts keeps it exact).

/** 12345.6789 -> "12,345.679" (en-US style, at most `decimals` fraction digits). */
export function formatNumber(n: number, decimals = 3): string {
  if (!Number.isFinite(n)) return String(n);
  const factor = POWERS_OF_TEN[decimals] ?? 10 ** decimals;
  const rounded = Math.round(Math.abs(n) * factor) / factor;
  const text = String(rounded);
  const dot = text.indexOf('.');
  const whole = dot === -1 ? text : text.slice(0, dot);
  // Below 1e21 String() writes plain digits; past it, exponent notation (or Infinity), kept as it is.
  const grouped = rounded >= 1000 && rounded < 1e21 ? groupThousands(whole) : whole;
  const sign = n < 0 && rounded !== 0 ? '-' : '';
  return dot === -1 ? sign + grouped : `${sign}${grouped}.${text.slice(dot + 1)}`;
}

/** 10 ** d for the usual precisions, looked up rather than computed. */
const POWERS_OF_TEN = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

/** "1234567" -> "1,234,567" (digits only). */
function groupThousands(digits: string): string {
  const head = digits.length % 3 || 3;
  let out = digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return out;
}

/**
 * "a" or "an" before a number as it is read aloud: an 8, an 11, an 18, an 80-something,
 * an 800-something; a 1.5, a 75.
 */
export function articleFor(numberText: string): 'a' | 'an' {
  const digits = numberText.replace(/^[^0-9]*/, '');
  const whole = digits.replace(/[.,].*$/, '');
  if (digits.startsWith('8')) return 'an';
  // Eleven and eighteen, and their thousands (11,000 is "eleven thousand").
  const group = digits.split(/[.]/)[0]!.split(',')[0]!;
  if ((group === '11' || group === '18') && (whole.length === 2 || digits.includes(','))) return 'an';
  return 'a';
}
