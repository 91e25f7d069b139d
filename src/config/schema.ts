import { z } from 'zod';

/** Where the CLI looks for a server when neither `--url` nor `QUDAO_URL` says. */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';

/**
 * Every setting Qudao reads, as data: its schema (with the default), the environment variables and the
 * command-line flag that set it. Sources are applied in order defaults < config file < environment < flags.
 */
export const settings = {
  dataDir: { schema: z.string().min(1).default('./data'), env: ['QUDAO_DATA_DIR'], flag: 'data-dir', doc: 'Folder for the embedded database (PGlite), checkpoints and artifacts.' },
  host: { schema: z.string().min(1).default('127.0.0.1'), env: ['QUDAO_HOST', 'HOST'], flag: 'host', doc: 'Address the HTTP server listens on.' },
  port: { schema: z.coerce.number().int().min(0).max(65535).default(8080), env: ['QUDAO_PORT', 'PORT'], flag: 'port', doc: 'Port the HTTP server listens on (0 picks a free port).' },
  databaseUrl: { schema: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(), env: ['DATABASE_URL'], flag: 'database-url', doc: 'PostgreSQL URL; unset means embedded PGlite in the data folder.' },
  redisUrl: { schema: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(), env: ['REDIS_URL'], flag: 'redis-url', doc: 'Redis URL for rate-limit and quota counters shared by gateway replicas; unset means in-process counters.' },
  redisTimeoutMs: { schema: z.coerce.number().int().min(10).max(60_000).default(250), env: ['QUDAO_REDIS_TIMEOUT_MS'], flag: 'redis-timeout-ms', doc: 'Longest wait for one Redis command (and the /healthz Redis probe); a slower or absent Redis fails metered requests at once with 503 QD_OVERLOADED and Retry-After.' },
  logLevel: { schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), env: ['QUDAO_LOG_LEVEL'], flag: 'log-level', doc: 'Structured log level.' },
  adminToken: { schema: z.string().min(24, 'must be at least 24 characters').optional(), env: ['QUDAO_ADMIN_TOKEN'], flag: 'admin-token', doc: 'Fixed admin token (else one is created on first start and printed once).' },
  ownerEmail: { schema: z.string().trim().regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address like name@example.com').max(254).default('owner@localhost'), env: ['QUDAO_OWNER_EMAIL'], flag: 'owner-email', doc: 'E-mail of the owner user created on the first start (the first-start token and QUDAO_ADMIN_TOKEN are theirs).' },
  bodyLimitBytes: { schema: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024), env: ['QUDAO_BODY_LIMIT_BYTES'], flag: 'body-limit-bytes', doc: 'Largest accepted request body.' },
  fineTuningFileMaxBytes: { schema: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(16 * 1024 * 1024), env: ['QUDAO_FINE_TUNING_FILE_MAX_BYTES'], flag: 'fine-tuning-file-max-bytes', doc: 'Largest file POST /v1/files accepts (chat fine-tuning JSONL); a larger one is refused with 413 QD_BODY_TOO_LARGE.' },
  shutdownTimeoutMs: { schema: z.coerce.number().int().min(0).max(600_000).default(10_000), env: ['QUDAO_SHUTDOWN_TIMEOUT_MS'], flag: 'shutdown-timeout-ms', doc: 'How long SIGTERM waits for in-flight requests.' },
  ledgerJournal: { schema: z.enum(['auto', 'on', 'off']).default('auto'), env: ['QUDAO_LEDGER_JOURNAL'], flag: 'ledger-journal', doc: 'Usage ledger journal in <dataDir>/ledger-journal: answers wait for a local journal write and rows reach the database a few ms later (replayed after a crash). auto = on with embedded PGlite on disk, off with PostgreSQL.' },
  streamBufferBytes: { schema: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(256 * 1024), env: ['QUDAO_STREAM_BUFFER_BYTES'], flag: 'stream-buffer-bytes', doc: 'Bytes one stream may hold in the gateway for a client that is not reading; beyond it the model or upstream is paused for that stream.' },
  streamStallMs: { schema: z.coerce.number().int().min(1).max(3_600_000).default(30_000), env: ['QUDAO_STREAM_STALL_MS'], flag: 'stream-stall-ms', doc: 'A paused stream whose client takes no byte for this long is disconnected, its generation cancelled and billed as cancelled for what reached the socket.' },
  streamProgressMs: { schema: z.coerce.number().int().min(10).max(600_000).default(1000), env: ['QUDAO_STREAM_PROGRESS_MS'], flag: 'stream-progress-ms', doc: 'How often a stream journals the tokens it delivered (<dataDir>/stream-journal), so a crash bills an interrupted stream as cancelled for all but at most this last interval of deliveries.' },
  healthCheckIntervalMs: { schema: z.coerce.number().int().min(0).max(3_600_000).default(15_000), env: ['QUDAO_HEALTH_CHECK_INTERVAL_MS'], flag: 'health-check-interval-ms', doc: 'Time between background health checks of deployments (an upstream\'s GET /models, a local model\'s checkpoint folder); a deployment that fails one is not called (503 QD_UPSTREAM_UNHEALTHY at once) until one passes. 0 turns the checks off.' },
  healthCheckTimeoutMs: { schema: z.coerce.number().int().min(50).max(60_000).default(2_000), env: ['QUDAO_HEALTH_CHECK_TIMEOUT_MS'], flag: 'health-check-timeout-ms', doc: 'Longest wait for one health check of a deployment.' },
  requestLogRetentionIntervalMs: { schema: z.coerce.number().int().min(1_000).max(86_400_000).default(3_600_000), env: ['QUDAO_REQUEST_LOG_RETENTION_INTERVAL_MS'], flag: 'request-log-retention-interval-ms', doc: 'How often the retention job deletes request logs older than their deployment\'s retention period (request logging is off unless a deployment turns it on).' },
  threads: { schema: z.coerce.number().int().min(1).max(64).default(2), env: ['QUDAO_THREADS'], flag: 'threads', doc: 'Worker threads for the engine kernels.' },
  kernels: { schema: z.enum(['auto', 'native', 'wasm', 'reference']).default('auto'), env: ['QUDAO_KERNELS'], flag: 'kernels', doc: 'Engine kernels: auto = native (C++, built by npm install) when it loads, else WebAssembly with a one-line notice; native fails when the addon is missing; wasm; reference (slow TypeScript).' },
  serverUrl: { schema: z.string().regex(/^https?:\/\//, 'must start with http:// or https://').default(DEFAULT_SERVER_URL), env: ['QUDAO_URL'], flag: 'url', doc: 'URL of a running Qudao server, for CLI commands that change data through its /api (keys, plans, deployments).' },
  demo: { schema: z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]).default(true), env: ['QUDAO_DEMO'], flag: 'demo', doc: 'Create the demo workspace when the database is empty.' },
} as const;

/** A setting's name. */
export type SettingName = keyof typeof settings;

/** The validated, frozen configuration. */
export type Config = Readonly<{ [K in SettingName]: z.output<(typeof settings)[K]['schema']> }>;
