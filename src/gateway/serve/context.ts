import type { GatewayCatalog } from '../catalog.js';
import type { InputTools } from '../guardrails/check.js';
import type { Limiter } from '../limits/limiter.js';
import type { GatewayMetrics } from '../metering/gateway-metrics.js';
import type { LedgerWriter } from '../metering/ledger-writer.js';
import type { StreamJournal } from '../metering/stream-journal.js';
import type { UpstreamRouter } from '../upstream/router.js';
import type { RequestLogWriter } from '../request-log/request-log-writer.js';
import type { StreamLimits } from './stream-writer.js';

/** What the `/v1` handlers use: the caches, the limiter, the ledger writer and the upstream router. */
export interface ServeContext {
  readonly catalog: GatewayCatalog;
  readonly limiter: Limiter;
  readonly ledger: LedgerWriter;
  readonly router: UpstreamRouter;
  readonly metrics: GatewayMetrics;
  /** Per-stream buffer bound and stall timeout (settings `streamBufferBytes`, `streamStallMs`). */
  readonly streamLimits: StreamLimits;
  /** Journal of streams in flight (billed after a crash); undefined with an in-memory data folder. */
  readonly streamJournal: StreamJournal | undefined;
  /** Queues request logs of deployments that have logging on (off the hot path; never fails a request). */
  readonly requestLog: RequestLogWriter;
  /** Runs a classifier model version in-process (classifier guardrails); undefined when none is configured. */
  readonly classify: InputTools['classify'];
  /** Reports a failure that must not fail the request (settlement after the response). */
  readonly onBackgroundError: (err: unknown, what: string) => void;
}
