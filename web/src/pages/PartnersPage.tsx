import { useState } from 'react';
import { agreementRoutes, partnerRoutes, statementRoutes, tierRoutes } from '../../../src/shared/contract/partners.js';
import { pathOf } from '../../../src/shared/contract/route.js';
import { useRoute } from '../api/useResource.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { NotAvailable } from '../components/NotAvailable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { PartnerForm } from '../panels/PartnerForm.js';
import { PartnerScorecard } from '../panels/PartnerScorecard.js';
import { StatementActions } from '../panels/StatementActions.js';
import { StatementsTable } from '../panels/StatementsTable.js';
import { AuditHistory } from '../panels/AuditHistory.js';
import { TierBenefitsText, TierRequirementsText } from '../panels/TierTerms.js';
import { PartnerSelectionTool } from '../tools/PartnerSelectionTool.js';

/** A statement's CSV (admin). */
const statementCsv = (id: string): string => pathOf(statementRoutes.csv, { id });

/** Partners: list and onboarding, tiers, scorecards, the AHP/TOPSIS selection tool, agreements, statements. */
export function PartnersPage() {
  const { t, tEnum, formatNumber } = useI18n();
  const partners = useRoute(partnerRoutes.list, {});
  const tiers = useRoute(tierRoutes.list, {});
  const statements = useRoute(statementRoutes.list, {});
  const agreements = useRoute(agreementRoutes.list, {});
  const partnerName = (id: string): string => partners.data?.data.find((x) => x.id === id)?.name ?? id;
  const [selected, setSelected] = useState<string | null>(null);
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  const tierName = (id: string): string => tiers.data?.data.find((x) => x.id === id)?.name ?? id;
  return (
    <div className="grid">
      <Card title={t('partners.list')} wide>
        {partners.status === 'unavailable' ? (
          <NotAvailable path={partnerRoutes.list.url} />
        ) : (
          <>
            <PartnerForm tiers={tiers.data?.data ?? []} onCreated={partners.reload} />
            <ResourceView resource={partners} path={partnerRoutes.list.url}>
              {(data) => (
                <DataTable
                  testId="partners-table"
                  rows={data.data}
                  rowKey={(r) => r.id}
                  onRowClick={(r) => setSelected(r.id)}
                  columns={[
                    { header: t('common.name'), cell: (r) => r.name },
                    { header: t('partners.type'), cell: (r) => tEnum('channelType', r.type) },
                    { header: t('partners.region'), cell: (r) => r.region },
                    { header: t('partners.tier'), cell: (r) => (r.tierId === null ? '—' : tierName(r.tierId)) },
                    { header: t('common.status'), cell: (r) => tEnum('status', r.status) },
                  ]}
                />
              )}
            </ResourceView>
          </>
        )}
      </Card>
      <Card title={t('partners.scorecard')}>
        {selected ? <PartnerScorecard partnerId={selected} tierName={tierName} /> : <p className="muted">{t('partners.pickPartner')}</p>}
      </Card>
      <Card title={t('partners.tiers')} wide>
        <ResourceView resource={tiers} path={tierRoutes.list.url}>
          {(data) => (
            <DataTable
              testId="tiers-table"
              rows={data.data}
              rowKey={(r) => r.id}
              columns={[
                { header: t('common.name'), cell: (r) => r.name },
                { header: t('partners.rank'), cell: (r) => String(r.rank), numeric: true },
                { header: t('partners.requirements'), cell: (r) => <TierRequirementsText requirements={r.requirements} /> },
                { header: t('partners.benefits'), cell: (r) => <TierBenefitsText benefits={r.benefits} /> },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('partners.selection')} wide>
        <PartnerSelectionTool />
      </Card>
      <Card title={t('partners.agreements')} wide>
        <ResourceView resource={agreements} path={agreementRoutes.list.url}>
          {(data) => (
            <DataTable
              rows={data.data}
              rowKey={(r) => r.id}
              columns={[
                { header: t('statements.partner'), cell: (r) => partnerName(r.partnerId) },
                { header: t('statements.share'), cell: (r) => `${formatNumber(r.revenueShareBps / 100, 2)}%`, numeric: true },
                { header: t('agreements.discount'), cell: (r) => `${formatNumber(r.discountBps / 100, 2)}%`, numeric: true },
                { header: t('agreements.quota'), cell: (r) => (r.monthlyTokenQuota === null ? '—' : formatNumber(r.monthlyTokenQuota)), numeric: true },
                { header: t('agreements.term'), cell: (r) => `${r.startsAt.slice(0, 10)} – ${r.endsAt === null ? '—' : r.endsAt.slice(0, 10)}` },
                { header: t('common.status'), cell: (r) => tEnum('status', r.status) },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('partners.statements')} wide>
        {statements.status === 'ready' ? <StatementActions onDone={statements.reload} /> : null}
        <ResourceView resource={statements} path={statementRoutes.list.url}>
          {(data) => <StatementsTable statements={data.data} testId="statements-table" partnerName={partnerName} csvPath={statementCsv} onHistory={setHistoryOf} />}
        </ResourceView>
        {historyOf ? <AuditHistory targetType="statements" targetId={historyOf} testId="statement-history" /> : null}
      </Card>
    </div>
  );
}
