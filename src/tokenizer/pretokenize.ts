/**
 * GPT-2's pre-tokenisation pattern. BPE never merges across these pieces, which keeps words, numbers,
 * punctuation runs and whitespace apart (and makes per-word caching possible). A space is kept at the front of
 * the following word, which is why GPT-2 tokens look like `" the"`.
 */
export const GPT2_PATTERN =
  "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

/** A fresh global regex for {@link GPT2_PATTERN}; fresh because a global RegExp carries `lastIndex` state. */
export function gpt2Regex(): RegExp {
  return new RegExp(GPT2_PATTERN, 'gu');
}

/** Splits text into GPT-2 pre-tokens; concatenating them gives the text back. */
export function pretokenize(text: string): string[] {
  return text.match(gpt2Regex()) ?? [];
}
