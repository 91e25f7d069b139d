import { useState } from 'react';
import { listFrom } from '../api/client.js';
import { endpoints, partnerScorecard, statementCsv } from '../api/endpoints.js';
import { idOf, num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { NotAvailable } from '../components/NotAvailable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { PartnerForm } from '../panels/PartnerForm.js';
import { PartnerScorecard } from '../panels/PartnerScorecard.js';
import { StatementActions } from '../panels/StatementActions.js';
import { StatementsTable } from '../panels/StatementsTable.js';
import { TierBenefitsText, TierRequirementsText } from '../panels/TierTerms.js';
import { PartnerSelectionTool } from '../tools/PartnerSelectionTool.js';

/** Partners: list and onboarding, tiers, scorecards, the AHP/TOPSIS selection tool, agreements, statements. */
export function PartnersPage() {
  const { t, tEnum, formatNumber } = useI18n();
  const partners = useResource<unknown>(endpoints.partners);
  const tiers = useResource<unknown>(endpoints.tiers);
  const statements = useResource<unknown>(endpoints.statements);
  const agreements = useResource<unknown>(endpoints.agreements);
  const partnerName = (id: string): string => (listFrom<Row>(partners.data).find((x) => x.id === id)?.name as string | undefined) ?? id;
  const [selected, setSelected] = useState<string | null>(null);
  const tierName = (id: string): string => listFrom<Row>(tiers.data).find((x) => x.id === id)?.name as string | undefined ?? id;
  return (
    <div className="grid">
      <Card title={t('partners.list')} wide>
        {partners.status === 'unavailable' ? (
          <NotAvailable path={endpoints.partners} />
        ) : (
          <>
            <PartnerForm tiers={tiers.data} onCreated={partners.reload} />
            <ResourceView resource={partners} path={endpoints.partners}>
              {(data) => (
                <DataTable
                  testId="partners-table"
                  rows={listFrom<Row>(data)}
                  rowKey={idOf}
                  onRowClick={(r) => setSelected(text(r, 'id'))}
                  columns={[
                    { header: t('common.name'), cell: (r) => text(r, 'name') },
                    { header: t('partners.type'), cell: (r) => tEnum('channelType', text(r, 'type')) },
                    { header: t('partners.region'), cell: (r) => text(r, 'region') },
                    { header: t('partners.tier'), cell: (r) => tierName(text(r, 'tierId', 'tier_id', 'tier')) },
                    { header: t('common.status'), cell: (r) => tEnum('status', text(r, 'status')) },
                  ]}
                />
              )}
            </ResourceView>
          </>
        )}
      </Card>
      <Card title={t('partners.scorecard')}>
        {selected ? <PartnerScorecard path={partnerScorecard(selected)} tierName={tierName} /> : <p className="muted">{t('partners.pickPartner')}</p>}
      </Card>
      <Card title={t('partners.tiers')} wide>
        <ResourceView resource={tiers} path={endpoints.tiers}>
          {(data) => (
            <DataTable
              testId="tiers-table"
              rows={listFrom<Row>(data)}
              rowKey={idOf}
              columns={[
                { header: t('common.name'), cell: (r) => text(r, 'name') },
                { header: t('partners.rank'), cell: (r) => text(r, 'rank'), numeric: true },
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
        <ResourceView resource={agreements} path={endpoints.agreements}>
          {(data) => (
            <DataTable
              rows={listFrom<Row>(data)}
              rowKey={idOf}
              columns={[
                { header: t('statements.partner'), cell: (r) => partnerName(text(r, 'partnerId')) },
                { header: t('statements.share'), cell: (r) => `${formatNumber((num(r, 'revenueShareBps') ?? 0) / 100, 2)}%`, numeric: true },
                { header: t('agreements.discount'), cell: (r) => `${formatNumber((num(r, 'discountBps') ?? 0) / 100, 2)}%`, numeric: true },
                { header: t('agreements.quota'), cell: (r) => (num(r, 'monthlyTokenQuota') === null ? '—' : formatNumber(num(r, 'monthlyTokenQuota')!)), numeric: true },
                { header: t('agreements.term'), cell: (r) => `${text(r, 'startsAt').slice(0, 10)} – ${text(r, 'endsAt').slice(0, 10)}` },
                { header: t('common.status'), cell: (r) => tEnum('status', text(r, 'status')) },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('partners.statements')} wide>
        {statements.status === 'ready' ? <StatementActions onDone={statements.reload} /> : null}
        <ResourceView resource={statements} path={endpoints.statements}>
          {(data) => <StatementsTable data={data} testId="statements-table" partnerName={partnerName} csvPath={statementCsv} />}
        </ResourceView>
      </Card>
    </div>
  );
}
