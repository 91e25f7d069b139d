// One-off process that creates a new PGlite data folder (runs initdb) and exits. Plain JavaScript, so it
// starts without a TypeScript loader. Usage: node pglite-initdb.js <folder>
//
// Why a process of its own: PGlite's initdb runs a second PostgreSQL and the initdb WebAssembly, and the
// ~500 MB they touch stay with the process that ran them (terminating a worker thread gives back only part
// of it). Run here, it all goes back to the OS when the process exits, and the server's own database thread
// only ever reopens an existing folder (~120 MB).
import { PGlite } from '@electric-sql/pglite';
import { pgliteOptions } from './pglite-options.js';

const folder = process.argv[2];
if (!folder) {
  console.error('usage: node pglite-initdb.js <folder>');
  process.exit(2);
}
const pg = new PGlite(folder, pgliteOptions);
await pg.waitReady;
await pg.close();
