import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Production code types its values honestly: a guard, a parse or a declared interface, never a cast through
// `unknown` (`x as unknown as T`), which silences the compiler about any two unrelated types. A single `as`
// from a wider known type is fine. Tests may double-cast to build fakes.

const root = fileURLToPath(new URL('../../', import.meta.url));
const scanned = ['src', 'web/src'];

const isTest = (path: string): boolean => /\.test\.tsx?$/.test(path);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `file:line: text` for every `as unknown as` in the file. */
function doubleCasts(file: string, path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/\bas\s+unknown\s+as\b/g)) {
    const line = text.slice(0, m.index).split('\n').length;
    found.push(`${file}:${line}: ${text.split('\n')[line - 1]!.trim()}`);
  }
  return found;
}

describe('production code', () => {
  const files = scanned
    .flatMap((dir) => sourceFiles(join(root, dir)))
    .map((path) => ({ path, file: relative(root, path).split(sep).join('/') }))
    .filter(({ file }) => !isTest(file));

  it('scans the source trees', () => {
    expect(files.some(({ file }) => file.startsWith('src/'))).toBe(true);
    expect(files.some(({ file }) => file.startsWith('web/src/'))).toBe(true);
  });

  it('has no double casts through unknown (as unknown as)', () => {
    const offenders = files.flatMap(({ file, path }) => doubleCasts(file, path));
    expect(offenders, `cast through unknown in production code:\n${offenders.join('\n')}`).toEqual([]);
  });
});
