import { PipelineError } from './errors.js';

/**
 * Decodes a file's bytes as strict UTF-8. Wrong encodings fail loudly instead of silently turning into U+FFFD
 * and poisoning the vocabulary; the message names the file, the byte offset, and the likely cause.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new PipelineError('QD_DATA_ENCODING', `${file}: the file is UTF-16 (byte-order mark found); save it as UTF-8 and run again`);
  }
  try {
    // ignoreBOM false (the default) drops a leading UTF-8 byte-order mark, which editors on Windows add.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    throw new PipelineError(
      'QD_DATA_ENCODING',
      `${file}: not valid UTF-8 (byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')} at offset ${at}); convert it to UTF-8, e.g. iconv -f latin1 -t utf-8`,
    );
  }
}

/** Offset of the first byte that breaks UTF-8 (bytes.length if none): only called on the error path. */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) return i;
    for (let k = 1; k < len; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    // Overlong 3/4-byte forms, UTF-16 surrogates and code points above U+10FFFF are invalid too.
    const b1 = bytes[i + 1]!;
    if ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 > 0x9f) || (b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 > 0x8f)) return i;
    i += len;
  }
  return bytes.length;
}
