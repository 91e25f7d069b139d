import { DEFAULT_SERVER_URL, type Config } from '../../config/index.js';
import { auditRoutes as api, type AuditEntry, type ListAuditQuery } from '../../shared/contract/audit.js';
import { listAudit, openStore, verifyAuditChain, type ChainReport, type Store } from '../../store/index.js';
import { UsageError, type Command, type CommandContext, type CommandGroup, type FlagValues } from '../command.js';
import { adminApiFlags, callApi, printRows, stringFlag } from './admin-api.js';

/**
 * Runs `local` on the store when this process can open it (the data folder with the server stopped, or
 * DATABASE_URL), else `remote` through the server's `/api` (a server holding the data folder is found
 * through its server.json; `--url` asks a server explicitly).
 */
async function withStoreOrServer<T>(ctx: CommandContext, local: (store: Store) => Promise<T>, remote: () => Promise<T>): Promise<T> {
  const config: Config = ctx.loadConfig();
  if (config.serverUrl !== DEFAULT_SERVER_URL) return remote();
  const store = await openStore(config).catch((err: unknown) => {
    if ((err as { code?: unknown }).code !== 'QD_DATA_DIR_LOCKED') throw err;
    return null;
  });
  if (!store) return remote();
  try {
    return await local(store);
  } finally {
    await store.close();
  }
}

const verify: Command = {
  name: 'verify',
  summary: 'Walk the audit trail\'s hash chain; exit 1 naming the first edited, missing or truncated row.',
  flags: adminApiFlags,
  usesConfig: true,
  help: 'Works on the data folder with the server stopped (or DATABASE_URL), else through the running server.\nPrint the head hash it reports into a ticket now and then: a rewrite of the whole chain from an edited row on is then detected too.',
  async run(ctx) {
    const report: ChainReport = await withStoreOrServer(ctx, (store) => verifyAuditChain(store.db), () => callApi(ctx, api.verify));
    if (ctx.flags.json) ctx.out(JSON.stringify(report, null, 2));
    if (!report.ok) {
      ctx.err(`qudao: audit trail tampered: ${report.reason ?? `row ${report.firstBadSeq}`} (first bad seq ${report.firstBadSeq}, ${report.rows} rows before it verified)`);
      return 1;
    }
    if (!ctx.flags.json) ctx.out(`audit trail intact: ${report.rows} rows verified${report.headHash ? `, head ${report.headHash}` : ''}`);
    return 0;
  },
};

/** The list filters from the flags, checked here so a typo fails before anything is read. */
function filtersOf(flags: FlagValues): ListAuditQuery {
  const time = (name: string) => {
    const v = stringFlag(flags, name);
    if (v === undefined) return undefined;
    if (Number.isNaN(Date.parse(v)) || !/^\d{4}-\d{2}-\d{2}/.test(v)) throw new UsageError(`--${name} must be a date or an ISO-8601 time, e.g. 2026-12-01 or 2026-12-01T09:00:00Z, got "${v}"`);
    return new Date(v).toISOString();
  };
  const limitText = stringFlag(flags, 'limit');
  const limit = limitText === undefined ? 50 : Number(limitText);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) throw new UsageError(`--limit must be a whole number from 1 to 1000, got "${limitText}"`);
  const q = { actor: stringFlag(flags, 'actor'), targetType: stringFlag(flags, 'target-type'), targetId: stringFlag(flags, 'target'), action: stringFlag(flags, 'action'), from: time('from'), to: time('to'), limit, offset: 0 };
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as ListAuditQuery;
}

/** One line of a diff: `~ /name = "Pro"`, `+ /tags/0 = "x"`, `- /note`. */
export function diffSummary(diff: AuditEntry['diff'], max = 3): string {
  const sign = { add: '+', remove: '-', replace: '~', move: '>', copy: '>', test: '?' } as const;
  const parts = diff.slice(0, max).map((op) => {
    const value = op.value === undefined ? '' : ` = ${JSON.stringify(op.value)}`;
    return `${sign[op.op]} ${op.path || '/'}${value.length > 60 ? `${value.slice(0, 57)}...` : value}`;
  });
  return diff.length > max ? `${parts.join('; ')}; (+${diff.length - max} more)` : parts.join('; ');
}

const list: Command = {
  name: 'list',
  summary: 'List the audit trail, newest first.',
  usesConfig: true,
  flags: {
    ...adminApiFlags,
    actor: { type: 'string', doc: 'Only rows of this actor (user id, e-mail, admin, cli:<user>, partner:<id>).', placeholder: 'WHO' },
    'target-type': { type: 'string', doc: 'Only rows about this kind of target (plans, statements, partners.users...).', placeholder: 'TYPE' },
    target: { type: 'string', doc: 'Only rows about this target id.', placeholder: 'ID' },
    action: { type: 'string', doc: 'Only this action (plans.create), or a prefix ending in a dot (plans.).', placeholder: 'ACTION' },
    from: { type: 'string', doc: 'From this time (inclusive).', placeholder: 'TIME' },
    to: { type: 'string', doc: 'Until this time (exclusive).', placeholder: 'TIME' },
    limit: { type: 'string', doc: 'At most this many rows (default 50).', placeholder: 'N' },
  },
  async run(ctx) {
    const q = filtersOf(ctx.flags);
    const page = await withStoreOrServer(
      ctx,
      async (store) => {
        const { data, total } = await listAudit(store.db, { ...q, from: q.from === undefined ? undefined : new Date(q.from), to: q.to === undefined ? undefined : new Date(q.to), limit: q.limit ?? 50, offset: 0 });
        return { total, data: data.map((r) => ({ ...r, at: r.at.toISOString() })) };
      },
      () => callApi(ctx, api.list, { query: q }),
    );
    const rows = page.data.map((r) => ({ seq: r.seq, at: r.at, actor: r.actorLabel, role: r.actorRole ?? '', action: r.action, target: r.targetId ? `${r.targetType ?? ''} ${r.targetId}` : (r.targetType ?? ''), diff: diffSummary(r.diff) }));
    printRows(ctx, page, rows, ['seq', 'at', 'actor', 'role', 'action', 'target', 'diff']);
  },
};

/** `qudao audit`: the audit trail. */
export const auditCommand: CommandGroup = { name: 'audit', summary: 'Read and verify the audit trail of every change.', commands: [list, verify] };
