/** How documents are cleaned and which are kept. */
export interface CleanOptions {
  /**
   * Unicode normal form (default `NFC`). NFC makes "é" typed two ways one string; NFKC also folds
   * compatibility forms (full-width letters, ligatures), useful for CJK web text; `none` keeps bytes as read.
   */
  readonly normalize?: 'NFC' | 'NFKC' | 'none';
  /** Minimum length in characters (code points) after cleaning (default 1: only empty documents go). */
  readonly minChars?: number;
  /** Maximum length in characters after cleaning (default: no limit). */
  readonly maxChars?: number;
  /** Minimum number of whitespace-separated words (default 0). */
  readonly minWords?: number;
}

/** Why a document was dropped by {@link lengthVerdict}, or `ok`. */
export type LengthVerdict = 'ok' | 'empty' | 'tooShort' | 'tooLong';

// C0 and C1 controls other than tab and newline; DEL; zero-width no-break space (a BOM in mid-text);
// lone UTF-16 surrogates (which no encoding can store).
// eslint-disable-next-line no-control-regex -- matching control characters is the point of this pattern
const CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Cleans one document: line endings to `\n` (vertical tab and form feed too), control characters removed,
 * Unicode normalised, trailing spaces on lines and blank lines at both ends trimmed. Tabs, newlines, emoji
 * joiners (U+200D) and all printable text are kept.
 */
export function cleanText(text: string, opts: CleanOptions = {}): string {
  // eslint-disable-next-line no-control-regex -- vertical tab and form feed are line breaks to normalise
  let t = text.replace(/\r\n?|[\u000B\u000C\u2028\u2029]/g, '\n').replace(CONTROL, '');
  const form = opts.normalize ?? 'NFC';
  if (form !== 'none') t = t.normalize(form);
  return t.replace(/[ \t]+$/gm, '').replace(/^\n+|\s+$/g, '');
}

/** Applies the length filters to a cleaned document. */
export function lengthVerdict(text: string, opts: CleanOptions = {}): LengthVerdict {
  if (text.length === 0) return 'empty';
  const chars = codePoints(text);
  if (chars < (opts.minChars ?? 1)) return 'tooShort';
  if (opts.maxChars !== undefined && chars > opts.maxChars) return 'tooLong';
  if ((opts.minWords ?? 0) > 0 && text.split(/\s+/).filter(Boolean).length < opts.minWords!) return 'tooShort';
  return 'ok';
}

function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}
