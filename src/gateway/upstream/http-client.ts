import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { UpstreamFailure } from './types.js';

/** Keep-alive agents shared by every upstream call: connection set-up is most of a loopback call's cost. */
export interface UpstreamAgents {
  readonly http: http.Agent;
  readonly https: https.Agent;
}

/** Creates the keep-alive agents (one pair per gateway). */
export function createUpstreamAgents(maxSockets = 512): UpstreamAgents {
  return {
    http: new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: 256, scheduling: 'lifo' }),
    https: new https.Agent({ keepAlive: true, maxSockets, maxFreeSockets: 256, scheduling: 'lifo' }),
  };
}

/** A started upstream response, with a timer that keeps running until the caller is done with it. */
export interface UpstreamResponse {
  readonly response: IncomingMessage;
  /** Stops the timeout and abort listeners (call when the body is read). */
  done(): void;
  /** Why the exchange was cut short by us (timeout, client gone), if it was. */
  failure(): UpstreamFailure | undefined;
  /** Restarts the timeout: a stream that keeps sending is not cut, only one that goes quiet. */
  touch(): void;
  /**
   * Suspends the timeout while the gateway itself has stopped reading the body (its client is not
   * draining: the stall timeout governs then); `hold(false)` restarts it.
   */
  hold(held: boolean): void;
}

/**
 * POSTs JSON and resolves with the response once its headers arrive. The timeout covers the whole
 * exchange (headers and body) until `done()`, restarted by `touch()` (streams call it per chunk); the abort signal (client gone) destroys the request.
 * Connection failures and timeouts become retryable {@link UpstreamFailure}s.
 */
export function postJson(agents: UpstreamAgents, url: URL, headers: Record<string, string>, body: string, timeoutMs: number, signal: AbortSignal): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new UpstreamFailure('the client went away', 'connection', false));
    const isHttps = url.protocol === 'https:';
    const req = (isHttps ? https : http).request(url, {
      method: 'POST',
      agent: isHttps ? agents.https : agents.http,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), accept: 'application/json, text/event-stream', ...headers },
    });
    let failure: UpstreamFailure | undefined;
    const fail = (f: UpstreamFailure) => {
      failure ??= f;
      req.destroy(f);
    };
    let held = false;
    const timer = setTimeout(function expire() {
      if (held) return void timer.refresh();
      fail(new UpstreamFailure(`no answer within ${timeoutMs} ms`, 'timeout', false));
    }, timeoutMs);
    const touch = () => void timer.refresh();
    const hold = (h: boolean) => {
      held = h;
      touch();
    };
    const onAbort = () => fail(new UpstreamFailure('the client went away', 'connection', false));
    signal.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    req.on('error', (err) => {
      done();
      reject(failure ?? new UpstreamFailure(`cannot reach the upstream: ${(err as NodeJS.ErrnoException).code ?? err.message}`, 'connection', true));
    });
    req.on('response', (response) => {
      response.on('error', () => {});
      resolve({ response, done, failure: () => failure, touch, hold });
    });
    req.end(body);
  });
}

/** Reads a whole response body as text (rejects if the response is cut). */
export function readBody(upstream: UpstreamResponse): Promise<string> {
  const { response } = upstream;
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const cut = () => reject(upstream.failure() ?? new UpstreamFailure('the upstream response was cut', 'connection', true));
    response.on('data', (b: Buffer) => parts.push(b));
    response.on('end', () => (response.complete ? resolve(Buffer.concat(parts).toString('utf8')) : cut()));
    response.on('error', cut);
    response.on('close', () => {
      if (!response.complete) cut();
    });
  });
}
