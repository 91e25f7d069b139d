import r50kBase from 'js-tiktoken/ranks/r50k_base';
import { BpeTokenizer } from './bpe.js';
import { bytesKey } from './byteUnicode.js';
import type { Tokenizer } from './types.js';

/**
 * GPT-2's vocabulary (`r50k_base`, 50,257 ids) rebuilt from the ranks that js-tiktoken ships. tiktoken stores
 * only byte strings ordered by rank; BPE needs merges, so each token is split back into the two lower-ranked
 * tokens that a rank-limited BPE run ends with (the same recovery Hugging Face uses to convert tiktoken files).
 */
export function gpt2Tokenizer(): Tokenizer {
  return gpt2Memo ?? (gpt2Memo = buildGpt2());
}

// The tables are immutable and cost ~0.3 s to build, so one instance is shared (its piece cache is a pure memo).
let gpt2Memo: Tokenizer | undefined;

function buildGpt2(): Tokenizer {
  const tokens = parseRanks(r50kBase.bpe_ranks);
  const rankOfBytes = new Map<string, number>();
  tokens.forEach((bytes, rank) => rankOfBytes.set(bytesKey(bytes), rank));
  const merges: Array<[number, number]> = [];
  for (let rank = 0; rank < tokens.length; rank++) {
    const bytes = tokens[rank]!;
    if (bytes.length < 2) continue;
    const [left, right] = splitByRank(bytes, rank, rankOfBytes);
    merges.push([rankOfBytes.get(left)!, rankOfBytes.get(right)!]);
  }
  return new BpeTokenizer({ tokens, merges, specialTokens: r50kBase.special_tokens });
}

/** tiktoken's compact format: `"! <first rank> <base64 token> <base64 token> …"`, ranks consecutive. */
function parseRanks(compact: string): Uint8Array[] {
  const tokens: Uint8Array[] = [];
  for (const line of compact.split('\n')) {
    if (!line) continue;
    const fields = line.split(' ');
    const offset = Number.parseInt(fields[1]!, 10);
    for (let i = 2; i < fields.length; i++) tokens[offset + i - 2] = Buffer.from(fields[i]!, 'base64');
  }
  return tokens;
}

/** Rank-based BPE restricted to ranks below `maxRank`; a well-formed vocabulary leaves exactly two parts. */
function splitByRank(bytes: Uint8Array, maxRank: number, rankOfBytes: ReadonlyMap<string, number>): [string, string] {
  let parts = Array.from(bytes, (b) => String.fromCharCode(b));
  while (parts.length > 2) {
    let best = -1;
    let at = -1;
    for (let i = 0; i + 1 < parts.length; i++) {
      const r = rankOfBytes.get(parts[i]! + parts[i + 1]!);
      if (r !== undefined && r < maxRank && (best < 0 || r < best)) [best, at] = [r, i];
    }
    if (at < 0) break;
    parts = [...parts.slice(0, at), parts[at]! + parts[at + 1]!, ...parts.slice(at + 2)];
  }
  if (parts.length !== 2) throw new Error(`GPT-2 token of rank ${maxRank} does not split into two tokens`);
  return [parts[0]!, parts[1]!];
}
