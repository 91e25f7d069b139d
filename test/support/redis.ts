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
