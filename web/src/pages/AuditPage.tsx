import { useState } from 'react';
import { auditRoutes } from '../../../src/shared/contract/audit.js';
import { useRoute } from '../api/useResource.js';
import { Card } from '../components/Card.js';
import { Field } from '../components/Field.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { AuditTable } from '../panels/AuditTable.js';

/** A `YYYY-MM-DD` input as the start of that UTC day, or undefined when empty. */
function dayStart(day: string, plusDays = 0): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + plusDays);
  return d.toISOString();
}

/**
 * The audit trail: every change made through `/api` or the CLI, newest first, filtered by who, what and
 * when; and whether the hash chain still verifies (GET /api/audit/verify).
 */
export function AuditPage() {
  const { t, formatNumber } = useI18n();
  const [actor, setActor] = useState('');
  const [targetType, setTargetType] = useState('');
  const [targetId, setTargetId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const query = {
    limit: 200,
    ...(actor.trim() ? { actor: actor.trim() } : {}),
    ...(targetType.trim() ? { targetType: targetType.trim() } : {}),
    ...(targetId.trim() ? { targetId: targetId.trim() } : {}),
    ...(dayStart(from) ? { from: dayStart(from) } : {}),
    // The "to" day is included: the query's `to` is exclusive, so it is the next day's start.
    ...(dayStart(to, 1) ? { to: dayStart(to, 1) } : {}),
  };
  const entries = useRoute(auditRoutes.list, { query });
  const chain = useRoute(auditRoutes.verify, {});
  return (
    <div className="grid">
      <Card title={t('audit.chain')} wide testId="audit-chain">
        <ResourceView resource={chain} path={auditRoutes.verify.url}>
          {(r) => (r.ok ? <p data-testid="audit-chain-ok">{t('audit.chainOk', { n: formatNumber(r.rows) })}</p> : <p className="error" data-testid="audit-chain-bad">{t('audit.chainBad', { seq: String(r.firstBadSeq ?? '?'), reason: r.reason ?? '' })}</p>)}
        </ResourceView>
      </Card>
      <Card title={t('audit.title')} wide>
        <p className="muted small">{t('audit.hint')}</p>
        <div className="form-row">
          <Field label={t('audit.who')}>
            <input value={actor} onChange={(e) => setActor(e.target.value)} data-testid="audit-actor" />
          </Field>
          <Field label={t('audit.targetType')}>
            <input value={targetType} onChange={(e) => setTargetType(e.target.value)} data-testid="audit-target-type" />
          </Field>
          <Field label={t('audit.targetId')}>
            <input value={targetId} onChange={(e) => setTargetId(e.target.value)} data-testid="audit-target-id" />
          </Field>
          <Field label={t('audit.from')}>
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="audit-from" />
          </Field>
          <Field label={t('audit.to')}>
            <input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="audit-to" />
          </Field>
        </div>
        <ResourceView resource={entries} path={auditRoutes.list.url}>
          {(page) => (
            <>
              <p className="muted small" data-testid="audit-count">{t('audit.count', { shown: formatNumber(page.data.length), total: formatNumber(page.total) })}</p>
              <AuditTable rows={page.data} testId="audit-table" />
            </>
          )}
        </ResourceView>
      </Card>
    </div>
  );
}
