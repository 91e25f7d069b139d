import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { idOf, num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { PartnerScorecard } from '../panels/PartnerScorecard.js';
import { StatementsTable } from '../panels/StatementsTable.js';

/** "3 / 5" from the onboarding checklist (its items with a `done` flag), whatever its envelope. */
function onboardingProgress(onboarding: unknown): string {
  const items = listFrom<Row>(onboarding);
  return items.length === 0 ? '—' : `${items.filter((i) => i.done === true || typeof i.doneAt === 'string').length} / ${items.length}`;
}

/**
 * The partner portal: the signed-in partner's own profile, usage, keys and statements. Every call goes to
 * `/api/portal/...` with the partner session; the server scopes the answers to that partner.
 */
export function PortalPage() {
  const { t, tEnum, formatNumber, formatMoney } = useI18n();
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
                <div><dt>{t('partners.type')}</dt><dd>{tEnum('channelType', text(partner, 'type'))}</dd></div>
                <div><dt>{t('partners.region')}</dt><dd>{text(partner, 'region')}</dd></div>
                <div><dt>{t('partners.tier')}</dt><dd>{data.tier ? text(data.tier as Row, 'name') : text(partner, 'tierId')}</dd></div>
                <div><dt>{t('portal.revenueShare')}</dt><dd>{data.agreement ? `${formatNumber((num(data.agreement as Row, 'revenueShareBps') ?? 0) / 100, 2)}%` : '—'}</dd></div>
                <div><dt>{t('portal.onboarding')}</dt><dd>{onboardingProgress(data.onboarding)}</dd></div>
              </dl>
            );
          }}
        </ResourceView>
      </Card>
      <PartnerScorecard path={endpoints.portalScorecard} title={t('partners.scorecard')} />
      <Card title={t('portal.usage')} wide>
        <ResourceView resource={usage} path={endpoints.portalUsage}>
          {(data) => {
            const rows = listFrom<Row>((data as Row | null)?.rows ?? data);
            return (
              <DataTable
                testId="portal-usage"
                rows={rows}
                rowKey={(r, i) => `${text(r, 'customerId')}-${text(r, 'model')}-${i}`}
                columns={[
                  { header: t('keys.customer'), cell: (r) => <span title={text(r, 'customerId')}>{text(r, 'customerName', 'customerId')}</span> },
                  { header: t('models.model'), cell: (r) => text(r, 'model') },
                  { header: t('portal.requests'), cell: (r) => formatNumber(num(r, 'requests') ?? 0), numeric: true },
                  { header: t('portal.tokens'), cell: (r) => formatNumber((num(r, 'promptTokens') ?? 0) + (num(r, 'completionTokens') ?? 0)), numeric: true },
                  { header: t('statements.revenue'), cell: (r) => formatMoney(num(r, 'revenueMicros') ?? 0), numeric: true },
                ]}
              />
            );
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
                { header: t('common.status'), cell: (r) => tEnum('status', text(r, 'status')) },
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
