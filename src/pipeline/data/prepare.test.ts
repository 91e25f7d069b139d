import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../progress.js';
import { buildFolderAtomically } from './atomic.js';
import { brownCorpusDir } from './brown.js';
import { PipelineError, type DataErrorCode } from './errors.js';
import { openShards } from './open.js';
import { prepareData } from './prepare.js';
import type { TokenArray } from './shardFormat.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qudao-data-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let n = 0;
/** A fresh folder with the given files (path → content). */
async function fixture(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = join(root, `in-${n++}`);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}
const out = () => join(root, `out-${n++}`);

async function expectCode(p: Promise<unknown>, code: DataErrorCode, message?: RegExp): Promise<void> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(PipelineError);
  expect((err as PipelineError).code).toBe(code);
  if (message) expect((err as PipelineError).message).toMatch(message);
  expect((err as PipelineError).message).not.toContain('\n');
}

/** Splits a token stream at `<|endoftext|>` and decodes each document. */
function documentsOf(tokens: TokenArray, decode: (ids: ArrayLike<number>) => string, eot: number): string[] {
  const docs: string[] = [];
  let start = -1;
  for (let i = 0; i <= tokens.length; i++) {
    if (i === tokens.length || tokens[i] === eot) {
      if (start >= 0) docs.push(decode(tokens.subarray(start, i)));
      start = i + 1;
    }
  }
  return docs;
}

const DOCS = [
  'Channels bring the model to customers who would never find it alone.',
  'Partners earn a revenue share on every token their customers use.',
  '渠道合作伙伴通过网关销售模型。',
  'Emoji survive too: 😀👍🏽 and so does ünïcödé.',
  'A short one.',
  'The ledger records who called which model through which channel.',
];

describe('prepareData: ingestion', () => {
  it('reads a folder recursively with an extension filter and round-trips every document through the shards', async () => {
    const input = await fixture({
      'a.txt': DOCS[0]!,
      'sub/b.txt': DOCS[1]!,
      'sub/deeper/c.md': DOCS[2]!,
      'd.txt': `\r\n${DOCS[3]}\u0000  \r\n`,
      'e.TXT': DOCS[4]!,
      'f.txt': DOCS[5]!,
      'skip.log': 'not text',
      '.hidden.txt': 'hidden',
    });
    const dir = out();
    const m = await prepareData({ inputs: [input], outDir: dir, extensions: ['.txt', '.md'], tokenizer: { kind: 'byte' }, valFraction: 0.3 });
    expect(m.inputs.map((f) => f.file.slice(input.length + 1))).toEqual(['a.txt', 'd.txt', 'e.TXT', 'f.txt', 'sub/b.txt', 'sub/deeper/c.md']);
    expect(m.inputs[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.counts.documentsRead).toBe(6);
    expect(m.counts.documentsKept).toBe(6);
    expect(m.counts.documents.train + m.counts.documents.val).toBe(6);
    expect(m.counts.documents.val).toBeGreaterThan(0);
    const data = await openShards(dir);
    expect(data.train).toBeInstanceOf(Uint16Array);
    expect(data.train.length).toBe(m.counts.tokens.train);
    const decoded = [...documentsOf(data.train, (i) => data.tokenizer.decode(i), data.tokenizer.eotId), ...documentsOf(data.val, (i) => data.tokenizer.decode(i), data.tokenizer.eotId)];
    expect(decoded.sort()).toEqual([...DOCS].sort()); // d.txt was cleaned: CRLF, NUL and padding gone
    expect(data.labels).toBeNull();
  });

  it('reads JSONL by field and CSV by column name or index, with labels for classification', async () => {
    const input = await fixture({
      'a.jsonl': `${JSON.stringify({ body: DOCS[0], tag: 'pos' })}\n\n${JSON.stringify({ body: DOCS[1], tag: 'neg' })}\n`,
      'b.csv': `id,body,tag\n1,"${DOCS[2]}",neg\n2,"Quoted, with comma and ""quotes""",pos\n`,
    });
    const m = await prepareData({ inputs: [input], outDir: out(), textField: 'body', textColumn: 'body', labelField: 'tag', tokenizer: { kind: 'byte' } });
    expect(m.counts.documentsRead).toBe(4);
    expect(m.labels?.names).toEqual(['neg', 'pos']);
    const byIndex = await prepareData({ inputs: [join(input, 'b.csv')], outDir: out(), textColumn: '1', tokenizer: { kind: 'byte' } });
    expect(byIndex.counts.documentsRead).toBe(2);
    const dir = out();
    await prepareData({ inputs: [input], outDir: dir, textField: 'body', textColumn: 'body', labelField: 'tag', tokenizer: { kind: 'byte' }, valFraction: 0.5 });
    const data = await openShards(dir);
    const examples = [...data.labels!.train, ...data.labels!.val];
    expect(examples.length).toBe(4);
    const byText = new Map(examples.map((e) => [data.tokenizer.decode(e.tokens), data.labels!.labels[e.label]]));
    expect(byText.get('Quoted, with comma and "quotes"')).toBe('pos');
    expect(byText.get(DOCS[0]!)).toBe('pos');
  });

  it('prepares a slice of the Brown corpus with a trained tokenizer', async () => {
    const files = ['ca01', 'ca02', 'cb01', 'cg01', 'cn01', 'cr01'].map((f) => join(brownCorpusDir(), f));
    const dir = out();
    const phases: string[] = [];
    const progress: Progress = { start: (_, label) => phases.push(label), tick() {}, done() {} };
    const m = await prepareData({ inputs: files, format: 'brown', outDir: dir, tokenizer: { kind: 'train', vocabSize: 600 }, valFraction: 0.2 }, progress);
    expect(phases).toEqual(['read bytes', 'clean', 'near-duplicates', 'train tokenizer (merges)', 'tokenize (chars)']);
    expect(m.tokenizer).toMatchObject({ kind: 'bpe', source: 'train', vocabSize: 600, eotId: 599 });
    const data = await openShards(dir);
    const text = data.tokenizer.decode(data.train.subarray(0, 200));
    expect(text).not.toMatch(/\/(at|nn)\b/);
    expect(m.counts.tokens.train + m.counts.tokens.val).toBeLessThan(0.4 * m.inputs.reduce((s, f) => s + f.bytes, 0));
  });
});

describe('prepareData: dedupe, split, shards', () => {
  it('counts exact and near duplicates and drops them', async () => {
    const long = DOCS.join(' ');
    const input = await fixture({
      'a.txt': long,
      'b.txt': long,
      'c.txt': `${long} One more sentence at the very end.`,
      'd.txt': DOCS[0]!,
      'e.txt': '   \n\t ',
    });
    const m = await prepareData({ inputs: [input], outDir: out(), tokenizer: { kind: 'byte' } });
    expect(m.counts).toMatchObject({ documentsRead: 5, documentsKept: 2, removed: { empty: 1, exactDuplicate: 1, nearDuplicate: 1 } });
  });

  it('is deterministic for a seed: same shards byte for byte', async () => {
    const input = await fixture(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`d${i}.txt`, `Document number ${i}: ${DOCS[i % DOCS.length]} ${i * 7919}`])));
    const run = (seed: number) => prepareData({ inputs: [input], outDir: out(), seed, tokenizer: { kind: 'train', vocabSize: 300 }, dedupe: { near: false } });
    const [a, b, c] = await Promise.all([run(5), run(5), run(6)]);
    expect(b.shards).toEqual(a.shards);
    expect(b.tokenizer.sha256).toBe(a.tokenizer.sha256);
    expect(b.inputsSha256).toBe(a.inputsSha256);
    expect(c.shards).not.toEqual(a.shards);
    // Document ids are paths inside the input folder, so naming the folder another way keeps the split.
    const viaRelative = await prepareData({ inputs: [relative(process.cwd(), input)], outDir: out(), seed: 5, tokenizer: { kind: 'train', vocabSize: 300 }, dedupe: { near: false } });
    expect(viaRelative.shards).toEqual(a.shards);
    expect(viaRelative.inputsSha256).toBe(a.inputsSha256);
  });

  it('splits a split into several shards, never cutting a document, and openShards joins them', async () => {
    const input = await fixture(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`d${i}.txt`, `${i} `.repeat(200)])));
    const dir = out();
    const m = await prepareData({ inputs: [input], outDir: dir, tokenizer: { kind: 'byte' }, shardTokens: 1024, valFraction: 0, dedupe: { near: false } });
    const train = m.shards.filter((s) => s.split === 'train');
    expect(train.length).toBeGreaterThan(2);
    for (const s of train) expect(s.tokens <= 1024 || s.documents === 1).toBe(true);
    const data = await openShards(dir);
    expect(data.train.length).toBe(m.counts.tokens.train);
    expect(documentsOf(data.train, (i) => data.tokenizer.decode(i), 256).length).toBe(12);
    expect(data.val.length).toBe(0);
  });

  it('uses GPT-2 and a saved tokenizer.json, writing uint32 tokens only when the vocabulary needs them', async () => {
    const input = await fixture({ 'a.txt': DOCS[0]!, 'b.txt': DOCS[1]! });
    const dir = out();
    const m = await prepareData({ inputs: [input], outDir: dir, tokenizer: { kind: 'gpt2' } });
    expect(m.tokenizer.vocabSize).toBe(50257);
    expect((await openShards(dir)).train).toBeInstanceOf(Uint16Array);
    const again = await prepareData({ inputs: [input], outDir: out(), tokenizer: { kind: 'file', path: join(dir, 'tokenizer.json') } });
    expect(again.shards).toEqual(m.shards);
  });
});

describe('prepareData: atomic output', () => {
  it('leaves no output folder and no temporary sibling when an input fails', async () => {
    const input = await fixture({ 'good.txt': DOCS[0]!, 'z-bad.txt': Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x0a]) });
    const parent = join(root, `atomic-${n++}`);
    await mkdir(parent);
    await expectCode(prepareData({ inputs: [input], outDir: join(parent, 'out'), tokenizer: { kind: 'byte' } }), 'QD_DATA_ENCODING');
    expect(await readdir(parent)).toEqual([]);
  });

  it('removes the half-built folder when writing fails midway', async () => {
    const parent = join(root, `atomic-${n++}`);
    await mkdir(parent);
    const failing = buildFolderAtomically(join(parent, 'out'), false, async (tmp) => {
      await writeFile(join(tmp, 'train-00000.bin'), 'partial');
      throw new Error('disk full');
    });
    await expect(failing).rejects.toThrow('disk full');
    expect(await readdir(parent)).toEqual([]);
  });

  it('replaces an existing folder only when asked, and only after success', async () => {
    const input = await fixture({ 'a.txt': DOCS[0]! });
    const dir = out();
    await prepareData({ inputs: [input], outDir: dir, tokenizer: { kind: 'byte' } });
    const before = await readFile(join(dir, 'manifest.json'), 'utf8');
    await expectCode(prepareData({ inputs: [input], outDir: dir, tokenizer: { kind: 'byte' } }), 'QD_DATA_OUTPUT_EXISTS', /--overwrite/);
    await expectCode(prepareData({ inputs: [join(input, 'missing.txt')], outDir: dir, overwrite: true }), 'QD_DATA_UNREADABLE');
    expect(await readFile(join(dir, 'manifest.json'), 'utf8')).toBe(before);
    const m = await prepareData({ inputs: [input], outDir: dir, overwrite: true, tokenizer: { kind: 'gpt2' } });
    expect(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')).tokenizer.vocabSize).toBe(m.tokenizer.vocabSize);
  });
});

describe('prepareData: bad input gives a clear error', () => {
  const byte = { kind: 'byte' } as const;
  it('QD_DATA_UNREADABLE for a missing path', async () => {
    await expectCode(prepareData({ inputs: [join(root, 'nope.txt')], outDir: out() }), 'QD_DATA_UNREADABLE', /nope\.txt: cannot be read \(ENOENT\)/);
  });
  it('takes files without an extension from folders by default, as text, unless the extensions leave them out', async () => {
    const input = await fixture({ README: DOCS[0]!, 'sub/ca01': DOCS[1]!, 'notes.txt': DOCS[2]!, 'skip.log': 'not text' });
    const all = await prepareData({ inputs: [input], outDir: out(), tokenizer: byte, valFraction: 0 });
    expect(all.inputs.map((f) => [f.file.slice(input.length + 1), f.format])).toEqual([['README', 'text'], ['notes.txt', 'text'], ['sub/ca01', 'text']]);
    const txtOnly = await prepareData({ inputs: [input], outDir: out(), tokenizer: byte, valFraction: 0, extensions: ['txt'] });
    expect(txtOnly.inputs.map((f) => f.file.slice(input.length + 1))).toEqual(['notes.txt']);
    const bare = await prepareData({ inputs: [input], outDir: out(), tokenizer: byte, valFraction: 0, extensions: [''] });
    expect(bare.inputs.map((f) => f.file.slice(input.length + 1))).toEqual(['README', 'sub/ca01']);
  });
  it('QD_DATA_ENCODING names the file and offset for Latin-1, and spots UTF-16', async () => {
    const input = await fixture({ 'latin1.txt': Uint8Array.from([0x63, 0x61, 0x66, 0xe9]), 'utf16.txt': Uint8Array.from([0xff, 0xfe, 0x61, 0x00]) });
    await expectCode(prepareData({ inputs: [join(input, 'latin1.txt')], outDir: out() }), 'QD_DATA_ENCODING', /latin1\.txt: not valid UTF-8 \(byte 0xe9 at offset 3\)/);
    await expectCode(prepareData({ inputs: [join(input, 'utf16.txt')], outDir: out() }), 'QD_DATA_ENCODING', /UTF-16/);
  });
  it('QD_DATA_EMPTY when nothing is found or nothing survives cleaning', async () => {
    const input = await fixture({ 'a.log': 'x', 'blank.txt': ' \n\u0000\n' });
    await expectCode(prepareData({ inputs: [input], outDir: out(), extensions: ['.csv'] }), 'QD_DATA_EMPTY', /no documents found.*--ext\b/);
    await expectCode(prepareData({ inputs: [input], outDir: out(), tokenizer: byte }), 'QD_DATA_EMPTY', /1 empty/);
    await expectCode(prepareData({ inputs: [join(input, 'a.log')], outDir: out(), minChars: 5 }), 'QD_DATA_EMPTY', /1 too short/);
  });
  it('QD_DATA_COLUMN for a missing CSV column or JSONL field, listing what exists', async () => {
    const input = await fixture({ 'a.csv': 'title,body\nx,y\n', 'a.jsonl': '{"body":"y"}\n' });
    await expectCode(prepareData({ inputs: [join(input, 'a.csv')], outDir: out(), textColumn: 'text' }), 'QD_DATA_COLUMN', /no column "text" \(columns: "title", "body"\)/);
    await expectCode(prepareData({ inputs: [join(input, 'a.jsonl')], outDir: out() }), 'QD_DATA_COLUMN', /a\.jsonl:1: no field "text" \(fields: body\)/);
    await expectCode(prepareData({ inputs: [join(input, 'a.jsonl')], outDir: out(), textField: 'body', labelField: 'label' }), 'QD_DATA_COLUMN', /no field "label"/);
  });
  it('QD_DATA_PARSE for a line that is not JSON, with file and line number', async () => {
    const input = await fixture({ 'a.jsonl': '{"text":"ok"}\n{"text": broken\n' });
    await expectCode(prepareData({ inputs: [input], outDir: out() }), 'QD_DATA_PARSE', /a\.jsonl:2: not valid JSON/);
  });
  it('QD_DATA_OPTIONS for out-of-range options, before reading anything', async () => {
    await expectCode(prepareData({ inputs: [join(root, 'nope')], outDir: out(), valFraction: 1.5 }), 'QD_DATA_OPTIONS', /valFraction/);
    await expectCode(prepareData({ inputs: [], outDir: out() }), 'QD_DATA_OPTIONS', /no inputs/);
    await expectCode(prepareData({ inputs: ['x'], outDir: out(), tokenizer: { kind: 'train', vocabSize: 100 } }), 'QD_DATA_OPTIONS', /vocabSize/);
  });
});
