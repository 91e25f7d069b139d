import type { OnboardingProgressAnswer } from '../../../src/shared/contract/partners.js';
import { portalRoutes } from '../../../src/shared/contract/portal.js';
import { pathOf } from '../../../src/shared/contract/route.js';
import { useRoute } from '../api/useResource.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import type { MessageKey } from '../i18n/en.js';
import { PortalInvoices } from '../panels/billing/PortalInvoices.js';
import { PartnerScorecard } from '../panels/PartnerScorecard.js';
import { PortalKeyForm } from '../panels/PortalKeyForm.js';
import { StatementsTable } from '../panels/StatementsTable.js';

/**
 * The onboarding checklist exactly as the server resolved it (`/api/portal/me` → onboarding, the same
 * answer as `/api/partners/:id/onboarding`): its count and every item with its state.
 */
function OnboardingChecklist({ onboarding }: { onboarding: OnboardingProgressAnswer }) {
  const { t, formatNumber } = useI18n();
  const { items } = onboarding;
  if (items.length === 0) return <>—</>;
  const title = (item: OnboardingProgressAnswer['items'][number]): string => {
    const key = `onboarding.${item.id}` as MessageKey;
    const translated = t(key);
    return translated === key ? item.title : translated;
  };
  return (
    <div data-testid="portal-onboarding">
      <p>
        <strong>{t('portal.onboarding')}:</strong> <span data-testid="portal-onboarding-count">{`${formatNumber(onboarding.done)} / ${formatNumber(onboarding.total)}`}</span>
      </p>
      <ul className="checks">
        {items.map((item) => (
          <li key={item.id} className={item.done ? 'ok' : 'muted'} data-testid={`portal-onboarding-${item.id}`} data-done={item.done ? 'true' : 'false'}>
            {item.done ? '✓' : '○'} {title(item)} <span className="muted small">({item.done ? t('portal.onboardingDone') : t('portal.onboardingOpen')})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** One of the signed-in partner's final statements as CSV. */
const portalStatementCsv = (id: string): string => pathOf(portalRoutes.statementCsv, { id });

/**
 * The partner portal: the signed-in partner's own profile, usage, keys and statements. Every call goes to
 * `/api/portal/...` with the partner session; the server scopes the answers to that partner.
 */
export function PortalPage() {
  const { t, tEnum, formatNumber, formatMoney } = useI18n();
  const me = useRoute(portalRoutes.me, {});
  const usage = useRoute(portalRoutes.usage, {});
  const keys = useRoute(portalRoutes.keys, {});
  const statements = useRoute(portalRoutes.statements, {});
  const customers = useRoute(portalRoutes.customers, {});
  const customerName = (id: string | null): string => (id === null ? '—' : (customers.data?.data.find((c) => c.id === id)?.name ?? id));
  return (
    <div className="grid">
      <Card title={t('portal.profile')} testId="portal-profile">
        <ResourceView resource={me} path={portalRoutes.me.url}>
          {({ partner, tier, agreement, onboarding }) => (
            <>
              <dl className="kv">
                <div><dt>{t('common.name')}</dt><dd data-testid="portal-partner-name">{partner.name}</dd></div>
                <div><dt>{t('partners.type')}</dt><dd>{tEnum('channelType', partner.type)}</dd></div>
                <div><dt>{t('partners.region')}</dt><dd>{partner.region}</dd></div>
                <div><dt>{t('partners.tier')}</dt><dd>{tier ? tier.name : (partner.tierId ?? '—')}</dd></div>
                {/* An agreement pays a revenue share or a wholesale discount, never both: show the one it pays. */}
                {agreement && agreement.discountBps > 0 ? (
                  <div><dt>{t('agreements.discount')}</dt><dd>{`${formatNumber(agreement.discountBps / 100, 2)}%`}</dd></div>
                ) : (
                  <div><dt>{t('portal.revenueShare')}</dt><dd>{agreement ? `${formatNumber(agreement.revenueShareBps / 100, 2)}%` : '—'}</dd></div>
                )}
              </dl>
              <OnboardingChecklist onboarding={onboarding} />
            </>
          )}
        </ResourceView>
      </Card>
      <PartnerScorecard title={t('partners.scorecard')} />
      <Card title={t('portal.usage')} wide>
        <ResourceView resource={usage} path={portalRoutes.usage.url}>
          {(data) => (
            <DataTable
              testId="portal-usage"
              rows={data.rows}
              rowKey={(r, i) => `${r.customerId ?? '—'}-${r.model}-${i}`}
              columns={[
                { header: t('keys.customer'), cell: (r) => <span title={r.customerId ?? '—'}>{r.customerName || customerName(r.customerId)}</span> },
                { header: t('models.model'), cell: (r) => r.model },
                { header: t('portal.requests'), cell: (r) => formatNumber(r.requests), numeric: true },
                { header: t('portal.tokens'), cell: (r) => formatNumber(r.promptTokens + r.completionTokens), numeric: true },
                { header: t('statements.revenue'), cell: (r) => formatMoney(r.revenueMicros), numeric: true },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('portal.keys')} wide>
        <h3 className="small">{t('portal.createKey')}</h3>
        <PortalKeyForm customers={customers} onCreated={keys.reload} />
        <ResourceView resource={keys} path={portalRoutes.keys.url}>
          {(data) => (
            <DataTable
              testId="portal-keys"
              rows={data.data}
              rowKey={(r) => r.id}
              columns={[
                { header: t('common.name'), cell: (r) => r.name || '—' },
                { header: t('keys.prefix'), cell: (r) => <code>{r.prefix}</code> },
                { header: t('common.status'), cell: (r) => tEnum('status', r.status) },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('portal.statements')} wide>
        <ResourceView resource={statements} path={portalRoutes.statements.url}>
          {(data) => <StatementsTable statements={data.data} testId="portal-statements" csvPath={portalStatementCsv} />}
        </ResourceView>
      </Card>
      <Card title={t('portal.invoices')} wide testId="portal-invoices">
        <PortalInvoices />
      </Card>
    </div>
  );
}
