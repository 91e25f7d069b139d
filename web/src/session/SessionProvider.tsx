import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { ApiClient } from '../api/client.js';
import { SessionContext, type Session, type SessionState } from './context.js';

const storageKey = 'qudao.session';

function savedSession(): Session | null {
  try {
    const parsed = JSON.parse(sessionStorage.getItem(storageKey) ?? 'null') as Session | null;
    return parsed && typeof parsed.token === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Keeps the session for the browser tab. sessionStorage, not localStorage: an admin token is a
 * long-lived secret, so it should not outlive the tab.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(savedSession);
  const signIn = useCallback((next: Session) => {
    sessionStorage.setItem(storageKey, JSON.stringify(next));
    setSession(next);
  }, []);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(storageKey);
    setSession(null);
  }, []);
  const value = useMemo<SessionState>(() => ({ session, client: new ApiClient(session?.token ?? null), signIn, signOut }), [session, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
