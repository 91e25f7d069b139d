import { loadConfig } from '../config/index.js';
import { QudaoError } from '../errors/index.js';
import { isGroup, UsageError, type CommandGroup } from './command.js';
import { helpText } from './help.js';
import { parseCommandArgs, resolveCommand, settingFlags } from './parse.js';

/** Where the CLI writes. Tests pass their own. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

const processIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Runs the CLI for `argv` (without `node` and the script) and returns the exit code: 0 success, 1 a
 * runtime failure, 2 a usage mistake. Every failure is one line on standard error saying what to fix.
 */
export async function runCli(root: CommandGroup, argv: readonly string[], io: CliIO = processIO): Promise<number> {
  try {
    const { node, path, rest } = resolveCommand(root, argv);
    if (isGroup(node)) {
      const wantsHelp = rest.includes('--help') || rest.includes('-h') || rest.length === 0;
      if (!wantsHelp) throw new UsageError(`unknown flag "${rest[0]}" for "npx qudao ${path.join(' ')}"; see npx qudao ${path.join(' ')}${path.length ? ' ' : ''}--help`);
      io.out(helpText(node, path));
      return rest.length === 0 && path.length > 0 ? 2 : 0;
    }
    const { flags, positionals } = parseCommandArgs(node, rest, path);
    if (flags.help) {
      io.out(helpText(node, path));
      return 0;
    }
    const configPath = typeof flags.config === 'string' ? flags.config : undefined;
    const code = await node.run({
      flags,
      positionals,
      loadConfig: () => loadConfig({ flags: settingFlags(flags), ...(configPath ? { file: configPath } : {}) }),
      out: io.out,
      err: io.err,
    });
    return code ?? 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`qudao: ${err.message}`);
      return 2;
    }
    if (err instanceof QudaoError) {
      io.err(`qudao: ${err.message}`);
      return 1;
    }
    const code = (err as { code?: unknown }).code;
    io.err(`qudao: ${typeof code === 'string' && code.startsWith('QD_') ? '' : 'internal error: '}${(err as Error).message ?? String(err)}`);
    return 1;
  }
}
