import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom as prng } from './random.js';

const WORDS = ['the', 'model', 'partner', 'channel', 'sells', 'learns', 'a', 'small', 'language', 'through', 'market', 'every', 'day', 'and', 'text', 'data', 'good', 'fast', 'new', 'old'];


/** Sentences of random words: varied enough that no two documents are near duplicates. */
function sentences(r: () => number, count: number, words: readonly string[]): string {
  const out: string[] = [];
  for (let s = 0; s < count; s++) {
    const n = 5 + Math.floor(r() * 6);
    const ws = Array.from({ length: n }, () => words[Math.floor(r() * words.length)]!);
    out.push(`${ws.join(' ')}.`);
  }
  return out.join(' ');
}

/** Writes `docs` plain-text documents into `dir` (a folder of text, as a user would have). */
export function writeTextCorpus(dir: string, docs = 40, seed = 7): string {
  mkdirSync(dir, { recursive: true });
  const r = prng(seed);
  for (let d = 0; d < docs; d++) writeFileSync(join(dir, `doc-${String(d).padStart(3, '0')}.txt`), sentences(r, 12, WORDS));
  return dir;
}

/**
 * Writes a `text,label` CSV where the label is visible in the words: `pos` texts use the first half of the
 * vocabulary, `neg` texts the second half, so a small classifier can learn it in a few steps.
 */
export function writeLabeledCsv(file: string, rows = 80, seed = 11): string {
  const r = prng(seed);
  const lines = ['text,label'];
  for (let i = 0; i < rows; i++) {
    const pos = i % 2 === 0;
    lines.push(`${sentences(r, 2, pos ? WORDS.slice(0, 10) : WORDS.slice(10))},${pos ? 'pos' : 'neg'}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
