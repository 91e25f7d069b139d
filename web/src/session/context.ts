import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/client.js';

/** Who is signed in to the dashboard: an administrator (admin token) or a partner user (portal session). */
export type Session =
  | { kind: 'admin'; token: string }
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
