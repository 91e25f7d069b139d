import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/client.js';
import type { Role } from '../../../src/shared/contract/access.js';

/**
 * Who is signed in to the dashboard: an admin user (an API token pasted, or a session from e-mail and
 * password; `role` is what /api/auth/me said, for hiding what the role cannot use; the server decides) or a
 * partner user (portal session).
 */
export type Session =
  | { kind: 'admin'; token: string; email?: string; role?: Role }
  | { kind: 'partner'; token: string; partnerId: string | null; email: string };

/** What {@link useSession} gives a component. */
export interface SessionState {
  session: Session | null;
  /** An API client carrying the session's bearer token. */
  client: ApiClient;
  signIn(session: Session): void;
  signOut(): void;
}

export const SessionContext = createContext<SessionState | null>(null);

/** The current session; throws outside {@link SessionProvider}. */
export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
