import type { ReactNode } from 'react';
import { useI18n } from '../i18n/context.js';

/** One column: a header and how to show a row's cell. */
export interface Column<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  numeric?: boolean;
}

/** A table that scrolls sideways on a phone instead of squashing its columns. */
export function DataTable<Row>({ rows, columns, rowKey, testId, onRowClick }: { rows: readonly Row[]; columns: readonly Column<Row>[]; rowKey: (row: Row, index: number) => string; testId?: string; onRowClick?: (row: Row) => void }) {
  const { t } = useI18n();
  if (rows.length === 0) return <p className="muted">{t('common.empty')}</p>;
  return (
    <div className="table-scroll">
      <table data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} className={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={rowKey(row, i)} onClick={onRowClick ? () => onRowClick(row) : undefined} className={onRowClick ? 'clickable' : undefined}>
              {columns.map((c) => (
                <td key={c.header} className={c.numeric ? 'num' : undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
