import { readFileSync } from 'node:fs';
import type { Command } from '../command.js';

/** `qudao version`. */
export const versionCommand: Command = {
  name: 'version',
  summary: 'Print the version.',
  async run(ctx) {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    ctx.out(pkg.version);
  },
};
