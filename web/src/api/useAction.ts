import { useCallback, useState } from 'react';

/** The message of what a call threw (a server error's message as it answered). */
export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * A button's call: `run(work)` clears the last error, marks the action busy, runs it, and keeps what it threw
 * as `error` for the page to show; the action is never busy twice at once on a page that disables its button.
 */
export function useAction(): { busy: boolean; error: string | null; setError: (message: string | null) => void; run: (work: () => Promise<void>) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (work: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    try {
      await work();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
