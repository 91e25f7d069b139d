import http from 'node:http';

/** One HTTP target of a load run: where to POST and with which headers and body. */
export interface Target {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Latencies (ms) and counts of a run. */
export interface RunResult {
  readonly latenciesMs: number[];
  readonly ok: number;
  readonly failed: number;
  readonly seconds: number;
}

/** Sends one request on a keep-alive agent; resolves with the status once the whole body is read. */
function send(agent: http.Agent, t: Target, u: URL): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(t.body), ...t.headers } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    req.end(t.body);
  });
}

/**
 * Open-loop load: sends `rps` requests per second for `seconds`, each at its scheduled time whether or
 * not earlier ones have answered (so a slow server cannot slow the offered load), and records latency
 * from the scheduled send time (no coordinated omission).
 */
export async function openLoop(t: Target, rps: number, seconds: number): Promise<RunResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const u = new URL(t.url);
  const total = Math.round(rps * seconds);
  const latenciesMs: number[] = [];
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rps) + 1);
    for (; i < due; i++) {
      const scheduled = start + (i * 1000) / rps;
      inFlight.push(
        send(agent, t, u).then((status) => {
          if (status === 200) {
            ok++;
            latenciesMs.push(performance.now() - scheduled);
          } else failed++;
        }),
      );
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { latenciesMs, ok, failed, seconds: (performance.now() - start) / 1000 };
}

/** Closed-loop load: `concurrency` clients each send back to back for `seconds`; measures throughput. */
export async function closedLoop(t: Target, concurrency: number, seconds: number): Promise<RunResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const u = new URL(t.url);
  const latenciesMs: number[] = [];
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const status = await send(agent, t, u);
        if (status === 200) {
          ok++;
          latenciesMs.push(performance.now() - t0);
        } else failed++;
      }
    }),
  );
  agent.destroy();
  return { latenciesMs, ok, failed, seconds: (performance.now() - start) / 1000 };
}

/** The q-quantile (0..1) of a list of numbers. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
