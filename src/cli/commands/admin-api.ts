import { DEFAULT_SERVER_URL, type Config } from '../../config/index.js';
import { readLocalServer } from '../../server/index.js';
import { callRoute, type CallArgs } from '../../shared/contract/client.js';
import { pathOf, type ResponseOf, type RouteContract } from '../../shared/contract/route.js';
import { UsageError, type CommandContext, type FlagSpec, type FlagValues } from '../command.js';
import { columnHeader, formatColumnCell } from './cells.js';

/**
 * CLI commands that change gateway data (keys, plans, deployments) go through a running server's `/api`,
 * never the data folder: embedded PGlite allows one process per folder, and the server must see every
 * change at once (its caches reload on the change notification). Start the server first. A server started
 * on this machine's data folder is found without flags (see {@link serverConnection}).
 */
export const adminApiFlags: Record<string, FlagSpec> = {
  url: { type: 'string', doc: 'URL of the running server [QUDAO_URL], default http://127.0.0.1:8080.', placeholder: 'URL' },
  'admin-token': { type: 'string', doc: 'Admin token [QUDAO_ADMIN_TOKEN].', placeholder: 'TOKEN' },
  json: { type: 'boolean', doc: 'Print the raw JSON answer.' },
};

/** Where the CLI calls `/api`, and with which admin token. */
export interface ServerConnection {
  readonly url: string;
  readonly token: string;
  /** True when found through the data folder's `server.json` (a local server). */
  readonly local: boolean;
}

/**
 * The server to call: a server that owns the configured data folder (`<dataDir>/server.json`: its URL and
 * an admin token for this start) unless `--url` / `QUDAO_URL` names another one; else the configured URL
 * and `--admin-token` / `QUDAO_ADMIN_TOKEN`. The local token is only ever sent to the local server's URL.
 */
export function serverConnection(config: Config): ServerConnection {
  const local = config.dataDir === 'memory://' ? null : readLocalServer(config.dataDir);
  const url = local && (config.serverUrl === DEFAULT_SERVER_URL || config.serverUrl === local.url) ? local.url : config.serverUrl;
  const isLocal = local !== null && url === local.url;
  const token = config.adminToken ?? (isLocal ? local.adminToken : undefined);
  if (!token) throw new UsageError('no admin token: pass --admin-token or set QUDAO_ADMIN_TOKEN (a server started on this data folder with qudao start is found without one)');
  return { url, token, local: isLocal };
}

/** Sends one request to `/api` with the admin token; an unreachable server is a one-line usage error. */
async function send(ctx: CommandContext, method: RouteContract['method'], path: string, body?: unknown): Promise<Response> {
  const { url, token } = serverConnection(ctx.loadConfig());
  try {
    return await fetch(`${url.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new UsageError(`cannot reach the server at ${url} (${(err as Error).message}); start it with npx qudao start, or pass --url`);
  }
}

/** An error answer (JSON `{ error: { code, message } }`) as a one-line failure with its code. */
function failure(res: Response, json: { error?: { code: string; message: string } }): Error {
  return Object.assign(new Error(`${json.error?.code ?? res.status}: ${json.error?.message ?? res.statusText}`), { code: json.error?.code });
}

/** Calls `/api` with the admin token; an error answer becomes a one-line failure with its code. */
export async function callAdminApi<T>(ctx: CommandContext, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const res = await send(ctx, method, path, body);
  const json = (await res.json().catch(() => ({}))) as T & { error?: { code: string; message: string } };
  if (!res.ok) throw failure(res, json);
  return json;
}

/**
 * Calls a route that answers a file (its contract `produces` CSV or PDF) and returns the file's bytes; an
 * error answer is JSON and fails like every other call.
 */
export async function callFile<R extends RouteContract>(ctx: CommandContext, route: R, ...[input]: CallArgs<R>): Promise<Buffer> {
  const { params, query } = (input ?? {}) as { params?: Record<string, unknown>; query?: Record<string, unknown> };
  const res = await send(ctx, route.method, pathOf(route, params, query));
  if (!res.ok) throw failure(res, (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } });
  return Buffer.from(await res.arrayBuffer());
}

/**
 * Calls an `/api` route through its contract (src/shared/contract) with the admin token: typed input and
 * answer; an error answer becomes a one-line failure with its code.
 */
export function callApi<R extends RouteContract>(ctx: CommandContext, route: R, ...args: CallArgs<R>): Promise<ResponseOf<R>> {
  return callRoute(async (method, path, body) => callAdminApi<unknown>(ctx, method, path, body), route, ...args);
}

/** A string flag's value, or undefined. */
export function stringFlag(flags: FlagValues, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** A flag that must be one of `values` (checked here, so a typo fails before the request), or undefined. */
export function enumFlag<const V extends string>(flags: FlagValues, name: string, values: readonly V[]): V | undefined {
  const v = stringFlag(flags, name);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${values.join(', ')}, got "${v}"`);
  return v as V;
}

/** A non-negative integer flag (`none` gives null, for "unlimited"), or undefined when absent. */
export function integerFlag(flags: FlagValues, name: string): number | null | undefined {
  const v = stringFlag(flags, name);
  if (v === undefined) return undefined;
  if (v === 'none') return null;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number (or none), got "${v}"`);
  return n;
}

/** Drops undefined fields so PATCH bodies only name what changes. */
export function defined<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/** Prints rows as aligned columns, or the JSON answer with --json. */
export function printRows(ctx: CommandContext, json: unknown, rows: Record<string, unknown>[], columns: string[]): void {
  if (ctx.flags.json) return ctx.out(JSON.stringify(json, null, 2));
  const headers = columns.map(columnHeader);
  const cells = rows.map((r) => columns.map((c) => formatColumnCell(c, r[c])));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  ctx.out(headers.map((h, i) => h.padEnd(widths[i]!)).join('  '));
  for (const row of cells) ctx.out(row.map((v, i) => v.padEnd(widths[i]!)).join('  '));
}
