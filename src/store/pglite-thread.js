// Worker thread that owns the embedded PostgreSQL (PGlite), so its queries — WebAssembly that runs to
// completion, 1–3 ms for a commit — never stall the server's event loop. Plain JavaScript, so it loads
// without a TypeScript loader. Protocol (see pglite-proxy.ts): the parent posts
//   { id, op: 'query', sql, params, rowMode, rawDates, tx } | { id, op: 'exec', sql, tx }
//   { id, op: 'begin' } -> { id, tx }      { id, op: 'end', tx, commit }
//   { id, op: 'listen', channel } / { id, op: 'unlisten', channel }   { id, op: 'close' }
// and gets { id, result } or { id, error }; notifications arrive as { notify: channel, payload }.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';
import { pgliteOptions } from './pglite-options.js';

/** drizzle keeps date and interval values as the text PostgreSQL sends; so does the proxy when asked. */
const RAW_DATES = Object.fromEntries([types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182].map((oid) => [oid, (v) => v]));

let pg;
try {
  pg = workerData.path === null ? new PGlite(pgliteOptions) : new PGlite(workerData.path, pgliteOptions);
  await pg.waitReady;
} catch (err) {
  parentPort.postMessage({ id: 0, error: serialise(err) });
  process.exit(0);
}

/** Open transactions: id -> { client, finish(commit) }. */
const transactions = new Map();
let nextTx = 1;
const listeners = new Map();

parentPort.on('message', (msg) => {
  handle(msg).then(
    (result) => parentPort.postMessage({ id: msg.id, result }),
    (err) => parentPort.postMessage({ id: msg.id, error: serialise(err) }),
  );
});
parentPort.postMessage({ id: 0, result: 'ready' });

async function handle(msg) {
  switch (msg.op) {
    case 'query': {
      const client = clientOf(msg.tx);
      const options = { rowMode: msg.rowMode ?? 'object', ...(msg.rawDates ? { parsers: RAW_DATES } : {}) };
      const r = await client.query(msg.sql, msg.params ?? [], options);
      return { rows: r.rows, fields: r.fields, affectedRows: r.affectedRows };
    }
    case 'exec': {
      const results = await clientOf(msg.tx).exec(msg.sql);
      return results.map((r) => ({ rows: r.rows, fields: r.fields, affectedRows: r.affectedRows }));
    }
    case 'begin':
      return begin();
    case 'end': {
      const t = transactions.get(msg.tx);
      if (!t) throw new Error(`no open transaction ${msg.tx}`);
      transactions.delete(msg.tx);
      return t.finish(msg.commit);
    }
    case 'listen': {
      if (!listeners.has(msg.channel)) listeners.set(msg.channel, await pg.listen(msg.channel, (payload) => parentPort.postMessage({ notify: msg.channel, payload })));
      return null;
    }
    case 'unlisten': {
      const unsub = listeners.get(msg.channel);
      listeners.delete(msg.channel);
      if (unsub) await unsub();
      return null;
    }
    case 'close':
      await pg.close();
      setImmediate(() => process.exit(0));
      return null;
    default:
      throw new Error(`unknown op ${msg.op}`);
  }
}

function clientOf(tx) {
  if (tx === undefined || tx === null) return pg;
  const t = transactions.get(tx);
  if (!t) throw new Error(`no open transaction ${tx}`);
  return t.client;
}

/**
 * Opens a transaction with PGlite's own `transaction()` (which holds its connection lock, so other queries
 * wait), resolves with its id once inside, and keeps it open until `end` says commit or roll back.
 */
function begin() {
  return new Promise((resolveBegun, rejectBegun) => {
    const id = nextTx++;
    let begun = false;
    let pending = null;
    pg.transaction(async (client) => {
      const outcome = new Promise((resolveEnd) => {
        transactions.set(id, { client, finish: (commit) => new Promise((resolveFinished, rejectFinished) => resolveEnd({ commit, resolveFinished, rejectFinished })) });
      });
      begun = true;
      resolveBegun(id);
      const { commit, resolveFinished, rejectFinished } = await outcome;
      pending = { resolveFinished, rejectFinished };
      if (!commit) throw ROLLBACK;
    }).then(
      () => pending?.resolveFinished(null),
      (err) => {
        if (!begun) rejectBegun(err);
        else if (err === ROLLBACK) pending?.resolveFinished(null);
        else pending?.rejectFinished(err);
      },
    );
  });
}

const ROLLBACK = new Error('rollback');

/** An error as plain data, keeping PostgreSQL's fields (code, detail, constraint, ...). */
function serialise(err) {
  if (!(err instanceof Error)) return { message: String(err) };
  const out = { message: err.message, name: err.name };
  for (const key of ['code', 'detail', 'hint', 'constraint', 'table', 'column', 'schema', 'severity', 'position', 'where', 'dataType', 'routine']) {
    if (err[key] !== undefined) out[key] = err[key];
  }
  return out;
}
