import { isGroup, type Command, type CommandGroup, type FlagSpec } from './command.js';
import { commonFlags, configFlags } from './parse.js';

function flagLines(specs: Record<string, FlagSpec>): string[] {
  return Object.entries(specs).map(([name, s]) => {
    const left = `${s.short ? `-${s.short}, ` : '    '}--${name}${s.type === 'string' ? ` <${s.placeholder ?? 'value'}>` : ''}`;
    return `  ${left.padEnd(34)} ${s.doc}${s.multiple ? ' (repeatable)' : ''}`;
  });
}

/** The help text of a command or group. */
export function helpText(node: Command | CommandGroup, path: string[]): string {
  const name = ['qudao', ...path].join(' ');
  if (isGroup(node)) {
    const width = Math.max(...node.commands.map((c) => c.name.length)) + 2;
    return [
      `${name} — ${node.summary}`,
      '',
      `Usage: npx ${name} <command> [flags]`,
      '',
      'Commands:',
      ...node.commands.map((c) => `  ${c.name.padEnd(width)} ${c.summary}`),
      '',
      `Run "npx ${name} <command> --help" for a command's flags.`,
    ].join('\n');
  }
  const args = (node.args ?? []).map((a) => (a.optional || a.variadic ? `[${a.name}${a.variadic ? '...' : ''}]` : `<${a.name}>`)).join(' ');
  const lines = [`${name} — ${node.summary}`, '', `Usage: npx ${name}${args ? ` ${args}` : ''} [flags]`];
  if (node.args?.length) lines.push('', 'Arguments:', ...node.args.map((a) => `  ${a.name.padEnd(34)} ${a.doc}`));
  lines.push('', 'Flags:', ...flagLines({ ...(node.flags ?? {}), ...commonFlags }));
  if (node.usesConfig) lines.push('', 'Settings (also from the environment or a config file):', ...flagLines(configFlags()));
  if (node.help) lines.push('', node.help);
  return lines.join('\n');
}
