import { describe, expect, it } from 'vitest';
import { BYTE_TO_CHAR, bytesToUnicode, unicodeToBytes } from './byteUnicode.js';
import { byteTokenizer, createStreamDecoder, END_OF_TEXT, GPT2_PATTERN, pretokenize, tokenizerFromJSON, trainBpe, type Tokenizer } from './index.js';

const CORPUS = [
  'The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs!',
  'It is 2026 and the price is $3.50 -- or 3,50 € in Europe.',
  '渠道是合作伙伴与客户之间的桥梁。我们的模型通过渠道销售。',
  'Emoji: 😀👍🏽 👨‍👩‍👧 and flags 🇨🇳🇺🇸.',
];

const ROUND_TRIP = [
  '',
  'hello world',
  '  leading and trailing spaces  ',
  'tabs\tand\nnewlines\r\n\n',
  '中文测试：你好，世界！这是一个没有空格的很长的句子，用来检验长片段的合并。',
  '😀👍🏽👨‍👩‍👧🇨🇳 mixed with text',
  'control \u0000\u0001\u0007\u001b[31m red \u007f\u0085',
  "contractions: don't, I'm, they'll, we've, she'd, it's",
  'ünïcödé, Ελληνικά, русский, العربية, हिन्दी, 日本語のテキスト',
  'x'.repeat(300),
  END_OF_TEXT + ' inside text',
];

function roundTrips(tok: Tokenizer): void {
  for (const text of ROUND_TRIP) expect(tok.decode(tok.encode(text))).toBe(text);
  // A lone surrogate has no UTF-8 form; it becomes U+FFFD, the same as TextEncoder and tiktoken do.
  expect(tok.decode(tok.encode('a\uD800b'))).toBe('a\uFFFDb');
  for (const id of tok.encode(ROUND_TRIP.join(' '))) expect(id >= 0 && id < tok.vocabSize).toBe(true);
}

describe('byte-to-unicode table', () => {
  it('gives 256 distinct printable characters and is reversible', () => {
    expect(new Set(BYTE_TO_CHAR).size).toBe(256);
    expect(BYTE_TO_CHAR[0x20]).toBe('Ġ');
    expect(BYTE_TO_CHAR[0x0a]).toBe('Ċ');
    expect(BYTE_TO_CHAR[0x41]).toBe('A');
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(unicodeToBytes(bytesToUnicode(all))).toEqual(all);
  });
});

describe('GPT-2 pre-tokenisation', () => {
  it('splits words with their leading space, contractions, numbers and whitespace runs', () => {
    expect(pretokenize("Hello world, it's 42!  ok")).toEqual(['Hello', ' world', ',', ' it', "'s", ' 42', '!', ' ', ' ok']);
  });
  it('matches exactly what the published GPT-2 pattern matches', () => {
    const reference = new RegExp(GPT2_PATTERN, 'gu');
    const text = `${ROUND_TRIP.join(' ')} it'S 'll'' ''re 'x' I'VE '`;
    expect(pretokenize(text)).toEqual(text.match(reference));
  });
  it('loses nothing: the pieces concatenate back to the input', () => {
    for (const text of ROUND_TRIP) expect(pretokenize(text).join('')).toBe(text);
  });
});

describe('trainBpe', () => {
  it('learns the textbook example "aaabdaaabac" merge by merge', () => {
    // By hand: aa (4 times) → 256; then ab and (aa,a) both occur twice, the smaller pair (97,98) wins → 257;
    // then (256,257) "aaab" twice → 258; then all pairs occur once and the smallest, (97,99) "ac", wins → 259.
    const tok = trainBpe(['aaabdaaabac'], { vocabSize: 261 });
    const json = tok.toJSON();
    if (json.kind !== 'bpe') throw new Error('expected bpe');
    expect(json.merges).toEqual(['a a', 'a b', 'aa ab', 'a c']);
    expect(tok.encode('aaabdaaabac')).toEqual([258, 100, 258, 259]);
    expect(tok.vocabSize).toBe(261);
    expect(tok.eotId).toBe(260);
  });

  it('is deterministic and independent of input order', () => {
    const a = trainBpe(CORPUS, { vocabSize: 400 });
    const b = trainBpe([...CORPUS].reverse(), { vocabSize: 400 });
    expect(JSON.stringify(b.toJSON())).toBe(JSON.stringify(a.toJSON()));
  });

  it('reports progress and stops early when the corpus has no pairs left', () => {
    const seen: number[] = [];
    const tok = trainBpe(['ab ab'], { vocabSize: 1000, onProgress: (done) => seen.push(done) });
    expect(seen).toEqual([1, 2]); // "ab", then " ab" (space + ab)
    expect(tok.vocabSize).toBe(259);
    expect(tok.decode(tok.encode('ab ab'))).toBe('ab ab');
  });

  it('stays fast on one enormous pre-token (a space-free CJK text, a long run of one character)', () => {
    const cjk = '渠道合作伙伴生态系统市场覆盖用户粘性成本控制品牌塑造'.repeat(4000); // 100k characters, one piece
    const t0 = performance.now();
    const tok = trainBpe([cjk, '='.repeat(50_000)], { vocabSize: 400 });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(tok.decode(tok.encode(cjk))).toBe(cjk);
    expect(tok.encode(cjk).length).toBeLessThan(cjk.length);
  });

  it('refuses a vocabulary too small to hold the bytes and <|endoftext|>', () => {
    expect(() => trainBpe(CORPUS, { vocabSize: 256 })).toThrow(/vocabSize/);
  });

  it('compresses text it was trained on', () => {
    const tok = trainBpe(CORPUS, { vocabSize: 600 });
    const bytes = new TextEncoder().encode(CORPUS[0]!).length;
    expect(tok.encode(CORPUS[0]!).length).toBeLessThan(bytes / 2);
  });
});

describe('round trips', () => {
  it('byte tokenizer', () => roundTrips(byteTokenizer()));
  it('trained BPE', () => roundTrips(trainBpe(CORPUS, { vocabSize: 500 })));
  it('trained BPE after a JSON round trip encodes identically', () => {
    const tok = trainBpe(CORPUS, { vocabSize: 500 });
    const back = tokenizerFromJSON(JSON.parse(JSON.stringify(tok.toJSON())));
    for (const text of ROUND_TRIP) expect(back.encode(text)).toEqual(tok.encode(text));
    expect(back.vocabSize).toBe(tok.vocabSize);
    expect(back.eotId).toBe(tok.eotId);
    roundTrips(back);
  });
  it('byte tokenizer JSON', () => {
    expect(tokenizerFromJSON(byteTokenizer().toJSON()).encode('hé')).toEqual([104, 195, 169]);
  });
});

describe('special token', () => {
  for (const [name, make] of [
    ['byte', byteTokenizer],
    ['bpe', () => trainBpe(CORPUS, { vocabSize: 400 })],
  ] as const) {
    it(`${name}: is plain text unless allowed, and decodes to its text`, () => {
      const tok = make();
      expect(tok.encode(END_OF_TEXT)).not.toContain(tok.eotId);
      expect(tok.encode(`a${END_OF_TEXT}b`, { allowSpecial: true })).toEqual([
        ...tok.encode('a'),
        tok.eotId,
        ...tok.encode('b'),
      ]);
      expect(tok.decode([tok.eotId])).toBe(END_OF_TEXT);
    });
  }
  it('decode rejects ids outside the vocabulary', () => {
    expect(() => byteTokenizer().decode([257])).toThrow(RangeError);
    expect(() => trainBpe(CORPUS, { vocabSize: 300 }).decode([300])).toThrow(RangeError);
  });
});

describe('tokenizerFromJSON', () => {
  it('rejects malformed input with a reason', () => {
    expect(() => tokenizerFromJSON({ kind: 'nope' } as never)).toThrow(/unknown tokenizer kind/);
    const json = trainBpe(['aaab'], { vocabSize: 258 }).toJSON();
    if (json.kind !== 'bpe') throw new Error('expected bpe');
    expect(() => tokenizerFromJSON({ ...json, merges: ['a zz'] })).toThrow(/unknown tokens/);
    expect(() => tokenizerFromJSON({ ...json, specialTokens: {} })).toThrow(/endoftext/);
  });
});

describe('createStreamDecoder', () => {
  it('emits only whole characters when tokens split them', () => {
    const tok = byteTokenizer(); // one byte per id: every emoji arrives in 4 pieces
    const text = 'ok 😀 中文 done';
    const dec = createStreamDecoder(tok);
    const chunks = tok.encode(text).map((id) => dec.push(id));
    expect(chunks.join('') + dec.flush()).toBe(text);
    expect(chunks.some((c) => c.includes('\uFFFD'))).toBe(false);
    expect(chunks.filter((c) => c === '').length).toBe(3 + 2 * 2); // held-back bytes of 😀, 中, 文
  });
  it('flushes a character that never completed as U+FFFD', () => {
    const dec = createStreamDecoder(byteTokenizer());
    expect(dec.push(0xe4)).toBe('');
    expect(dec.flush()).toBe('\uFFFD');
  });
  it('works through decode() alone for tokenizers without tokenBytes', () => {
    const inner = byteTokenizer();
    const plain: Tokenizer = {
      kind: 'plain', vocabSize: inner.vocabSize, eotId: inner.eotId,
      encode: (t) => inner.encode(t), decode: (ids) => inner.decode(ids), toJSON: () => inner.toJSON(),
    };
    const dec = createStreamDecoder(plain);
    const text = 'a😀b';
    expect(inner.encode(text).map((id) => dec.push(id)).join('') + dec.flush()).toBe(text);
  });
});
