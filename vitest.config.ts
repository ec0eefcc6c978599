import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Test files that watch modules being loaded (the lazy `yaml` import): each needs a module
 * registry of its own. Every other file shares its worker's modules with the files before
 * it: loading Vitest's runtime, the libraries and the sources once per worker instead of
 * once per file is most of what isolation costs, and the tests keep no state in modules.
 */
const ISOLATED = ['test/util/safe-yaml-lazy.test.ts'];

/**
 * The longest files (worker threads and npm, TypeScript, property runs, a pseudo-terminal),
 * started first, so that the run does not end with one of them on one worker while the
 * other has nothing left to do. Vitest orders files by their last durations once it has
 * run them; a fresh clone has none, and would order by file size.
 */
const LONGEST_FIRST = [
  'test/package/package.test.ts',
  'test/cli/batch.test.ts',
  'test/cli/action.test.ts',
  'test/property/what-if.property.test.ts',
  'test/cli/nothing-lost.test.ts',
  'test/e2e/questionnaire-pty.test.ts',
  'test/property/engine.property.test.ts',
  'test/e2e/assess-cli.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const i = LONGEST_FIRST.findIndex((f) => spec.moduleId.endsWith(`/${f}`));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    return sorted
      .map((spec, order) => ({ spec, order, rank: rank(spec) }))
      .sort((a, b) => a.rank - b.rank || a.order - b.order)
      .map((x) => x.spec);
  }
}

export default defineConfig({
  test: {
    // Budgets for a busy two-core machine, not a quiet one: tests assert behaviour, never
    // time. Property tests are sized by run count; the long ones carry their own budget.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // End-to-end tests spawn the built binary; two cores, so keep the pool small.
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    projects: [
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ISOLATED, isolate: false } },
    ],
  },
});
