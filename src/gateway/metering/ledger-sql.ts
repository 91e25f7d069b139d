import { getTableColumns } from 'drizzle-orm';
import { schema } from '../../store/index.js';
import { sqlLiteral } from './sql-literal.js';
import type { UsageRow } from './usage-row.js';

/**
 * The ledger row's one encoding. A row is turned into its SQL tuple once, when it is journaled (or, without
 * a journal, when its batch is written): the journal line *is* that tuple, and a batch's INSERT is the
 * tuples joined, so nothing is encoded twice and a replay after a crash parses nothing.
 *
 * The columns come from the schema (src/store/schema/ledger.ts), so a column added there is written with
 * no change here: `undefined` in a row is the column's DEFAULT.
 */

/** The ledger columns the gateway writes, in INSERT order: row property -> column name, from the schema. */
const ledgerColumns: readonly (readonly [keyof UsageRow, string])[] = Object.entries(getTableColumns(schema.usageEvents))
  .filter(([property]) => property !== 'seq')
  .map(([property, column]) => [property as keyof UsageRow, column.name] as const);

/** The column names of {@link ledgerTuple}'s values, comma-separated (a journal segment's header says them). */
export const LEDGER_COLUMN_LIST = ledgerColumns.map(([, c]) => c).join(',');

/** Column names as they may appear in a journal header: lower-case identifiers only (never quoted, never SQL). */
const COLUMN_LIST = /^[a-z_][a-z0-9_]*(,[a-z_][a-z0-9_]*)*$/;

/**
 * A value as SQL on one line: {@link sqlLiteral}, except that text holding a line break is sent as its
 * UTF-8 bytes in base64 (a journal line must not hold a newline; such text is rare in a ledger row).
 */
function lineLiteral(value: unknown): string {
  if (typeof value === 'string' && (value.includes('\n') || value.includes('\r'))) {
    return `convert_from(decode('${Buffer.from(value.replace(/\0/g, ''), 'utf8').toString('base64')}', 'base64'), 'UTF8')`;
  }
  return sqlLiteral(value);
}

/** A row as a SQL tuple on one line, in {@link LEDGER_COLUMN_LIST}'s order (`DEFAULT` where a value is undefined). */
export function ledgerTuple(row: UsageRow): string {
  let tuple = '(';
  for (let i = 0; i < ledgerColumns.length; i++) {
    const value = row[ledgerColumns[i]![0]];
    tuple += `${i === 0 ? '' : ','}${value === undefined ? 'DEFAULT' : lineLiteral(value)}`;
  }
  return `${tuple})`;
}

/**
 * One multi-row INSERT of tuples encoded for `columns` (default: this version's; a journal left by an
 * older version names its own); a request id already in the ledger is skipped (idempotent retry and replay).
 */
export function ledgerInsertOfTuples(tuples: readonly string[], columns = LEDGER_COLUMN_LIST): string {
  if (!COLUMN_LIST.test(columns)) throw new TypeError(`not a ledger column list: ${columns.slice(0, 200)}`);
  return `INSERT INTO usage_events (${columns.split(',').join(', ')}) VALUES ${tuples.join(',')} ON CONFLICT (request_id) DO NOTHING`;
}

/** One multi-row INSERT for a batch of rows. */
export function ledgerInsertSql(rows: readonly UsageRow[]): string {
  return ledgerInsertOfTuples(rows.map(ledgerTuple));
}
