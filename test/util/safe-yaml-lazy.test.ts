import { describe, expect, it, vi } from 'vitest';
import { parseStructured } from '../../src/util/safe-yaml';

// Counts how often the real `yaml` package is loaded, so the JSON fast path can be shown to
// leave it alone (loading it costs CI runs time for nothing).
const yamlLoads = vi.hoisted(() => ({ count: 0 }));
vi.mock('yaml', async (importOriginal) => {
  yamlLoads.count++;
  return importOriginal();
});

// Order matters: the module cache means only the first YAML parse loads the package.
describe('lazy loading of yaml', () => {
  it('parses JSON without loading yaml', async () => {
    await expect(parseStructured('{"goal": "style", "n": [1, 2]}', { file: 'a.json' })).resolves.toEqual({
      goal: 'style',
      n: [1, 2],
    });
    await expect(parseStructured('{"x": 1e999}', { file: 'a.json' })).rejects.toThrow(/number must be finite/);
    expect(yamlLoads.count).toBe(0);
  });

  it('refuses oversized input without loading yaml', async () => {
    await expect(parseStructured('a: 1\n'.repeat(300_000), { file: 'big.yaml' })).rejects.toThrow(/capped at 1 MiB/);
    expect(yamlLoads.count).toBe(0);
  });

  it('reads plain YAML without loading yaml (src/util/plain-yaml.ts)', async () => {
    await expect(parseStructured('goal: style # a comment\nneeds: [a, b]\n', { file: 'a.yaml' })).resolves.toEqual({ goal: 'style', needs: ['a', 'b'] });
    expect(yamlLoads.count).toBe(0);
  });

  it('loads yaml for the rest of YAML', async () => {
    await expect(parseStructured('goal: &g style\nagain: *g\n', { file: 'a.yaml' })).resolves.toEqual({ goal: 'style', again: 'style' });
    expect(yamlLoads.count).toBe(1);
  });
});
