import { isNotAvailable, type ApiClient } from '../api/client.js';

/** Where a calculation ran: the server's `/api/strategy/*` tool, or the same pure function in the browser. */
export type ComputedWhere = 'server' | 'browser';

/**
 * Runs a stateless strategy tool on the server when it offers the route, otherwise the same function from
 * src/strategy/methods in the browser (the tools answer exactly what the functions return). Input errors
 * from either side surface as thrown errors with a readable message.
 */
export async function computeTool<T>(client: ApiClient, path: string, body: unknown, local: () => T): Promise<{ result: T; where: ComputedWhere }> {
  try {
    return { result: await client.post<T>(path, body), where: 'server' };
  } catch (err) {
    if (!isNotAvailable(err)) throw err;
    return { result: local(), where: 'browser' };
  }
}
