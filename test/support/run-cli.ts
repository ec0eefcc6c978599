// The ways to run the built CLI in tests (a child process, or in-process); they live with the CLI tests.
export { BIN, ensureBuilt, ROOT, runBuilt, runCli, type CliResult } from '../cli/helpers';
