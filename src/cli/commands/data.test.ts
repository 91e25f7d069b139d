import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootCommand, runCli } from '../index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qudao-cli-data-'));
  await writeFile(join(dir, 'a.csv'), 'body,tag\n"Channels sell the model, partners share revenue.",pos\n"Quotas stop runaway spend.",neg\n"A third line of text.",pos\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(rootCommand, argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('qudao data prepare', () => {
  it('prepares a labeled CSV and reports what it kept', async () => {
    const r = await cli('data', 'prepare', join(dir, 'a.csv'), '--out', join(dir, 'out'), '--column', 'body', '--label-field', 'tag', '--tokenizer', 'byte', '-q');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/3 of 3 documents kept/);
    expect(r.out).toMatch(/labels: neg, pos/);
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['labels.json', 'manifest.json', 'tokenizer.json', 'train-00000.bin', 'val-00000.bin']);
  });

  it('fails with one line naming the problem, and writes nothing', async () => {
    const r = await cli('data', 'prepare', join(dir, 'a.csv'), '--out', join(dir, 'bad'), '--column', 'text', '-q');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^qudao: .*a\.csv: no column "text" \(columns: "body", "tag"\)/);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(await readdir(dir)).not.toContain('bad');
  });

  it('reads extension-less files from a folder; --ext replaces the list, none naming them; the empty hint names --ext', async () => {
    const folder = join(dir, 'texts');
    await mkdir(join(folder, 'sub'), { recursive: true });
    await writeFile(join(folder, 'README'), 'Partners resell the model through their own channels.\n');
    await writeFile(join(folder, 'sub', 'notes.txt'), 'Statements settle revenue share once a month.\n');
    const all = await cli('data', 'prepare', folder, '--out', join(dir, 'all'), '--tokenizer', 'byte', '--val', '0', '-q');
    expect(all.err).toBe('');
    expect(all.out).toMatch(/2 of 2 documents kept/);
    const bare = await cli('data', 'prepare', folder, '--out', join(dir, 'bare'), '--tokenizer', 'byte', '--val', '0', '--ext', 'none', '-q');
    expect(bare.out).toMatch(/1 of 1 documents kept/);
    const none = await cli('data', 'prepare', folder, '--out', join(dir, 'none'), '--ext', '.csv', '-q');
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no documents found .*--ext/);
    expect(none.err).not.toContain('--extensions');
  });

  it('treats a missing --out or a non-numeric flag as a usage mistake (exit 2)', async () => {
    expect((await cli('data', 'prepare', join(dir, 'a.csv'))).code).toBe(2);
    const r = await cli('data', 'prepare', join(dir, 'a.csv'), '--out', join(dir, 'x'), '--val', 'lots');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--val must be a number/);
  });
});
