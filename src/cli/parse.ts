import { parseArgs } from 'node:util';
import { settings, type SettingName } from '../config/index.js';
import { isGroup, UsageError, type Command, type CommandGroup, type FlagSpec, type FlagValues } from './command.js';

/** The flags every command accepts. */
export const commonFlags: Record<string, FlagSpec> = {
  help: { type: 'boolean', short: 'h', doc: 'Show help for this command.' },
};

/** The configuration settings as flags, for commands with `usesConfig`. */
export function configFlags(): Record<string, FlagSpec> {
  const flags: Record<string, FlagSpec> = { config: { type: 'string', doc: 'JSON config file (else QUDAO_CONFIG).', placeholder: 'FILE' } };
  for (const [name, s] of Object.entries(settings)) {
    const isBool = name === 'demo';
    flags[s.flag] = { type: isBool ? 'boolean' : 'string', doc: `${s.doc} [${s.env.join(', ')}]`, placeholder: isBool ? undefined : 'VALUE' };
    void (name as SettingName);
  }
  return flags;
}

/** Walks the argument list down the command tree; returns the node reached and the remaining arguments. */
export function resolveCommand(root: CommandGroup, argv: readonly string[]): { node: Command | CommandGroup; path: string[]; rest: string[] } {
  let node: Command | CommandGroup = root;
  const path: string[] = [];
  let i = 0;
  while (isGroup(node) && i < argv.length && !argv[i]!.startsWith('-')) {
    const name: string = argv[i]!;
    const next: Command | CommandGroup | undefined = node.commands.find((c) => c.name === name);
    if (!next) {
      const known = node.commands.map((c) => c.name).join(', ');
      throw new UsageError(`unknown command "${[...path, name].join(' ')}" (known: ${known}); see npx qudao ${path.join(' ')}${path.length ? ' ' : ''}--help`);
    }
    node = next;
    path.push(name);
    i++;
  }
  return { node, path, rest: argv.slice(i) };
}

/** Parses a command's flags and positionals strictly: unknown flags and bad values are usage errors. */
export function parseCommandArgs(command: Command, argv: readonly string[], path: string[]): { flags: FlagValues; positionals: string[] } {
  const specs = { ...commonFlags, ...(command.usesConfig ? configFlags() : {}), ...(command.flags ?? {}) };
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, s] of Object.entries(specs)) options[name] = { type: s.type, ...(s.short ? { short: s.short } : {}), ...(s.multiple ? { multiple: true } : {}) };
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '');
    throw new UsageError(`${msg}; see npx qudao ${path.join(' ')} --help`);
  }
  const flags = parsed.values as FlagValues;
  if (flags.help) return { flags, positionals: parsed.positionals };
  const args = command.args ?? [];
  const required = args.filter((a) => !a.optional && !a.variadic).length;
  const variadic = args.some((a) => a.variadic);
  if (parsed.positionals.length < required) {
    throw new UsageError(`missing argument <${args[parsed.positionals.length]!.name}>; see npx qudao ${path.join(' ')} --help`);
  }
  if (!variadic && parsed.positionals.length > args.length) {
    throw new UsageError(`unexpected argument "${parsed.positionals[args.length]}"; see npx qudao ${path.join(' ')} --help`);
  }
  return { flags, positionals: parsed.positionals };
}

/** Maps config-setting flags to setting names for loadConfig. */
export function settingFlags(flags: FlagValues): Partial<Record<SettingName, unknown>> {
  const out: Partial<Record<SettingName, unknown>> = {};
  for (const [name, s] of Object.entries(settings) as [SettingName, (typeof settings)[SettingName]][]) {
    if (flags[s.flag] !== undefined) out[name] = flags[s.flag];
  }
  return out;
}
