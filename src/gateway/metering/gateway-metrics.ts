import { Counter, Gauge, type Registry } from 'prom-client';
import type { UsageRow } from './ledger-writer.js';

/**
 * Prometheus counters of the gateway, on the server's registry (`GET /metrics`): metered requests by
 * model, endpoint and status; tokens by model and kind; refusals by error code; streams cut for stalling,
 * and the largest per-stream buffer seen (the backpressure bound at work). Until a registry is
 * attached (tests that build the gateway alone) they count nothing.
 */
export class GatewayMetrics {
  private requests: Counter<'model' | 'endpoint' | 'status'> | undefined;
  private tokens: Counter<'model' | 'kind'> | undefined;
  private refusals: Counter<'code'> | undefined;
  private stalls: Counter | undefined;
  private bufferPeak: Gauge | undefined;
  private requestLogFailures: Counter<'reason'> | undefined;
  private bufferPeakBytes = 0;

  /** Registers the counters on a registry (once). */
  attach(registry: Registry): void {
    if (this.requests) return;
    this.requests = new Counter({ name: 'qudao_gateway_requests_total', help: 'Metered gateway requests by model, endpoint and status (ok, cancelled, error).', labelNames: ['model', 'endpoint', 'status'], registers: [registry] });
    this.tokens = new Counter({ name: 'qudao_gateway_tokens_total', help: 'Tokens metered by the gateway, by model and kind (prompt, completion).', labelNames: ['model', 'kind'], registers: [registry] });
    this.refusals = new Counter({ name: 'qudao_gateway_refusals_total', help: 'Requests refused by rate limits, quotas and budgets, by error code.', labelNames: ['code'], registers: [registry] });
    this.stalls = new Counter({ name: 'qudao_gateway_stream_stalls_total', help: 'Streams disconnected because the client read nothing for streamStallMs while the stream was paused.', registers: [registry] });
    this.bufferPeak = new Gauge({ name: 'qudao_gateway_stream_buffer_peak_bytes', help: 'Most bytes one stream has held in the gateway (written, not yet taken by the socket) since start.', registers: [registry] });
    this.bufferPeak.set(this.bufferPeakBytes);
    this.requestLogFailures = new Counter({ name: 'qudao_gateway_request_log_failures_total', help: 'Request log rows not written (request logging on): write = the database refused or failed, overflow = too many rows waiting.', labelNames: ['reason'], registers: [registry] });
  }

  /** Counts a ledger row. */
  metered(row: UsageRow): void {
    if (!this.requests) return;
    this.requests.inc({ model: row.model, endpoint: row.endpoint, status: row.status });
    this.tokens!.inc({ model: row.model, kind: 'prompt' }, row.promptTokens ?? 0);
    this.tokens!.inc({ model: row.model, kind: 'completion' }, row.completionTokens ?? 0);
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
