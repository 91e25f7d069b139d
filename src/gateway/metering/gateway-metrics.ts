import { Counter, Gauge, type Registry } from 'prom-client';
import type { UsageRow } from './ledger-writer.js';

/**
 * Counts of one labelled counter kept in a Float64Array, a slot per label set, and given to prom-client
 * only when `/metrics` is scraped: counting a request is a string key and an array add, where prom-client's
 * own `inc` hashes a label object (sorting its keys) for every call.
 */
class LabelledCounts<L extends string> {
  private readonly slots = new Map<string, number>();
  private readonly labelSets: Record<L, string>[] = [];
  private values = new Float64Array(16);

  /** Adds `amount` to the label set named by `key`; `labels` builds the set the first time it is seen. */
  add(key: string, labels: () => Record<L, string>, amount: number): void {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.labelSets.length;
      this.slots.set(key, slot);
      this.labelSets.push(labels());
      if (slot >= this.values.length) {
        const grown = new Float64Array(this.values.length * 2);
        grown.set(this.values);
        this.values = grown;
      }
    }
    this.values[slot]! += amount;
  }

  /** Sets the counter to these counts (from its `collect`, at each scrape). */
  publish(counter: Counter<L>): void {
    counter.reset();
    this.labelSets.forEach((labels, slot) => counter.inc(labels, this.values[slot]!));
  }
}

/**
 * Prometheus counters of the gateway, on the server's registry (`GET /metrics`): metered requests by
 * model, endpoint and status; tokens by model and kind; refusals by error code; streams cut for stalling,
 * and the largest per-stream buffer seen (the backpressure bound at work). Until a registry is
 * attached (tests that build the gateway alone) they count nothing.
 */
export class GatewayMetrics {
  private requests: Counter<'model' | 'endpoint' | 'status'> | undefined;
  private refusals: Counter<'code'> | undefined;
  private stalls: Counter | undefined;
  private bufferPeak: Gauge | undefined;
  private requestLogFailures: Counter<'reason'> | undefined;
  private bufferPeakBytes = 0;
  private readonly requestCounts = new LabelledCounts<'model' | 'endpoint' | 'status'>();
  private readonly tokenCounts = new LabelledCounts<'model' | 'kind'>();

  /** Registers the counters on a registry (once). */
  attach(registry: Registry): void {
    if (this.requests) return;
    const { requestCounts, tokenCounts } = this;
    this.requests = new Counter({
      name: 'qudao_gateway_requests_total',
      help: 'Metered gateway requests by model, endpoint and status (ok, cancelled, error).',
      labelNames: ['model', 'endpoint', 'status'],
      registers: [registry],
      collect() {
        requestCounts.publish(this);
      },
    });
    new Counter({
      name: 'qudao_gateway_tokens_total',
      help: 'Tokens metered by the gateway, by model and kind (prompt, completion).',
      labelNames: ['model', 'kind'],
      registers: [registry],
      collect() {
        tokenCounts.publish(this);
      },
    });
    this.refusals = new Counter({ name: 'qudao_gateway_refusals_total', help: 'Requests refused by rate limits, quotas and budgets, by error code.', labelNames: ['code'], registers: [registry] });
    this.stalls = new Counter({ name: 'qudao_gateway_stream_stalls_total', help: 'Streams disconnected because the client read nothing for streamStallMs while the stream was paused.', registers: [registry] });
    this.bufferPeak = new Gauge({ name: 'qudao_gateway_stream_buffer_peak_bytes', help: 'Most bytes one stream has held in the gateway (written, not yet taken by the socket) since start.', registers: [registry] });
    this.bufferPeak.set(this.bufferPeakBytes);
    this.requestLogFailures = new Counter({ name: 'qudao_gateway_request_log_failures_total', help: 'Request log rows not written (request logging on): write = the database refused or failed, overflow = too many rows waiting.', labelNames: ['reason'], registers: [registry] });
  }

  /** Counts a ledger row. */
  metered(row: UsageRow): void {
    if (!this.requests) return;
    const { model, endpoint, status } = row;
    this.requestCounts.add(`${model}\u0000${endpoint}\u0000${status}`, () => ({ model, endpoint, status }), 1);
    this.tokenCounts.add(`${model}\u0000p`, () => ({ model, kind: 'prompt' }), row.promptTokens ?? 0);
    this.tokenCounts.add(`${model}\u0000c`, () => ({ model, kind: 'completion' }), row.completionTokens ?? 0);
  }

  /** Counts a stream cut because its client stalled. */
  streamStalled(): void {
    this.stalls?.inc();
  }

  /** Records a finished stream's peak of queued bytes (kept even before a registry is attached). */
  streamBuffered(peakBytes: number): void {
    if (peakBytes <= this.bufferPeakBytes) return;
    this.bufferPeakBytes = peakBytes;
    this.bufferPeak?.set(peakBytes);
  }

  /** Largest per-stream queue seen so far, bytes. */
  get streamBufferPeakBytes(): number {
    return this.bufferPeakBytes;
  }

  /** Counts request log rows that were not written (the request itself was answered). */
  requestLogFailed(reason: 'write' | 'overflow', rows: number): void {
    this.requestLogFailures?.inc({ reason }, rows);
  }

  /** Counts a refusal by limit. */
  refused(code: string): void {
    this.refusals?.inc({ code });
  }
}
