/**
 * Summarises the V8 CPU profiles `npm run bench:gateway -- --profile DIR` leaves (one per thread of the
 * Qudao process: main and PGlite): self time by area (the framework, validation, serialisation, the
 * limiter, the ledger, metrics, Node's HTTP, GC, the database's WebAssembly) and the hottest functions,
 * in µs per request when `--requests N` says how many requests the profile covers.
 *
 *   npx tsx bench/profile-summary.ts DIR [--requests N] [--top 40] [--from S]
 *
 * `--from S` skips the first S seconds of each profile (start-up: module loading, migrations).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Areas by where the code lives (first match wins): a function's self time is charged to its area. */
const areas: readonly (readonly [string, RegExp])[] = [
  ['garbage collection', /^\(garbage collector\)$/],
  ['idle', /^\((idle|program)\)$/],
  ['PGlite (WebAssembly and its JS)', /pglite|wasm:\/\//],
  ['zod (validation, serialisation check)', /node_modules\/zod\//],
  ['fastify + find-my-way + avvio', /node_modules\/(fastify|find-my-way|avvio|light-my-request|@fastify)\//],
  ['pino (logger)', /node_modules\/(pino|sonic-boom)/],
  ['prom-client (metrics)', /node_modules\/prom-client\//],
  ['drizzle', /node_modules\/drizzle-orm\//],
  ['src/server (compilers, hooks, errors)', /\/src\/server\//],
  ['src/gateway/limits', /\/src\/gateway\/limits\//],
  ['src/gateway/metering (ledger, journal)', /\/src\/gateway\/metering\//],
  ['src/gateway/upstream (HTTP client)', /\/src\/gateway\/upstream\//],
  ['src/gateway (other)', /\/src\/gateway\//],
  ['src/store', /\/src\/store\//],
  ['src (other)', /\/src\//],
  ['node:http / net / streams', /^node:(_http|http|net|stream|internal\/(http|streams|stream_base|net|js_stream)|internal\/deps\/undici)|internal\/deps\/undici|undici/],
  ['node (other internals)', /^node:|^internal/],
  ['other node_modules', /node_modules/],
  ['native / builtins', /.*/],
];

function areaOf(frame: ProfileNode['callFrame']): string {
  const key = frame.url || `(${frame.functionName.replace(/[()]/g, '')})`;
  for (const [name, re] of areas) if (re.test(frame.url ? frame.url : frame.functionName)) return name;
  return key;
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { requests: { type: 'string' }, top: { type: 'string', default: '40' }, from: { type: 'string', default: '0' } } });
const dir = positionals[0];
if (!dir) {
  console.error('usage: tsx bench/profile-summary.ts DIR [--requests N] [--top 40]');
  process.exit(2);
}
const requests = values.requests ? Number(values.requests) : undefined;
const unit = (us: number) => (requests ? `${(us / requests).toFixed(1).padStart(7)} µs/req` : `${(us / 1000).toFixed(0).padStart(7)} ms`);

for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort()) {
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const fromUs = Number(values.from) * 1e6;
  let at = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at >= fromUs) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    const area = areaOf(frame);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
    if (area !== 'idle') busy += us;
    const where = frame.url ? `${frame.url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${frame.lineNumber + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'} ${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  console.log(`\n${file}: busy ${unit(busy)}${requests ? ` (${requests} requests)` : ''}`);
  for (const [area, us] of [...byArea].sort((a, b) => b[1] - a[1])) if (area !== 'idle') console.log(`  ${unit(us)}  ${area}`);
  console.log('  hottest functions (self time):');
  for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) if (!name.startsWith('(idle)') && !name.startsWith('(program)')) console.log(`  ${unit(us)}  ${name}`);
}
