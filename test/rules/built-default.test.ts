// The CLI trusts the build's validated copy of the default rules only while
// rules/default.yaml is the file it was built from. These cases run on a package-shaped
// temp folder holding the real build output.
import { cpSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { currentBuiltDefault } from '../../src/rules/default-rules';
import { ensureBuilt, ROOT, tempDir } from '../cli/helpers';

const { dir, cleanup } = tempDir('ft-advisor-built-');
const yamlPath = join(dir, 'rules/default.yaml');
let original: string;

beforeAll(async () => {
  await ensureBuilt();
  original = readFileSync(join(ROOT, 'rules/default.yaml'), 'utf8');
}, 120_000);
afterAll(cleanup);

beforeEach(() => {
  // A fresh copy each time, with the fingerprint rebuilt for it (as the build would).
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'rules'), join(dir, 'rules'), { recursive: true, preserveTimestamps: true });
  const built = JSON.parse(readFileSync(join(ROOT, 'dist/default-rules.json'), 'utf8'));
  writeFileSync(join(dir, 'dist/default-rules.json'), JSON.stringify(built));
  cpSync(join(ROOT, 'dist/default-rules.yaml'), join(dir, 'dist/default-rules.yaml'));
});

describe('currentBuiltDefault', () => {
  it('uses the built rules while the YAML is the one they were built from', () => {
    const rules = currentBuiltDefault(dir);
    expect(rules?.name).toBe('default');
  });

  it('a touched or copied YAML with the same contents: still the built rules', () => {
    utimesSync(yamlPath, new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(currentBuiltDefault(dir)?.name).toBe('default');
  });

  it.each([
    ['a different size', () => original.replace('gt: 3 }', 'gt: 4 } ')],
    ['the same size', () => original.replace('gt: 3 }', 'gt: 4 }')],
  ])('an edited YAML (%s): undefined, so the YAML itself is parsed and validated', (_name, edit) => {
    const edited = edit();
    expect(edited).not.toBe(original);
    writeFileSync(yamlPath, edited);
    expect(currentBuiltDefault(dir)).toBeUndefined();
  });

  it('a missing YAML: the built rules', () => {
    rmSync(yamlPath);
    expect(currentBuiltDefault(dir)?.name).toBe('default');
  });

  it('no build: undefined', () => {
    rmSync(join(dir, 'dist'), { recursive: true });
    expect(currentBuiltDefault(dir)).toBeUndefined();
  });
});
