/**
 * A second floor for `bench/gateway-costs.ts`'s attribution: the same pass-through as ./bare-proxy.ts, but
 * written the way the gateway is — Fastify (logger at `warn`, request ids), the body parsed as JSON, the
 * upstream called with a JSON body on a keep-alive agent, its answer parsed and sent back as JSON — and no
 * key, no limits, no ledger, no metrics. What it costs above the bare proxy is the framework and JSON;
 * what Qudao costs above it is the gateway's own work.
 *
 *   node --import tsx bench/fastify-proxy.ts <upstream base URL>   (prints `listening on http://…`)
 */
import http from 'node:http';
import Fastify from 'fastify';

const upstream = new URL(process.argv[2] ?? 'http://127.0.0.1:8080/v1');
const agent = new http.Agent({ keepAlive: true, maxSockets: 512, scheduling: 'lifo' });
let nextId = 0;
const app = Fastify({ logger: { level: 'warn' }, genReqId: () => `req_${nextId++}` });

function post(path: string, body: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: upstream.hostname, port: upstream.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(parts).toString('utf8'))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

app.post('/v1/chat/completions', async (request) => post(`${upstream.pathname}/chat/completions`, JSON.stringify(request.body)));
app.listen({ port: 0, host: '127.0.0.1' }).then((address) => console.log(`listening on ${address}`));
