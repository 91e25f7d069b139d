/**
 * The floor of `npm run bench:gateway`: a bare pass-through proxy in a few lines of `node:http` — no key
 * check, no limits, no ledger, no metrics, no parsing. It forwards each request to the upstream on a
 * keep-alive agent and pipes the answer back, so it is what any Node proxy pays for two HTTP hops.
 *
 *   node --import tsx bench/bare-proxy.ts <upstream base URL>   (prints `listening on http://…`)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const upstream = new URL(process.argv[2] ?? 'http://127.0.0.1:8080');
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

const server = http.createServer((req, res) => {
  // The gateway's `/v1/chat/completions` is the upstream's `/chat/completions` (the mock's base URL is its `/v1`).
  const path = `${upstream.pathname.replace(/\/$/, '')}${(req.url ?? '/').replace(/^\/v1/, '')}`;
  const out = http.request({ host: upstream.hostname, port: upstream.port, path, method: req.method, headers: { 'content-type': req.headers['content-type'] ?? 'application/json', ...(req.headers['content-length'] ? { 'content-length': req.headers['content-length'] } : {}) }, agent }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  out.on('error', () => res.writeHead(502).end());
  req.pipe(out);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
