import { auditRoutes } from '../../../src/shared/contract/audit.js';
import { useRoute } from '../api/useResource.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { AuditTable } from './AuditTable.js';

/** The audit history of one target (a statement: who computed, recomputed and finalised it), oldest last. */
export function AuditHistory({ targetType, targetId, testId }: { targetType: string; targetId: string; testId?: string }) {
  const { t } = useI18n();
  const history = useRoute(auditRoutes.list, { query: { targetType, targetId, limit: 100 } });
  return (
    <section className="audit-history" data-testid={testId}>
      <h3>{t('audit.historyOf', { id: targetId })}</h3>
      <ResourceView resource={history} path={auditRoutes.list.url}>
        {(page) => <AuditTable rows={page.data} showTarget={false} />}
      </ResourceView>
    </section>
  );
}
