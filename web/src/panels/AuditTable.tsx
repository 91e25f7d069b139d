import type { AuditEntry } from '../../../src/shared/contract/audit.js';
import { DataTable } from '../components/DataTable.js';
import { useI18n } from '../i18n/context.js';
import { diffLines } from './auditDiff.js';

/** At most this many changed fields per row; the rest are counted. */
const MAX_LINES = 8;

/** `2026-12-03T16:21:24.000Z` → `2026-12-03 16:21:24 UTC`: one unambiguous form in every language. */
function when(at: string): string {
  return `${at.slice(0, 10)} ${at.slice(11, 19)} UTC`;
}

/** A row's changes as a short list: `set status: final`, `added name: Pro`. */
function Changes({ entry }: { entry: AuditEntry }) {
  const { t, formatNumber } = useI18n();
  const lines = diffLines(entry.diff);
  if (lines.length === 0) return <span className="muted">{t('audit.noChange')}</span>;
  return (
    <ul className="audit-diff">
      {lines.slice(0, MAX_LINES).map((l, i) => (
        <li key={i}>
          <span className="muted">{t(`audit.op.${l.op}`)}</span> <code>{l.field || t('audit.wholeTarget')}</code>
          {l.op === 'removed' ? (l.from === undefined ? '' : ` (${l.from})`) : `: ${l.from === undefined ? '' : `${l.from} → `}${l.value}`}
        </li>
      ))}
      {lines.length > MAX_LINES ? <li className="muted">{t('audit.more', { n: formatNumber(lines.length - MAX_LINES) })}</li> : null}
    </ul>
  );
}

/** Audit rows: when, who (and their role), the action, the target, and what changed. */
export function AuditTable({ rows, testId, showTarget = true }: { rows: readonly AuditEntry[]; testId?: string; showTarget?: boolean }) {
  const { t } = useI18n();
  return (
    <DataTable
      testId={testId}
      rows={rows}
      rowKey={(r) => r.id}
      columns={[
        { header: t('audit.when'), cell: (r) => when(r.at) },
        { header: t('audit.who'), cell: (r) => r.actorLabel },
        { header: t('audit.role'), cell: (r) => r.actorRole ?? '—' },
        { header: t('audit.action'), cell: (r) => <code>{r.action}</code> },
        ...(showTarget ? [{ header: t('audit.target'), cell: (r: AuditEntry) => (r.targetId ? `${r.targetType ?? ''} ${r.targetId}` : (r.targetType ?? '—')) }] : []),
        { header: t('audit.changes'), cell: (r) => <Changes entry={r} /> },
      ]}
    />
  );
}
