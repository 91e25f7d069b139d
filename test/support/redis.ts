import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { servicesRequired } from './stores.js';

/** The Redis the tests use (loopback by default). */
export const testRedisUrl = process.env.QUDAO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let reachable: Promise<boolean> | undefined;

/** Whether the test Redis answers PING; under CI=true an unreachable Redis is an error, elsewhere a skip. */
export function redisReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const redis = new Redis(testRedisUrl, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    try {
      await redis.connect();
      await redis.ping();
      return true;
    } catch (err) {
      if (servicesRequired) throw new Error(`CI=true but Redis at ${testRedisUrl} is unreachable: ${(err as Error).message}`);
      console.warn(`skipping Redis tests: ${testRedisUrl} unreachable (${(err as Error).message})`);
      return false;
    } finally {
      redis.disconnect();
    }
  })();
  return reachable;
}

/** A redis-server child of the test run on its own port: safe to kill, freeze and flush. */
export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  /** A client on it (for FLUSHALL and reading counters); closed by `stop`. */
  readonly client: Redis;
  /** SIGSTOP: the server keeps its connections but answers nothing (a hung Redis). */
  freeze(): void;
  /** SIGCONT after {@link freeze}. */
  thaw(): void;
  /** SIGKILL, then waits for the process to exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty unless a dump was saved with `SAVE` before `kill`). */
  restart(): Promise<void>;
  /** Thaws if frozen, kills and removes its folder. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether a `redis-server` binary is on the PATH; under CI=true its absence is an error, elsewhere a skip. */
export function redisServerAvailable(): boolean {
  const found = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!found && servicesRequired) throw new Error('CI=true but redis-server is not installed');
  if (!found) console.warn('skipping private-Redis tests: redis-server is not installed');
  return found;
}

/**
 * Starts `redis-server` on a free loopback port with no persistence of its own (`SAVE` still writes a dump
 * into its folder, which `restart` loads), never touching the shared test Redis. Resolves once it answers PING.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'qudao-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess;
  let frozen = false;
  const launch = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--dbfilename', 'dump.rdb'], { stdio: 'ignore' });
    for (let i = 0; i < 200; i++) {
      const probe = new Redis(url, { lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => {});
      try {
        await probe.connect();
        await probe.ping();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 25));
      } finally {
        probe.disconnect();
      }
    }
    throw new Error(`redis-server on port ${port} did not start`);
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  };
  await launch();
  const client = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 2_000 });
  client.on('error', () => {});
  return {
    url,
    port,
    client,
    freeze() {
      frozen = child.kill('SIGSTOP');
    },
    thaw() {
      if (frozen) child.kill('SIGCONT');
      frozen = false;
    },
    kill,
    restart: launch,
    async stop() {
      if (frozen) child.kill('SIGCONT');
      frozen = false;
      client.disconnect();
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
