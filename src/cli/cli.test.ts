import { describe, expect, it } from 'vitest';
import { rootCommand, runCli } from './index.js';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(rootCommand, argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('qudao CLI', () => {
  it('prints help for the root and for every command', async () => {
    const root = await cli('--help');
    expect(root.code).toBe(0);
    expect(root.out).toContain('Commands:');
    for (const c of rootCommand.commands) {
      const r = await cli(c.name, '--help');
      expect(r.code, c.name).toBe(0);
      expect(r.out).toContain(`qudao ${c.name}`);
    }
  });

  it('rejects an unknown command with one line and exit code 2', async () => {
    const r = await cli('strat');
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/unknown command "strat"/);
  });

  it('rejects an unknown flag with one line and exit code 2', async () => {
    const r = await cli('start', '--prot', '80');
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/--prot/);
  });

  it('rejects a bad setting with one line naming it, exit code 1', async () => {
    const r = await cli('start', '--port', 'eighty');
    expect(r.code).toBe(1);
    expect(r.err).toBe('qudao: --port: must be a number (got "eighty")');
  });

  it('prints the version', async () => {
    const r = await cli('version');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
