// A null device of a test's own, for tests of writing to devices: were the code under test
// to replace its target instead of writing to it, it would replace this node, never the
// machine's /dev/null. Making one needs root (mknod) and a file system that allows device
// files (not mounted nodev), so tests ask first and skip where it cannot be done.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Makes a null device (character device 1,3) at `path`. */
export function makeNullDevice(path: string): void {
  execFileSync('mknod', ['-m', '666', path, 'c', '1', '3'], { stdio: 'ignore' });
}

let usable: boolean | undefined;

/** Whether a null device can be made in the temporary folder and written to. */
export function canMakeNullDevice(): boolean {
  if (usable !== undefined) return usable;
  const dir = mkdtempSync(join(tmpdir(), 'ft-advisor-dev-'));
  try {
    makeNullDevice(join(dir, 'null'));
    writeFileSync(join(dir, 'null'), 'probe');
    usable = true;
  } catch {
    usable = false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return usable;
}
