import { customerRoutes } from '../../../src/shared/contract/customers.js';
import { campaignRoutes } from '../../../src/shared/contract/strategy/campaigns.js';
import { ecosystemRoutes } from '../../../src/shared/contract/strategy/ecosystem.js';
import { marketRoutes } from '../../../src/shared/contract/strategy/market.js';
import { promotionRoutes } from '../../../src/shared/contract/strategy/promotion.js';
import { resourceRoutes } from '../../../src/shared/contract/strategy/resources.js';
import { selectionRoutes } from '../../../src/shared/contract/strategy/selection.js';
import { strategyToolRoutes } from '../../../src/shared/contract/strategy/tools.js';
import { first, step, type ContractState, type DomainSteps } from '../runner.js';

/**
 * Strategy: market segments and sizing, partner selection (criteria, candidates, AHP matrices, ranking),
 * promotion economics and budget allocation, campaigns with links, spend, touchpoints and attribution, the
 * ecosystem graph and partner relations, resource sharing, and the stateless tools. The demo's segments,
 * campaigns, links and partners are read; the steps create their own rows for every change and delete.
 */

/** A state value an earlier step saved, or a failure naming it. */
function need(s: ContractState, key: string): string {
  const v = s[key];
  if (v === undefined) throw new Error(`no ${key} (an earlier strategy step saves it)`);
  return v;
}

const DAY_MS = 86_400_000;
const daysAgo = (n: number): string => new Date(Date.now() - n * DAY_MS).toISOString();
const daysAhead = (n: number): string => new Date(Date.now() + n * DAY_MS).toISOString();

/** A perfectly consistent Saaty matrix over size, growth, willingness to pay, competition, fit (weights 4:2:2:1:4). */
const segmentPairwise = [
  [1, 2, 2, 4, 1],
  [0.5, 1, 1, 2, 0.5],
  [0.5, 1, 1, 2, 0.5],
  [0.25, 0.5, 0.5, 1, 0.25],
  [1, 2, 2, 4, 1],
];

/** Reach is moderately more important than fit and strongly more than cost; CR ≈ 0.004. */
const criteriaPairwise = [
  [1, 3, 5],
  [1 / 3, 1, 2],
  [1 / 5, 1 / 2, 1],
];

/** A response curve (negativeExponential: a, b; hill: a, k, s). */
const curve = (model: 'negativeExponential' | 'hill', params: Record<string, number>) => ({ model, params });

const visitorId = 'v_contract_strategy_visitor_01';

export const strategySteps: DomainSteps = {
  steps: [
    // Partners, as the ecosystem graph lists them: two distinct ones with no co-selling relation yet.
    step(ecosystemRoutes.graph, {
      input: () => ({ query: { from: daysAgo(180) } }),
      save: (a, s) => {
        const ids = a.nodes.map((n) => n.partnerId);
        for (const from of ids) {
          const to = ids.find((t) => t !== from && !a.edges.some((e) => e.fromPartnerId === from && e.toPartnerId === t && e.kind === 'co_selling'));
          if (to) {
            s.strategyPartnerId = from;
            s.strategyOtherPartnerId = to;
            return;
          }
        }
        throw new Error('the demo workspace has no two partners to relate');
      },
    }),
    step(customerRoutes.list, { input: () => ({ query: { status: 'active' as const, limit: 1 } }), save: (a, s) => void (s.strategyCustomerId = first(a, 'active customer').id) }),

    // Market positioning.
    step(marketRoutes.listSegments, {
      save: (a, s) => {
        s.strategySegmentId = first(a, 'segment').id;
        s.strategyOtherSegmentId = a.data[1]?.id ?? s.strategySegmentId;
      },
    }),
    step(marketRoutes.getSegment, { input: (s) => ({ params: { id: need(s, 'strategySegmentId') } }) }),
    step(marketRoutes.createSegment, {
      input: () => ({
        body: {
          name: 'Contract test: fintech EU mid-market',
          industry: 'fintech',
          region: 'EU',
          companySize: 'mid',
          accounts: 1200,
          growthRate: 0.18,
          annualPriceMicros: 24_000_000_000,
          willingnessToPay: 0.7,
          competition: 0.6,
          fit: 0.8,
          adoptionRate: 0.12,
          serviceableShare: 0.4,
        },
      }),
      save: (a, s) => void (s.strategyNewSegmentId = a.id),
    }),
    step(marketRoutes.updateSegment, { input: (s) => ({ params: { id: need(s, 'strategyNewSegmentId') }, body: { accounts: 1500, growthRate: 0.22 } }) }),
    step(marketRoutes.marketSize, { input: () => ({ query: { from: daysAgo(365), to: daysAgo(0) } }) }),
    step(marketRoutes.rankSegments, {
      input: (s) => ({ body: { pairwise: segmentPairwise, segmentIds: [need(s, 'strategySegmentId'), need(s, 'strategyOtherSegmentId'), need(s, 'strategyNewSegmentId')] } }),
    }),

    // Partner selection: three criteria to rank on, a fourth to change and delete; candidates scored on the three.
    step(selectionRoutes.listCriteria),
    step(selectionRoutes.createCriterion, {
      input: () => ({ body: { name: 'Contract test: market reach', kind: 'benefit' as const, description: 'Accounts the partner reaches in our segments', position: 1 } }),
      save: (a, s) => void (s.strategyReachCriterionId = a.id),
    }),
    step(selectionRoutes.createCriterion, {
      input: () => ({ body: { name: 'Contract test: technical fit', kind: 'benefit' as const, position: 2 } }),
      save: (a, s) => void (s.strategyFitCriterionId = a.id),
    }),
    step(selectionRoutes.createCriterion, {
      input: () => ({ body: { name: 'Contract test: onboarding cost', kind: 'cost' as const, description: 'Enablement effort, person-days', position: 3 } }),
      save: (a, s) => void (s.strategyCostCriterionId = a.id),
    }),
    step(selectionRoutes.createCriterion, {
      input: () => ({ body: { name: 'Contract test: scratch criterion', kind: 'benefit' as const, position: 9 } }),
      save: (a, s) => void (s.strategyScratchCriterionId = a.id),
    }),
    step(selectionRoutes.updateCriterion, { input: (s) => ({ params: { id: need(s, 'strategyScratchCriterionId') }, body: { description: 'changed by the contract test', position: 10 } }) }),
    step(selectionRoutes.createCandidate, {
      input: (s) => ({
        body: {
          name: 'Contract test: Northwind Integrators',
          partnerId: need(s, 'strategyPartnerId'),
          type: 'integrator',
          region: 'EU',
          status: 'shortlisted' as const,
          scores: { [need(s, 'strategyReachCriterionId')]: 7, [need(s, 'strategyFitCriterionId')]: 8, [need(s, 'strategyCostCriterionId')]: 20 },
        },
      }),
      save: (a, s) => void (s.strategyCandidateId = a.id),
    }),
    step(selectionRoutes.createCandidate, {
      input: (s) => ({
        body: { name: 'Contract test: Contoso Resellers', type: 'reseller', region: 'APAC', scores: { [need(s, 'strategyReachCriterionId')]: 9, [need(s, 'strategyFitCriterionId')]: 5 } },
      }),
      save: (a, s) => void (s.strategyOtherCandidateId = a.id),
    }),
    step(selectionRoutes.listCandidates),
    step(selectionRoutes.getCandidate, { input: (s) => ({ params: { id: need(s, 'strategyCandidateId') } }) }),
    step(selectionRoutes.updateCandidate, { input: (s) => ({ params: { id: need(s, 'strategyOtherCandidateId') }, body: { notes: 'Strong APAC reach; thin technical bench', status: 'shortlisted' as const } }) }),
    step(selectionRoutes.setScores, { input: (s) => ({ params: { id: need(s, 'strategyOtherCandidateId') }, body: { scores: { [need(s, 'strategyCostCriterionId')]: 35 } } }) }),
    step(selectionRoutes.saveMatrix, {
      input: (s) => ({
        body: { name: 'Contract test: reach over fit over cost', labels: [need(s, 'strategyReachCriterionId'), need(s, 'strategyFitCriterionId'), need(s, 'strategyCostCriterionId')], matrix: criteriaPairwise },
      }),
      save: (a, s) => void (s.strategyMatrixId = a.id),
    }),
    step(selectionRoutes.listMatrices),
    step(selectionRoutes.getMatrix, { input: (s) => ({ params: { id: need(s, 'strategyMatrixId') } }) }),
    step(selectionRoutes.rankCandidates, {
      input: (s) => ({ body: { matrixId: need(s, 'strategyMatrixId'), candidateIds: [need(s, 'strategyCandidateId'), need(s, 'strategyOtherCandidateId')] } }),
    }),

    // Promotion channels: unit economics, fitted curves, and a split of a budget over given curves and margins.
    step(promotionRoutes.economics, { input: () => ({ query: { monthlyChurn: 0.04, horizonMonths: 24 } }) }),
    step(promotionRoutes.curves, { input: () => ({ query: { model: 'negativeExponential' as const, outcome: 'signups' as const } }) }),
    step(promotionRoutes.allocate, {
      input: () => ({
        body: {
          totalBudgetMicros: 5_000_000_000,
          outcome: 'activated' as const,
          channels: [
            { promotionChannel: 'search_ads', curve: curve('negativeExponential', { a: 120, b: 5e-10 }), marginPerOutcomeMicros: 400_000_000 },
            { promotionChannel: 'social', curve: curve('hill', { a: 80, k: 1_500_000_000, s: 1.4 }), marginPerOutcomeMicros: 300_000_000, maxSpendMicros: 2_000_000_000 },
            { promotionChannel: 'events', curve: curve('negativeExponential', { a: 30, b: 1e-9 }), marginPerOutcomeMicros: 900_000_000, minSpendMicros: 250_000_000 },
          ],
        },
      }),
    }),

    // Campaigns: the demo's, and one of our own with a link, spend and a visitor's touchpoints.
    step(campaignRoutes.listCampaigns, { save: (a, s) => void (s.strategyCampaignId = first(a, 'campaign').id) }),
    step(campaignRoutes.getCampaign, { input: (s) => ({ params: { id: need(s, 'strategyCampaignId') } }) }),
    step(campaignRoutes.performance, { input: (s) => ({ params: { id: need(s, 'strategyCampaignId') }, query: { from: daysAgo(365) } }) }),
    step(campaignRoutes.createCampaign, {
      input: (s) => ({
        body: {
          name: 'Contract test: EU fintech webinar series',
          goal: 'signups',
          segmentId: need(s, 'strategySegmentId'),
          promotionChannels: ['social'],
          budgetMicros: 8_000_000_000,
          startsAt: daysAgo(7),
          endsAt: daysAhead(30),
          status: 'planned' as const,
        },
      }),
      save: (a, s) => void (s.strategyNewCampaignId = a.id),
    }),
    step(campaignRoutes.updateCampaign, { input: (s) => ({ params: { id: need(s, 'strategyNewCampaignId') }, body: { status: 'active' as const, budgetMicros: 10_000_000_000 } }) }),
    step(campaignRoutes.listLinks, { input: (s) => ({ query: { campaignId: need(s, 'strategyCampaignId') } }), save: (a, s) => void (s.strategyLinkId = first(a, 'tracked link of a campaign').id) }),
    step(campaignRoutes.getLink, { input: (s) => ({ params: { id: need(s, 'strategyLinkId') } }) }),
    step(campaignRoutes.createLink, {
      input: (s) => ({
        body: { code: 'contract-strategy-webinar', campaignId: need(s, 'strategyNewCampaignId'), partnerId: need(s, 'strategyPartnerId'), targetUrl: 'https://qudao.example/signup?utm_campaign=contract' },
      }),
      save: (a, s) => void (s.strategyLinkCode = a.code),
    }),
    step(campaignRoutes.recordSpend, {
      input: (s) => ({ body: { promotionChannel: 'social', amountMicros: 450_000_000, spentOn: daysAgo(1), campaignId: need(s, 'strategyNewCampaignId'), note: 'webinar promotion, day 1' } }),
    }),
    step(campaignRoutes.listSpend, { input: (s) => ({ query: { from: daysAgo(30), campaignId: need(s, 'strategyNewCampaignId') } }) }),
    step(campaignRoutes.recordTouchpoint, { input: (s) => ({ body: { visitorId, kind: 'click' as const, linkCode: need(s, 'strategyLinkCode'), occurredAt: daysAgo(1) } }) }),
    step(campaignRoutes.identify, { input: (s) => ({ body: { visitorId, customerId: need(s, 'strategyCustomerId') } }) }),
    step(campaignRoutes.listTouchpoints, { input: () => ({ query: { visitorId } }) }),
    step(campaignRoutes.attribution, { input: () => ({ query: { by: 'campaign' as const, halfLifeDays: 7 } }) }),

    // Ecosystem: a relation between the two partners.
    step(ecosystemRoutes.createRelation, {
      input: (s) => ({ body: { fromPartnerId: need(s, 'strategyPartnerId'), toPartnerId: need(s, 'strategyOtherPartnerId'), kind: 'co_selling' as const } }),
      save: (a, s) => void (s.strategyRelationId = a.id),
    }),
    step(ecosystemRoutes.listRelations, { input: (s) => ({ query: { partnerId: need(s, 'strategyPartnerId') } }) }),

    // Resource sharing: a partner's data set, granted to the other partner and revoked again.
    step(resourceRoutes.createResource, {
      input: (s) => ({
        body: { kind: 'dataset' as const, name: 'Contract test: support transcripts', description: 'Anonymised support transcripts for evaluation', uri: 'https://data.qudao.example/support-transcripts.jsonl', ownerPartnerId: need(s, 'strategyPartnerId') },
      }),
      save: (a, s) => void (s.strategyResourceId = a.id),
    }),
    step(resourceRoutes.listResources, { input: () => ({ query: { kind: 'dataset' as const } }) }),
    step(resourceRoutes.getResource, { input: (s) => ({ params: { id: need(s, 'strategyResourceId') } }) }),
    step(resourceRoutes.grantResource, {
      input: (s) => ({ params: { id: need(s, 'strategyResourceId') }, body: { partnerId: need(s, 'strategyOtherPartnerId') } }),
      save: (a, s) => void (s.strategyGrantId = a.id),
    }),
    step(resourceRoutes.sharedResources, { input: (s) => ({ query: { partnerId: need(s, 'strategyOtherPartnerId') } }) }),
    step(resourceRoutes.revokeGrant, { input: (s) => ({ params: { id: need(s, 'strategyResourceId'), grantId: need(s, 'strategyGrantId') } }) }),

    // The stateless tools.
    step(strategyToolRoutes.ahp, { input: () => ({ body: { matrix: criteriaPairwise, labels: ['reach', 'fit', 'cost'] } }) }),
    step(strategyToolRoutes.topsis, {
      input: () => ({
        body: {
          criteria: [
            { id: 'reach', weight: 0.6, kind: 'benefit' as const },
            { id: 'fit', weight: 0.25, kind: 'benefit' as const },
            { id: 'cost', weight: 0.15, kind: 'cost' as const },
          ],
          alternatives: [
            { id: 'northwind', scores: [7, 8, 20] },
            { id: 'contoso', scores: [9, 5, 35] },
            { id: 'fabrikam', scores: [5, 9, 12] },
          ],
        },
      }),
    }),
    step(strategyToolRoutes.allocateBudget, {
      input: () => ({
        body: {
          totalBudgetMicros: 3_000_000_000,
          channels: [
            { channelId: 'search_ads', curve: curve('negativeExponential', { a: 120, b: 5e-10 }), marginPerOutcomeMicros: 400_000_000 },
            { channelId: 'content', curve: curve('hill', { a: 60, k: 800_000_000, s: 0.9 }), marginPerOutcomeMicros: 350_000_000, maxSpendMicros: 1_500_000_000 },
          ],
        },
      }),
    }),
  ],
  deletes: [
    step(ecosystemRoutes.deleteRelation, { input: (s) => ({ params: { id: need(s, 'strategyRelationId') } }) }),
    step(selectionRoutes.deleteMatrix, { input: (s) => ({ params: { id: need(s, 'strategyMatrixId') } }) }),
    step(selectionRoutes.deleteCandidate, { input: (s) => ({ params: { id: need(s, 'strategyOtherCandidateId') } }) }),
    step(selectionRoutes.deleteCriterion, { input: (s) => ({ params: { id: need(s, 'strategyScratchCriterionId') } }) }),
    step(marketRoutes.deleteSegment, { input: (s) => ({ params: { id: need(s, 'strategyNewSegmentId') } }) }),
  ],
};
