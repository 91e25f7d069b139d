import { pathOf, type CallInput, type ResponseOf, type RouteContract } from '../../../src/shared/contract/route.js';
import { useCallback, useEffect, useState } from 'react';
import { useSession } from '../session/context.js';
import { isNotAvailable } from './client.js';

/** A GET that is loading, answered, not built yet on the server, or failed. */
export type Resource<T> =
  | { status: 'loading'; data: null; error: null; reload(): void }
  | { status: 'ready'; data: T; error: null; reload(): void }
  | { status: 'unavailable'; data: null; error: null; reload(): void }
  | { status: 'error'; data: null; error: string; reload(): void };

/**
 * Loads `path` with the session's token. `null` skips the call. `refreshMs` polls (live loss curves).
 * A route the server does not have yet yields `unavailable`, never made-up data.
 */
export function useResource<T>(path: string | null, refreshMs?: number): Resource<T> {
  const { client } = useSession();
  const [state, setState] = useState<{ status: Resource<T>['status']; data: T | null; error: string | null }>({ status: 'loading', data: null, error: null });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    if (!path) return;
    let cancelled = false;
    client
      .get<T>(path)
      .then((data) => !cancelled && setState({ status: 'ready', data, error: null }))
      .catch((err: unknown) => {
        if (cancelled) return;
        if (isNotAvailable(err)) setState({ status: 'unavailable', data: null, error: null });
        else setState({ status: 'error', data: null, error: err instanceof Error ? err.message : String(err) });
      });
    return () => {
      cancelled = true;
    };
  }, [client, path, tick]);

  useEffect(() => {
    if (!path || !refreshMs) return;
    const timer = setInterval(reload, refreshMs);
    return () => clearInterval(timer);
  }, [path, refreshMs, reload]);

  return { ...state, reload } as Resource<T>;
}

/**
 * Loads a GET route through its contract (src/shared/contract): the answer has the route's declared type,
 * so a page reads typed fields, not string lookups. `input` null skips the call.
 */
export function useRoute<R extends RouteContract>(route: R, input: CallInput<R> | null, refreshMs?: number): Resource<ResponseOf<R>> {
  const { params, query } = (input ?? {}) as { params?: Record<string, unknown>; query?: Record<string, unknown> };
  return useResource<ResponseOf<R>>(input === null ? null : pathOf(route, params, query), refreshMs);
}
