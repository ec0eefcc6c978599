// Number formatting without Intl: the first toLocaleString() call initialises ICU,
// which costs ~20 ms, a third of Node's own start-up, on the CI path.

/** 12345.6789 -> "12,345.679" (en-US style, at most `decimals` fraction digits). */
export function formatNumber(n: number, decimals = 3): string {
  if (!Number.isFinite(n)) return String(n);
  const factor = 10 ** decimals;
  const rounded = Math.round(Math.abs(n) * factor) / factor;
  const [whole, fraction] = String(rounded).split('.') as [string, string | undefined];
  // String() switches to exponent notation past 1e21; keep those as they are.
  const grouped = whole.includes('e') ? whole : whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = n < 0 && rounded !== 0 ? '-' : '';
  return `${sign}${grouped}${fraction ? `.${fraction}` : ''}`;
}
