// The width text is laid out in. Apart from wrap.ts, whose libraries only the renderers
// load: the CI fast path needs this, and nothing heavier.

/** The narrowest width the renderers lay text out in. */
export const MIN_WIDTH = 60;

/** The terminal's width, else COLUMNS, else undefined (piped output with no COLUMNS). */
export function knownWidth(columns: number | undefined, env: Record<string, string | undefined>): number | undefined {
  const fromEnv = Number(env.COLUMNS);
  const width = columns || (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined);
  return width === undefined ? undefined : Math.max(MIN_WIDTH, width);
}

/** The width to lay text out in: the terminal's, else COLUMNS, else `fallback`; never under MIN_WIDTH. */
export function layoutWidth(columns: number | undefined, env: Record<string, string | undefined>, fallback = 100): number {
  return knownWidth(columns, env) ?? Math.max(MIN_WIDTH, fallback);
}
