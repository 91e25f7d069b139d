import { callRoute, type CallArgs } from '../../../src/shared/contract/client.js';
import type { ResponseOf, RouteContract } from '../../../src/shared/contract/route.js';

/**
 * The dashboard's one door to the server: every `/api` and `/v1` call goes through {@link ApiClient},
 * which sends the session's bearer token and turns OpenAI-shaped error bodies
 * (`{error:{message,type,param,code}}`) into {@link ApiError}s with a message a person can read.
 */

/** A failed call: HTTP status, the stable Qudao code (e.g. `QD_NOT_FOUND`) and the server's message. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly param: string | null;

  constructor(status: number, code: string, message: string, param: string | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.param = param;
  }
}

interface ErrorBody {
  error?: { message?: unknown; code?: unknown; param?: unknown; type?: unknown };
}

/** Builds an {@link ApiError} from a non-2xx response, whatever its body. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: ErrorBody = {};
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    // Not JSON (a proxy page, an empty body): fall back to the status line.
  }
  const e = body.error ?? {};
  const message = typeof e.message === 'string' && e.message ? e.message : `${response.status} ${response.statusText || 'request failed'}`;
  const code = typeof e.code === 'string' ? e.code : typeof e.type === 'string' ? e.type : `HTTP_${response.status}`;
  return new ApiError(response.status, code, message, typeof e.param === 'string' ? e.param : null);
}

/**
 * True when the server has no such route yet (the feature is being built): the catch-all 404 of
 * src/server/errors.ts (`QD_NOT_FOUND`, "no route GET /api/…"), or 405 for a method the route lacks. A 404
 * for a missing resource on an existing route ("no customer …") is an ordinary error.
 */
export function isNotAvailable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return (error.status === 404 && error.code === 'QD_NOT_FOUND' && error.message.startsWith('no route ')) || error.status === 405;
}

/** Calls `/api` and `/v1` with one bearer token (admin token, partner session or customer key). */
export class ApiClient {
  constructor(private readonly token: string | null) {}

  /**
   * Calls a route through its contract (src/shared/contract): typed input, typed answer. This is how
   * pages read `/api`; a field renamed on the server is a compile error here.
   */
  call<R extends RouteContract>(route: R, ...args: CallArgs<R>): Promise<ResponseOf<R>> {
    return callRoute(
      async (method, path, body) => {
        const text = await (await this.request(method, path, body)).text();
        return text ? JSON.parse(text) : null;
      },
      route,
      ...args,
    );
  }

  /** The raw fetch with the bearer header; throws {@link ApiError} on a non-2xx status. */
  async request(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(path, { ...init, method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError(0, 'QD_NETWORK', 'the server cannot be reached');
    }
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }

  /** GET, parsed as JSON. */
  async get<T>(path: string): Promise<T> {
    return (await this.request('GET', path)).json() as Promise<T>;
  }

  /** POST a JSON body; returns the parsed JSON (or null for an empty body). */
  async post<T>(path: string, body: unknown): Promise<T> {
    const text = await (await this.request('POST', path, body)).text();
    return (text ? JSON.parse(text) : null) as T;
  }
}
