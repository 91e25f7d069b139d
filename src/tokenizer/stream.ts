import type { Tokenizer } from './types.js';

/** Turns ids arriving one at a time (generation, streaming responses) into text that is safe to send. */
export interface StreamDecoder {
  /** Adds one id; returns the text completed so far that was not returned before (often ''). */
  push(id: number): string;
  /** Ends the stream: returns what is held back, with U+FFFD for a character that never completed. */
  flush(): string;
}

/**
 * A decoder for generation. A token can end in the middle of a UTF-8 character (GPT-2 splits many emoji and CJK
 * characters over two or three tokens), so decoding each token alone would emit U+FFFD; this holds back the
 * incomplete bytes until the character is whole. Tokenizers without `tokenBytes` fall back to re-decoding the
 * pending ids, holding them while the tail is U+FFFD (up to 4 ids, the longest UTF-8 character).
 */
export function createStreamDecoder(tok: Tokenizer): StreamDecoder {
  const tokenBytes = tok.tokenBytes?.bind(tok);
  if (tokenBytes) {
    const decoder = new TextDecoder('utf-8');
    return {
      push: (id) => decoder.decode(tokenBytes(id), { stream: true }),
      flush: () => decoder.decode(),
    };
  }
  let pending: number[] = [];
  return {
    push(id) {
      pending.push(id);
      const text = tok.decode(pending);
      if (text.endsWith('\uFFFD') && pending.length < 4) return '';
      pending = [];
      return text;
    },
    flush() {
      const text = tok.decode(pending);
      pending = [];
      return text;
    },
  };
}
