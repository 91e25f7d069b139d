import { BpeTokenizer } from './bpe.js';
import { byteTokenizer } from './byte.js';
import { unicodeToBytes } from './byteUnicode.js';
import type { BpeTokenizerJSON, Tokenizer, TokenizerJSON } from './types.js';

/**
 * Rebuilds a tokenizer from {@link Tokenizer.toJSON} output (or any Hugging Face style byte-level
 * vocab + merges with `<|endoftext|>` among the specials). Throws with a reason on malformed input.
 */
export function tokenizerFromJSON(json: TokenizerJSON): Tokenizer {
  if (json === null || typeof json !== 'object') throw new Error('tokenizer JSON must be an object');
  switch (json.kind) {
    case 'byte':
      return byteTokenizer();
    case 'bpe':
      return bpeFromJSON(json);
    default:
      throw new Error(`unknown tokenizer kind ${JSON.stringify((json as { kind?: unknown }).kind)}`);
  }
}

function bpeFromJSON(json: BpeTokenizerJSON): Tokenizer {
  if (typeof json.vocab !== 'object' || !Array.isArray(json.merges) || typeof json.specialTokens !== 'object') {
    throw new Error('BPE tokenizer JSON needs vocab (object), merges (array) and specialTokens (object)');
  }
  const tokens: Uint8Array[] = [];
  const specialIds = new Set(Object.values(json.specialTokens));
  for (const [text, id] of Object.entries(json.vocab)) {
    // Hugging Face's vocab.json lists "<|endoftext|>" among the ordinary tokens too; the specials table owns it.
    if (specialIds.has(id) && Object.hasOwn(json.specialTokens, text)) continue;
    if (!Number.isInteger(id) || id < 0) throw new Error(`vocab entry ${JSON.stringify(text)} has a bad id`);
    if (tokens[id] !== undefined) throw new Error(`vocab id ${id} appears twice`);
    tokens[id] = unicodeToBytes(text);
  }
  const merges = json.merges.map((line, rank): [number, number] => {
    // Byte-level token strings never contain U+0020 (the space byte is written "Ġ"), so one space splits.
    const parts = typeof line === 'string' ? line.split(' ') : [];
    const a = parts.length === 2 ? json.vocab[parts[0]!] : undefined;
    const b = parts.length === 2 ? json.vocab[parts[1]!] : undefined;
    if (a === undefined || b === undefined) throw new Error(`merge ${rank} (${JSON.stringify(line)}) names unknown tokens`);
    return [a, b];
  });
  return new BpeTokenizer({ tokens, merges, specialTokens: json.specialTokens });
}
