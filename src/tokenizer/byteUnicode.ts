/**
 * GPT-2's reversible byte-to-unicode table. BPE vocabularies are stored as JSON strings, and raw bytes such as
 * 0x00 or 0x20 would be invisible or ambiguous there, so each byte gets a printable code point: printable
 * Latin-1 bytes map to themselves, the other 68 to U+0100 onwards (same order as GPT-2's `bytes_to_unicode`).
 */
function buildByteToChar(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table = new Array<string>(256);
  const isPrintable = new Set(printable);
  let next = 0;
  for (let b = 0; b < 256; b++) {
    if (isPrintable.has(b)) table[b] = String.fromCharCode(b);
    else table[b] = String.fromCharCode(256 + next++);
  }
  return table;
}

/** `BYTE_TO_CHAR[b]` is the printable stand-in for byte `b`. */
export const BYTE_TO_CHAR: readonly string[] = Object.freeze(buildByteToChar());

const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((c, b) => [c, b]));

/** Bytes to their byte-to-unicode string (one character per byte). */
export function bytesToUnicode(bytes: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += BYTE_TO_CHAR[bytes[i]!];
  return s;
}

/** Inverse of {@link bytesToUnicode}; throws on a character outside the table. */
export function unicodeToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const b = CHAR_TO_BYTE.get(s[i]!);
    if (b === undefined) throw new Error(`not a byte-level token character: U+${s.charCodeAt(i).toString(16)}`);
    out[i] = b;
  }
  return out;
}

/** Bytes as a one-char-per-byte (Latin-1) string: a cheap, exact Map key for a byte sequence. */
export function bytesKey(bytes: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}
