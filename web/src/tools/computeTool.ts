import { isNotAvailable, type ApiClient } from '../api/client.js';
import type { CallArgs } from '../../../src/shared/contract/client.js';
import type { ResponseOf, RouteContract } from '../../../src/shared/contract/route.js';

/** Where a calculation ran: the server's `/api/strategy/*` tool, or the same pure function in the browser. */
export type ComputedWhere = 'server' | 'browser';

/**
 * Runs a stateless strategy tool on the server when it offers the route (its contract in
 * src/shared/contract/strategy/tools.ts), otherwise the same function from src/shared/methods in the
 * browser (the tools answer exactly what the functions return). `fromServer` takes what the tool reads
 * from the route's typed answer, so both sides give the same type. Input errors from either side surface
 * as thrown errors with a readable message.
 */
export async function computeTool<R extends RouteContract, T>(
  client: ApiClient,
  route: R,
  input: CallArgs<R>[0],
  local: () => T,
  fromServer: (answer: ResponseOf<R>) => T,
): Promise<{ result: T; where: ComputedWhere }> {
  try {
    const answer = await client.call(route, ...([input] as CallArgs<R>));
    return { result: fromServer(answer), where: 'server' };
  } catch (err) {
    if (!isNotAvailable(err)) throw err;
    return { result: local(), where: 'browser' };
  }
}
