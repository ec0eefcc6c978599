// Rule texts quote facts as {path}. Plain substitution: no expressions, no code.
import { formatScalar, type FactValue } from './conditions';

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_.-]*)\}/g;

export function interpolate(text: string, facts: ReadonlyMap<string, FactValue>): string {
  return text.replace(PLACEHOLDER, (whole, path: string) => (facts.has(path) ? formatScalar(facts.get(path)) : whole));
}

export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}
