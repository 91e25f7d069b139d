import { mayCall } from '../../../src/shared/contract/access.js';
import type { RouteContract } from '../../../src/shared/contract/route.js';
import { useSession } from './context.js';

/**
 * Whether the signed-in role may call `route` (src/shared/contract/access.ts), so a page disables the
 * buttons a viewer cannot use instead of letting them fail. A session without a known role is left to the
 * server, which decides either way.
 */
export function useMayCall(route: Pick<RouteContract, 'method' | 'url' | 'tag'>): boolean {
  const { session } = useSession();
  if (session?.kind !== 'admin' || !session.role) return true;
  return mayCall(session.role, route);
}
