// Import circles make modules hard to read and change alone, and can leave a value
// undefined at load time. The answers modules have none (conforms.ts and schema.ts share
// their types through answers/types.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Every relative import (type-only ones too) of every source file. */
function importGraph(): Map<string, string[]> {
  const files = (readdirSync(SRC, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(join(SRC, file), 'utf8');
    const targets: string[] = [];
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s+'(\.[^']+)'/g)) {
      const base = resolve(dirname(join(SRC, file)), m[1]!);
      const target = [`${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p));
      if (target) targets.push(relative(SRC, target));
    }
    graph.set(file, targets);
  }
  return graph;
}

/** The cycles through `start`, as file lists. */
function cyclesThrough(graph: Map<string, string[]>, start: string): string[][] {
  const found: string[][] = [];
  const walk = (file: string, path: string[]) => {
    for (const next of graph.get(file) ?? []) {
      if (next === start) found.push([...path, next]);
      else if (!path.includes(next) && path.length < 12) walk(next, [...path, next]);
    }
  };
  walk(start, [start]);
  return found;
}

describe('import circles', () => {
  it('none through the answers modules', () => {
    const graph = importGraph();
    const answers = [...graph.keys()].filter((f) => f.startsWith(`answers${'/'}`));
    expect(answers).toContain(join('answers', 'conforms.ts'));
    expect(answers.flatMap((f) => cyclesThrough(graph, f)).map((c) => c.join(' -> '))).toEqual([]);
  });
});
