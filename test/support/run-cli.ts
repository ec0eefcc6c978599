// One way to run the built binary in tests; it lives with the CLI tests.
export { BIN, ensureBuilt, ROOT, runCli, type CliResult } from '../cli/helpers';
