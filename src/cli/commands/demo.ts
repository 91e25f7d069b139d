import { fileURLToPath } from 'node:url';
import { generateDemo, workspaceIsEmpty } from '../../demo/index.js';
import { createPipelineServices, ensureBundledModel } from '../../pipeline/index.js';
import { terminalProgress } from '../../pipeline/progress.js';
import { openStore } from '../../store/index.js';
import { recordCliChange } from '../audit-trail.js';
import { UsageError, type Command, type FlagValues } from '../command.js';

function intFlag(flags: FlagValues, name: string, fallback: number, min: number, max: number): number {
  const v = flags[name];
  if (typeof v !== 'string') return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${v}"`);
  return n;
}

/** `qudao demo`: fills an empty workspace with a reproducible 12-month demo history. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'Create the demo workspace: a seeded, reproducible year of channels, partners, campaigns, customers and usage.',
  usesConfig: true,
  flags: {
    seed: { type: 'string', doc: 'Random seed; the same seed writes the same rows (default 42).', placeholder: 'N' },
    months: { type: 'string', doc: 'Months of history before the current month (default 12).', placeholder: 'N' },
    scale: { type: 'string', doc: 'Multiplies acquisition rates (default 1 ≈ 170k ledger rows).', placeholder: 'X' },
  },
  help: 'Writes straight into the data folder or DATABASE_URL, so run it before `npx qudao start` on the embedded store.\nThe workspace must have no customers yet; `npx qudao start` does the same on its first start unless QUDAO_DEMO=false.',
  async run(ctx) {
    const seed = intFlag(ctx.flags, 'seed', 42, 0, 2 ** 32 - 1);
    const months = intFlag(ctx.flags, 'months', 12, 1, 36);
    const scaleText = ctx.flags.scale;
    const scale = typeof scaleText === 'string' ? Number(scaleText) : 1;
    if (!(scale > 0 && scale <= 20)) throw new UsageError(`--scale must be a number above 0 and at most 20, got "${String(scaleText)}"`);
    const config = ctx.loadConfig();
    const store = await openStore(config);
    try {
      if (!(await workspaceIsEmpty(store))) {
        ctx.err('qudao: the workspace already has customers; the demo fills an empty workspace only (use a new --data-dir or database)');
        return 1;
      }
      // The demo's customers call the bundled model, so it is deployed first (as \`qudao start\` does on an empty registry).
      await ensureBundledModel(createPipelineServices(store, { dataDir: config.dataDir, workerCommand: [] }), fileURLToPath(new URL('../../../models/bundled', import.meta.url)));
      const s = await generateDemo(store, { seed, months, scale, progress: terminalProgress() });
      await recordCliChange(store, { command: 'qudao demo', action: 'demo.generate', targetType: 'workspace', diff: [{ op: 'add', path: '/demo', value: { ...s } }] });
      ctx.out(`demo workspace ready: ${s.customers} customers (${s.churned} churned), ${s.partners} partners, ${s.campaigns} campaigns, ${s.usageRows} ledger rows, ${s.invoices} final invoices, ${s.touchpoints} touchpoints, ${s.from} to ${s.until}, seed ${s.seed}`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
