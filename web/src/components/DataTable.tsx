import { useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/context.js';

/** One column: a header and how to show a row's cell. */
export interface Column<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  numeric?: boolean;
}

/**
 * A table that scrolls sideways on a phone instead of squashing its columns. Long lists (a workspace has
 * thousands of keys) show their first `pageSize` rows until asked for all.
 */
export function DataTable<Row>({ rows, columns, rowKey, testId, onRowClick, pageSize = 50 }: { rows: readonly Row[]; columns: readonly Column<Row>[]; rowKey: (row: Row, index: number) => string; testId?: string; onRowClick?: (row: Row) => void; pageSize?: number }) {
  const { t, formatNumber } = useI18n();
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? rows : rows.slice(0, pageSize);
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
          {shown.map((row, i) => (
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
      {shown.length < rows.length ? (
        <button type="button" className="link-button" onClick={() => setShowAll(true)}>
          {t('common.showAll', { n: formatNumber(rows.length) })}
        </button>
      ) : null}
    </div>
  );
}
