import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGroup, type Command, type CommandGroup } from './command.js';
import { rootCommand } from './index.js';

const repoRoot = join(import.meta.dirname, '..', '..');

/** Every non-test TypeScript file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));
}

/**
 * Whether a hint's words name a command or group: each word down the tree while the node is a group (a
 * group named alone, like `npx qudao keys`, is a fine reference; after a command come its arguments).
 */
function names(words: readonly string[]): boolean {
  let node: Command | CommandGroup = rootCommand;
  for (const word of words) {
    if (!isGroup(node)) return true;
    const next: Command | CommandGroup | undefined = node.commands.find((c) => c.name === word);
    if (!next) return false;
    node = next;
  }
  return true;
}

describe('CLI hints', () => {
  it('every `npx qudao <command>` in the sources, help and README names a real command', () => {
    const texts = [...sources(join(repoRoot, 'src')), join(repoRoot, 'README.md')].map((file) => [file, readFileSync(file, 'utf8')] as const);
    const wrong: string[] = [];
    let seen = 0;
    for (const [file, text] of texts) {
      for (const m of text.matchAll(/npx qudao ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)/g)) {
        if (!names(m[1]!.split(' '))) wrong.push(`${file.slice(repoRoot.length + 1)}: npx qudao ${m[1]}`);
        seen++;
      }
    }
    expect(seen).toBeGreaterThan(50);
    expect(wrong).toEqual([]);
  });

  it('the README says npx qudao, never a bare qudao command (qudao is not on PATH after npm install)', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const bare = [...readme.matchAll(/(?<![\w./-])(?<!npx )qudao (?=[a-z])/g)].map((m) => readme.slice(m.index, m.index + 40).split('\n')[0]);
    expect(bare).toEqual([]);
  });
});
