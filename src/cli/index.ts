export { runCli, type CliIO } from './run.js';
export { rootCommand } from './commands/index.js';
export { UsageError, type Command, type CommandGroup, type CommandContext } from './command.js';
