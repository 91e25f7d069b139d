import type { AdmissionResult, Limiter, MeterCharge, Settlement } from './limiter.js';

interface WindowEntry {
  readonly id: string;
  readonly at: number;
  amount: number;
}

interface WindowMeter {
  kind: 'window';
  queue: WindowEntry[];
  head: number;
  byId: Map<string, WindowEntry>;
  sum: number;
}

interface MonthMeter {
  kind: 'month';
  settled: number;
  reservations: Map<string, { expiresAt: number; amount: number }>;
  reserved: number;
}

type Meter = WindowMeter | MonthMeter;

/**
 * The in-process limiter: the default for one gateway process. JavaScript runs one request's admission to
 * completion before the next, so each `admit` is atomic without locks. Same semantics as the Redis script.
 */
export class MemoryLimiter implements Limiter {
  readonly kind = 'memory' as const;
  private readonly meters = new Map<string, Meter>();

  async admit(requestId: string, nowMs: number, charges: readonly MeterCharge[]): Promise<AdmissionResult> {
    return this.admitNow(requestId, nowMs, charges);
  }

  /** The synchronous core of {@link admit}. */
  admitNow(requestId: string, nowMs: number, charges: readonly MeterCharge[]): AdmissionResult {
    const free: number[] = [];
    for (const c of charges) {
      const meter = this.meter(c);
      const left = c.limit - this.used(meter, c, nowMs);
      free.push(left);
      if (c.amount > left) {
        return { admitted: false, meter: c.name, retryAfterMs: this.retryAfter(meter, c, nowMs), remaining: free.map((f) => Math.max(0, f)) };
      }
    }
    for (const c of charges) this.reserve(this.meter(c), c, requestId, nowMs);
    return { admitted: true, remaining: free.map((f, i) => Math.max(0, f - charges[i]!.amount)) };
  }

  async settle(requestId: string, _nowMs: number, charges: readonly MeterCharge[], actual: Settlement): Promise<void> {
    charges.forEach((c, i) => {
      const meter = this.meters.get(c.key);
      const amount = actual[i] ?? 0;
      if (!meter) return;
      if (meter.kind === 'window') {
        const entry = meter.byId.get(requestId);
        if (!entry) return;
        meter.sum += amount - entry.amount;
        entry.amount = amount;
        return;
      }
      const r = meter.reservations.get(requestId);
      if (r) {
        meter.reservations.delete(requestId);
        meter.reserved -= r.amount;
      }
      meter.settled += amount;
    });
  }

  async seedMonth(key: string, settled: number): Promise<void> {
    const meter = this.meters.get(key);
    if (meter?.kind === 'month') meter.settled = settled;
    else this.meters.set(key, { kind: 'month', settled, reservations: new Map(), reserved: 0 });
  }

  async close(): Promise<void> {}

  private meter(c: MeterCharge): Meter {
    let m = this.meters.get(c.key);
    if (!m) {
      m = c.kind === 'window' ? { kind: 'window', queue: [], head: 0, byId: new Map(), sum: 0 } : { kind: 'month', settled: 0, reservations: new Map(), reserved: 0 };
      this.meters.set(c.key, m);
    }
    return m;
  }

  /** What the meter holds now, after dropping what has expired. */
  private used(m: Meter, c: MeterCharge, nowMs: number): number {
    if (m.kind === 'window') {
      const cutoff = nowMs - c.periodMs;
      while (m.head < m.queue.length && m.queue[m.head]!.at <= cutoff) {
        const e = m.queue[m.head++]!;
        m.sum -= e.amount;
        m.byId.delete(e.id);
      }
      if (m.head > 1024 && m.head * 2 > m.queue.length) {
        m.queue = m.queue.slice(m.head);
        m.head = 0;
      }
      return m.sum;
    }
    // Expired reservations are only swept when they would make the request fail: O(1) in the common case.
    if (m.settled + m.reserved + c.amount > c.limit) {
      for (const [id, r] of m.reservations) {
        if (r.expiresAt > nowMs) continue;
        m.reservations.delete(id);
        m.reserved -= r.amount;
      }
    }
    return m.settled + m.reserved;
  }

  private reserve(m: Meter, c: MeterCharge, requestId: string, nowMs: number): void {
    if (m.kind === 'window') {
      const e = { id: requestId, at: nowMs, amount: c.amount };
      m.queue.push(e);
      m.byId.set(requestId, e);
      m.sum += c.amount;
      return;
    }
    m.reservations.set(requestId, { expiresAt: nowMs + c.periodMs, amount: c.amount });
    m.reserved += c.amount;
  }

  private retryAfter(m: Meter, c: MeterCharge, nowMs: number): number {
    if (m.kind === 'month') return c.retryHintMs;
    const oldest = m.queue[m.head];
    return oldest ? Math.max(1, oldest.at + c.periodMs - nowMs) : c.periodMs;
  }
}
