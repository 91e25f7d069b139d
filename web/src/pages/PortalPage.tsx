import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { idOf, num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { TrendChart } from '../charts/TrendChart.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { StatementsTable } from '../panels/StatementsTable.js';

/**
 * The partner portal: the signed-in partner's own profile, usage, keys and statements. Every call goes to
 * `/api/portal/...` with the partner session; the server scopes the answers to that partner.
 */
export function PortalPage() {
  const { t } = useI18n();
  const me = useResource<Row>(endpoints.portalMe);
  const usage = useResource<unknown>(endpoints.portalUsage);
  const keys = useResource<unknown>(endpoints.portalKeys);
  const statements = useResource<unknown>(endpoints.portalStatements);
  return (
    <div className="grid">
      <Card title={t('portal.profile')} testId="portal-profile">
        <ResourceView resource={me} path={endpoints.portalMe}>
          {(data) => {
            const partner = (data.partner ?? data) as Row;
            return (
              <dl className="kv">
                <div><dt>{t('common.name')}</dt><dd data-testid="portal-partner-name">{text(partner, 'name')}</dd></div>
                <div><dt>{t('partners.type')}</dt><dd>{text(partner, 'type')}</dd></div>
                <div><dt>{t('partners.region')}</dt><dd>{text(partner, 'region')}</dd></div>
                <div><dt>{t('partners.tier')}</dt><dd>{text(partner, 'tierName', 'tierId', 'tier')}</dd></div>
              </dl>
            );
          }}
        </ResourceView>
      </Card>
      <Card title={t('portal.usage')}>
        <ResourceView resource={usage} path={endpoints.portalUsage}>
          {(data) => {
            const days = listFrom<Row>(data);
            return <TrendChart labels={days.map((d) => text(d, 'day', 'date', 'month'))} series={[{ name: t('portal.tokens'), values: days.map((d) => num(d, 'totalTokens', 'tokens', 'total_tokens')) }]} area height={220} label={t('portal.usage')} />;
          }}
        </ResourceView>
      </Card>
      <Card title={t('portal.keys')} wide>
        <ResourceView resource={keys} path={endpoints.portalKeys}>
          {(data) => (
            <DataTable
              rows={listFrom<Row>(data)}
              rowKey={idOf}
              columns={[
                { header: t('common.name'), cell: (r) => text(r, 'name') },
                { header: t('keys.prefix'), cell: (r) => <code>{text(r, 'prefix')}</code> },
                { header: t('common.status'), cell: (r) => text(r, 'status') },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('portal.statements')} wide>
        <ResourceView resource={statements} path={endpoints.portalStatements}>
          {(data) => <StatementsTable data={data} testId="portal-statements" />}
        </ResourceView>
      </Card>
    </div>
  );
}
