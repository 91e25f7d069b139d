import type { Config } from '../config/index.js';

/** One flag of a command: `--name value` (string) or `--name` (boolean). */
export interface FlagSpec {
  type: 'string' | 'boolean';
  doc: string;
  short?: string;
  /** May be given several times (string flags only); the value is then a string array. */
  multiple?: boolean;
  /** Shown in help; the command applies it. */
  placeholder?: string;
}

/** Parsed flag values. */
export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** What a command receives. */
export interface CommandContext {
  readonly flags: FlagValues;
  readonly positionals: readonly string[];
  /** Loads the frozen config from defaults, file, environment and this command's setting flags. */
  loadConfig(): Config;
  /** Writes a line to standard output. */
  out(line: string): void;
  /** Writes a line to standard error. */
  err(line: string): void;
}

/** A runnable command. Its `run` returns the exit code (0 when it returns nothing). */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Positional arguments, for help and arity checks. */
  readonly args?: readonly { name: string; doc: string; optional?: boolean; variadic?: boolean }[];
  readonly flags?: Readonly<Record<string, FlagSpec>>;
  /** Accepts every configuration setting as a flag (`--port`, `--data-dir`, ... and `--config FILE`). */
  readonly usesConfig?: boolean;
  /** Extra help text printed after the flags. */
  readonly help?: string;
  run(ctx: CommandContext): Promise<number | void>;
}

/** A group of subcommands, e.g. `qudao data prepare`. */
export interface CommandGroup {
  readonly name: string;
  readonly summary: string;
  readonly commands: readonly (Command | CommandGroup)[];
}

/** True when the node is a group. */
export function isGroup(node: Command | CommandGroup): node is CommandGroup {
  return 'commands' in node;
}

/** A mistake in how the command was called: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
