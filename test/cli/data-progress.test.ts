import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/cli/commands/data-progress';
import { fakeIO } from '../support/fake-io';

const step = { file: 'train.jsonl', bytesRead: 50 * 1024 * 1024, totalBytes: 200 * 1024 * 1024, lines: 123_456 };

describe('progress of a long read', () => {
  it.each([
    ['stderr is a terminal', true, {}, true],
    ['stderr is piped', false, {}, false],
    ['a terminal in CI', true, { CI: 'true' }, false],
  ])('%s: shown %s', async (_name, tty, env, shown) => {
    const fake = fakeIO(undefined, env);
    fake.io.stderr.isTTY = tty;
    let clock = 0;
    const p = progressReporter(fake.io, () => clock);
    clock = 1000;
    p.update?.(step);
    p.done();
    await new Promise((r) => setImmediate(r));
    if (shown) expect(fake.stderr()).toBe('\r\x1b[Ktrain.jsonl: 50.0 MiB of 200.0 MiB (25%), 123,456 lines, 52.4 MB/s\r\x1b[K');
    else expect(fake.stderr()).toBe('');
  });

  it('rewrites the line at most every 250 ms', async () => {
    const fake = fakeIO();
    fake.io.stderr.isTTY = true;
    let clock = 0;
    const p = progressReporter(fake.io, () => clock);
    for (clock = 100; clock <= 1000; clock += 100) p.update!(step);
    await new Promise((r) => setImmediate(r));
    expect(fake.stderr().split('\r\x1b[K').filter(Boolean)).toHaveLength(3);
  });
});
