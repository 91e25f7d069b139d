import { csvText, type CsvCell } from '../shared/csv.js';
import { formatMicros } from './money.js';
import type { StatementLine } from './statement.js';

/** The header and a statement's identity, as written at the top of the CSV. */
export interface StatementCsvHead {
  id: string;
  partnerId: string;
  month: string;
  status: string;
}

const columns = ['statement_id', 'partner_id', 'statement_month', 'status', 'kind', 'usage_month', 'agreement_id', 'basis', 'bps', 'customer_id', 'model', 'requests', 'prompt_tokens', 'completion_tokens', 'revenue', 'share'] as const;

/** Money in a CSV cell: the exact decimal of the micro-units (`0.000477`), so a spreadsheet sums what the ledger holds. */
const money = (micros: number): string => formatMicros(micros);

/**
 * A statement as CSV: one row per line, amounts as exact decimal strings of currency units (never a float,
 * so `0.000477` stays `0.000477`), then a `total` row whose revenue and share are the sums of the lines (so a
 * spreadsheet can check the statement by summing the columns).
 */
export function statementCsv(head: StatementCsvHead, lines: readonly StatementLine[]): string {
  const rows: CsvCell[][] = [];
  let revenue = 0;
  let share = 0;
  let requests = 0;
  for (const l of lines) {
    revenue += l.revenueMicros;
    share += l.shareMicros;
    requests += l.requests;
    rows.push([head.id, head.partnerId, head.month, head.status, l.kind, l.month, l.agreementId, l.basis, l.bps, l.customerId, l.model, l.requests, l.promptTokens, l.completionTokens, money(l.revenueMicros), money(l.shareMicros)]);
  }
  rows.push([head.id, head.partnerId, head.month, head.status, 'total', '', '', '', '', '', '', requests, '', '', money(revenue), money(share)]);
  return csvText(columns, rows);
}
