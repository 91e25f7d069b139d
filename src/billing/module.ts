import type { Store } from '../store/index.js';
import { BillingService } from './billing-service.js';
import { InvoiceService } from './invoice-service.js';

/** The billing services, built once by the composition root. */
export interface BillingServices {
  readonly invoices: InvoiceService;
  readonly billing: BillingService;
}

/** Options of {@link createBillingServices}. */
export interface BillingServicesOptions {
  /** Brings the KPI rollups up to the ledger's end (the reconciliation compares with them). */
  readonly refreshKpis: () => Promise<unknown>;
  /** The clock that decides whether a month has ended (tests pass a fixed one). */
  readonly now?: () => Date;
}

export function createBillingServices(store: Store, options: BillingServicesOptions): BillingServices {
  const now = options.now ?? (() => new Date());
  const invoices = new InvoiceService(store, now);
  return { invoices, billing: new BillingService(store, invoices, options.refreshKpis, now) };
}
