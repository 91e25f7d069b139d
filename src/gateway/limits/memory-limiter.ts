import type { AdmissionResult, Limiter, MeterCharge, Settlement } from './limiter.js';

/**
 * A sliding-window log without per-request objects: times and amounts in a growable ring of typed arrays
 * (positions only increase; `pos & mask` is the slot), so a busy meter — 60,000 entries a minute at
 * 1,000 req/s — costs the garbage collector nothing. Only requests still in flight are in a Map, for
 * their settlement; a settled entry keeps just its time and final amount.
 */
class WindowLog {
  private at = new Float64Array(1024);
  private amounts = new Float64Array(1024);
  private ids: (string | undefined)[] = new Array<string | undefined>(1024);
  private mask = 1023;
  private head = 0;
  private tail = 0;
  private readonly inFlight = new Map<string, number>();
  sum = 0;

  push(id: string, at: number, amount: number): void {
    if (this.tail - this.head > this.mask) this.grow();
    const slot = this.tail & this.mask;
    this.at[slot] = at;
    this.amounts[slot] = amount;
    this.ids[slot] = id;
    this.inFlight.set(id, this.tail++);
    this.sum += amount;
  }

  /** Replaces an in-flight entry's amount with the settled one; a no-op once it has left the window. */
  settle(id: string, amount: number): void {
    const pos = this.inFlight.get(id);
    if (pos === undefined) return;
    this.inFlight.delete(id);
    const slot = pos & this.mask;
    this.ids[slot] = undefined;
    this.sum += amount - this.amounts[slot]!;
    this.amounts[slot] = amount;
  }

  /** Drops entries at or before `cutoff`. */
  expire(cutoff: number): void {
    while (this.head < this.tail) {
      const slot = this.head & this.mask;
      if (this.at[slot]! > cutoff) break;
      this.sum -= this.amounts[slot]!;
      const id = this.ids[slot];
      if (id !== undefined) {
        this.inFlight.delete(id);
        this.ids[slot] = undefined;
      }
      this.head++;
    }
  }

  /** Time of the oldest entry still in the window, or undefined when empty. */
  oldest(): number | undefined {
    return this.head < this.tail ? this.at[this.head & this.mask] : undefined;
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    const at = new Float64Array(size);
    const amounts = new Float64Array(size);
    const ids = new Array<string | undefined>(size);
    const newMask = size - 1;
    for (let pos = this.head; pos < this.tail; pos++) {
      at[pos & newMask] = this.at[pos & this.mask]!;
      amounts[pos & newMask] = this.amounts[pos & this.mask]!;
      ids[pos & newMask] = this.ids[pos & this.mask];
    }
    this.at = at;
    this.amounts = amounts;
    this.ids = ids;
    this.mask = newMask;
  }
}

interface WindowMeter {
  kind: 'window';
  log: WindowLog;
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
  readonly monthTotals = 'at-start' as const;
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
        meter.log.settle(requestId, amount);
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

  /** In-process counters are always there. */
  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  private meter(c: MeterCharge): Meter {
    let m = this.meters.get(c.key);
    if (!m) {
      m = c.kind === 'window' ? { kind: 'window', log: new WindowLog() } : { kind: 'month', settled: 0, reservations: new Map(), reserved: 0 };
      this.meters.set(c.key, m);
    }
    return m;
  }

  /** What the meter holds now, after dropping what has expired. */
  private used(m: Meter, c: MeterCharge, nowMs: number): number {
    if (m.kind === 'window') {
      m.log.expire(nowMs - c.periodMs);
      return m.log.sum;
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
      m.log.push(requestId, nowMs, c.amount);
      return;
    }
    m.reservations.set(requestId, { expiresAt: nowMs + c.periodMs, amount: c.amount });
    m.reserved += c.amount;
  }

  private retryAfter(m: Meter, c: MeterCharge, nowMs: number): number {
    if (m.kind === 'month') return c.retryHintMs;
    const oldest = m.log.oldest();
    return oldest === undefined ? c.periodMs : Math.max(1, oldest + c.periodMs - nowMs);
  }
}
