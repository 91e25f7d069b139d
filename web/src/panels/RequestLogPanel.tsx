import { useEffect, useState, type FormEvent } from 'react';
import { gatewayAdminRoutes, type Deployment } from '../../../src/shared/contract/gateway.js';
import { useRoute } from '../api/useResource.js';
import { DataTable } from '../components/DataTable.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { useSession } from '../session/context.js';

/** The page of logs shown at once (newest first); the server counts the rest. */
const PAGE = 50;

/**
 * A deployment's request logging (privacy): the switch and retention period, and its logs — prompts and
 * completions as stored, i.e. redacted — newest first, with a delete-all. Off by default, and then the
 * list is empty: the gateway keeps no request text.
 */
export function RequestLogPanel({ deployment, onChanged }: { deployment: Deployment; onChanged: () => void }) {
  const { t, tEnum, formatNumber } = useI18n();
  const { client } = useSession();
  const [enabled, setEnabled] = useState(deployment.requestLog.enabled);
  const [days, setDays] = useState(String(deployment.requestLog.retentionDays));
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const logs = useRoute(gatewayAdminRoutes.listRequestLogs, { params: { id: deployment.id }, query: { limit: PAGE } });
  useEffect(() => {
    setEnabled(deployment.requestLog.enabled);
    setDays(String(deployment.requestLog.retentionDays));
  }, [deployment.id, deployment.requestLog.enabled, deployment.requestLog.retentionDays]);

  async function save(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setNote(null);
    try {
      await client.call(gatewayAdminRoutes.updateDeployment, { params: { id: deployment.id }, body: { requestLog: { enabled, retentionDays: Number(days) } } });
      setNote(t('privacy.saved'));
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  async function removeAll() {
    if (!window.confirm(t('privacy.deleteConfirm'))) return;
    setError(null);
    try {
      const { deleted } = await client.call(gatewayAdminRoutes.deleteRequestLogs, { params: { id: deployment.id } });
      setNote(t('privacy.deleted', { n: formatNumber(deleted) }));
      logs.reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <div data-testid="request-log-panel">
      <form className="form-row" onSubmit={(e) => void save(e)}>
        <label>
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="request-log-enabled" /> {t('privacy.enabled')}
        </label>
        <label>
          {t('privacy.retentionDays')}
          <input type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} required data-testid="request-log-days" />
        </label>
        <button type="submit" data-testid="request-log-save">{t('privacy.save')}</button>
        <button type="button" className="link-button" onClick={() => void removeAll()} data-testid="request-log-delete">{t('privacy.deleteLogs')}</button>
      </form>
      <p className="muted">{t('privacy.redactionNote')}</p>
      {note ? <p data-testid="request-log-note">{note}</p> : null}
      <ErrorMessage message={error} />
      <ResourceView resource={logs} path={gatewayAdminRoutes.listRequestLogs.url}>
        {(page) => (
          <>
            <p className="muted" data-testid="request-log-count">{t('privacy.logCount', { n: formatNumber(page.total) })}</p>
            <DataTable
              testId="request-log-table"
              rows={page.data}
              rowKey={(r) => r.requestId}
              columns={[
                { header: t('privacy.time'), cell: (r) => r.createdAt.replace('T', ' ').slice(0, 19) },
                { header: t('privacy.endpoint'), cell: (r) => (r.streamed ? t('privacy.streamedEndpoint', { endpoint: r.endpoint }) : r.endpoint) },
                { header: t('common.status'), cell: (r) => `${tEnum('status', r.status)} (${r.httpStatus})` },
                { header: t('privacy.prompt'), cell: (r) => <span className="cell-wrap">{r.promptText}</span> },
                { header: t('privacy.completion'), cell: (r) => <span className="cell-wrap">{r.completionText || '—'}</span> },
              ]}
            />
          </>
        )}
      </ResourceView>
    </div>
  );
}
