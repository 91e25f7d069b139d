import { listFrom } from '../api/client.js';
import { endpoints, portalStatementCsv } from '../api/endpoints.js';
import { idOf, num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import type { MessageKey } from '../i18n/en.js';
import { PartnerScorecard } from '../panels/PartnerScorecard.js';
import { PortalKeyForm } from '../panels/PortalKeyForm.js';
import { StatementsTable } from '../panels/StatementsTable.js';

/**
 * The onboarding checklist exactly as the server resolved it (`/api/portal/me` → onboarding, the same
 * answer as `/api/partners/:id/onboarding`): its count and every item with its state.
 */
function OnboardingChecklist({ onboarding }: { onboarding: unknown }) {
  const { t, formatNumber } = useI18n();
  const progress = (onboarding ?? {}) as Row;
  const items = listFrom<Row>(progress.items ?? []);
  if (items.length === 0) return <>—</>;
  const title = (item: Row): string => {
    const key = `onboarding.${text(item, 'id')}` as MessageKey;
    const translated = t(key);
    return translated === key ? text(item, 'title') : translated;
  };
  return (
    <div data-testid="portal-onboarding">
      <p>
        <strong>{t('portal.onboarding')}:</strong> <span data-testid="portal-onboarding-count">{`${formatNumber(num(progress, 'done') ?? 0)} / ${formatNumber(num(progress, 'total') ?? items.length)}`}</span>
      </p>
      <ul className="checks">
        {items.map((item) => (
          <li key={text(item, 'id')} className={item.done === true ? 'ok' : 'muted'} data-testid={`portal-onboarding-${text(item, 'id')}`} data-done={item.done === true ? 'true' : 'false'}>
            {item.done === true ? '✓' : '○'} {title(item)} <span className="muted small">({item.done === true ? t('portal.onboardingDone') : t('portal.onboardingOpen')})</span>
          </li>
        ))}
      </ul>
    </div>
  );
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
  const customers = useResource<unknown>(endpoints.portalCustomers);
  const customerName = (id: string): string => (listFrom<Row>(customers.data).find((c) => c.id === id)?.name as string | undefined) ?? id;
  return (
    <div className="grid">
      <Card title={t('portal.profile')} testId="portal-profile">
        <ResourceView resource={me} path={endpoints.portalMe}>
          {(data) => {
            const partner = (data.partner ?? data) as Row;
            return (
              <>
                <dl className="kv">
                  <div><dt>{t('common.name')}</dt><dd data-testid="portal-partner-name">{text(partner, 'name')}</dd></div>
                  <div><dt>{t('partners.type')}</dt><dd>{tEnum('channelType', text(partner, 'type'))}</dd></div>
                  <div><dt>{t('partners.region')}</dt><dd>{text(partner, 'region')}</dd></div>
                  <div><dt>{t('partners.tier')}</dt><dd>{data.tier ? text(data.tier as Row, 'name') : text(partner, 'tierId')}</dd></div>
                  {/* An agreement pays a revenue share or a wholesale discount, never both: show the one it pays. */}
                  {data.agreement && (num(data.agreement as Row, 'discountBps') ?? 0) > 0 ? (
                    <div><dt>{t('agreements.discount')}</dt><dd>{`${formatNumber((num(data.agreement as Row, 'discountBps') ?? 0) / 100, 2)}%`}</dd></div>
                  ) : (
                    <div><dt>{t('portal.revenueShare')}</dt><dd>{data.agreement ? `${formatNumber((num(data.agreement as Row, 'revenueShareBps') ?? 0) / 100, 2)}%` : '—'}</dd></div>
                  )}
                </dl>
                <OnboardingChecklist onboarding={data.onboarding} />
              </>
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
                  { header: t('keys.customer'), cell: (r) => <span title={text(r, 'customerId')}>{text(r, 'customerName') || customerName(text(r, 'customerId'))}</span> },
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
        <h3 className="small">{t('portal.createKey')}</h3>
        <PortalKeyForm customers={customers} onCreated={keys.reload} />
        <ResourceView resource={keys} path={endpoints.portalKeys}>
          {(data) => (
            <DataTable
              testId="portal-keys"
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
          {(data) => <StatementsTable data={data} testId="portal-statements" csvPath={portalStatementCsv} />}
        </ResourceView>
      </Card>
    </div>
  );
}
