import { connect } from 'node:net';

/** What a raw HTTP/1.1 exchange answered: status code, lower-cased headers and the body text. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one request exactly as written — request target, headers and body byte for byte, no client-side
 * normalisation of the path — over a fresh TCP connection, and reads the answer until the server closes.
 * Lets tests send what `fetch` and `inject()` would rewrite or refuse: percent-encoded path segments
 * (`/%61pi/x`), absolute-form request lines (`GET http://host/x HTTP/1.1`), `//` and broken framing.
 */
export function rawRequest(baseUrl: string, head: string, body = ''): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    // write, not end: a half-closed socket makes Node drop a response still being prepared (e.g. a file read).
    const socket = connect(Number(port), hostname, () => socket.write(head + body));
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${head.split('\r\n')[0]}`)));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const lines = text.slice(0, split < 0 ? text.length : split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0), headers, body: split < 0 ? '' : text.slice(split + 4) });
    });
  });
}

/** A complete request head: request line, Host, the given headers, Connection: close, blank line. */
export function requestHead(method: string, target: string, host: string, headers: Record<string, string> = {}): string {
  const lines = [`${method} ${target} HTTP/1.1`, `Host: ${host}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), 'Connection: close'];
  return `${lines.join('\r\n')}\r\n\r\n`;
}
