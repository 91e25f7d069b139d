import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Serves the built dashboard from `root` at `/`, with the single-page-app fallback: any GET that is not an
 * API, gateway or asset path returns index.html so client-side routes survive a reload; an unrouted path
 * under /api, /v1 or /r (any case, any leading slashes) is a 404.
 */
export function installStaticFiles(app: FastifyInstance, root: string): void {
  if (!existsSync(join(root, 'index.html'))) {
    app.get('/', async () => ({ name: 'qudao', dashboard: 'not built: run `npm run build:web`', api: '/api', gateway: '/v1' }));
    return;
  }
  const base = normalize(root + sep);
  app.get('/*', async (request, reply) => {
    // The router has already percent-decoded the wildcard; decoding it again would turn `%25` into `%`.
    const path = (request.params as { '*': string })['*'] ?? '';
    // A path the API, the gateway or a tracked link would own, in any spelling the router did not route
    // (`/API/keys`, `//api/keys`, `/V1/models`), is an unknown route: the JSON 404, never the dashboard's page.
    if (/^\/*(api|v1|r)(\/|$)/i.test(path)) {
      return reply.callNotFound();
    }
    let file = normalize(join(root, path));
    if (!file.startsWith(base) || !existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    const type = contentTypes[extname(file)] ?? 'application/octet-stream';
    const cache = file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
    return reply.header('content-type', type).header('cache-control', cache).send(await readFile(file));
  });
}
