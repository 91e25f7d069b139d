import { rootCommand, runCli } from './index.js';

// Entry point of the `qudao` binary.
process.exitCode = await runCli(rootCommand, process.argv.slice(2));
