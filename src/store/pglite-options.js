// PGlite's memory settings, shared by the database thread (pglite-thread.js) and the one-off initdb process
// (pglite-initdb.js). Plain JavaScript so that both load without a TypeScript loader.
//
// Why: PostgreSQL's defaults size it for a server (shared_buffers 128 MB, maintenance_work_mem 64 MB), and in
// PGlite those buffers live inside the WebAssembly heap, so an idle `qudao start` held ~280 MB for the
// database alone. 16 MB of shared buffers (2,048 pages) holds the hot ledger and key tables of a single
// gateway; the files stay in the OS page cache beyond that, so a miss costs a copy, not a disk read.

/** Options for `new PGlite(path, options)`. */
export const pgliteOptions = {
  postgresqlconf: ['shared_buffers=16MB', 'wal_buffers=1MB', 'maintenance_work_mem=8MB', 'temp_buffers=2MB'],
};
