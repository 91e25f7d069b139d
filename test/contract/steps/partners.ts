import { channelRoutes } from '../../../src/shared/contract/channels.js';
import { customerRoutes } from '../../../src/shared/contract/customers.js';
import { agreementRoutes, partnerRoutes, statementRoutes, tierRoutes } from '../../../src/shared/contract/partners.js';
import { portalRoutes } from '../../../src/shared/contract/portal.js';
import { portalInvoiceRoutes } from '../../../src/shared/contract/billing.js';
import { addMonths, monthOf, monthStart } from '../../../src/shared/month.js';
import { first, step, type DomainSteps } from '../runner.js';

const PASSWORD = 'contract test portal password';
const PORTAL_EMAIL = 'contract-portal@example.com';

/** The last complete month (UTC): the running one cannot be finalised (QD_MONTH_NOT_ENDED). */
const lastMonth = (): string => addMonths(monthOf(new Date()), -1);

/**
 * Partners, tiers, agreements, statements and the portal. Admin steps read the demo's rows and create their
 * own (a tier, a partner with an agreement and a draft statement, a partner to delete); a demo partner that
 * owns a channel gets a portal user, signs in (`partnerSession`) and walks the portal: its customer signup,
 * keys, usage, scorecard and the final statement finalised here. The portal logs out last.
 */
export const partnerSteps: DomainSteps = {
  steps: [
    // Tiers.
    step(tierRoutes.list, { save: (a, s) => void (s.partnerTierId = first(a, 'tier').id) }),
    step(tierRoutes.get, { input: (s) => ({ params: { id: s.partnerTierId! } }) }),
    step(tierRoutes.create, {
      input: () => ({ body: { name: 'Contract Test Tier', rank: 900, requirements: { minCertifiedStaff: 1, maxErrorRateBps: 500 }, benefits: { revenueShareBps: 500 } } }),
      save: (a, s) => void (s.partnerNewTierId = a.id),
    }),
    step(tierRoutes.update, { input: (s) => ({ params: { id: s.partnerNewTierId! }, body: { benefits: { revenueShareBps: 600, support: 'e-mail' } } }) }),

    // Partners: the demo's, one owning a channel (the portal's), and two of our own.
    step(partnerRoutes.list, { input: () => ({ query: { status: 'active' as const } }), save: (a) => void first(a, 'active partner') }),
    step(channelRoutes.list, {
      input: () => ({ query: { status: 'active' as const } }),
      save: (a, s) => {
        const owned = a.data.find((c) => c.ownerPartnerId);
        if (!owned?.ownerPartnerId) throw new Error('the demo workspace has no active channel owned by a partner');
        s.partnerPortalId = owned.ownerPartnerId;
        s.partnerPortalChannelId = owned.id;
      },
    }),
    step(partnerRoutes.get, { input: (s) => ({ params: { id: s.partnerPortalId! } }) }),
    step(partnerRoutes.create, {
      input: (s) => ({ body: { name: 'Contract Test Partner', type: 'referral', region: 'EU', segments: ['saas'], tierId: s.partnerNewTierId!, certifiedStaff: 2 } }),
      save: (a, s) => void (s.partnerNewId = a.id),
    }),
    // Moves it to a demo tier, so the tier created above can be deleted at the end.
    step(partnerRoutes.update, { input: (s) => ({ params: { id: s.partnerNewId! }, body: { tierId: s.partnerTierId!, segments: ['saas', 'fintech'], certifiedStaff: 3 } }) }),
    step(partnerRoutes.create, { input: () => ({ body: { name: 'Contract Test Partner (deleted)', type: 'reseller', region: 'EU' } }), save: (a, s) => void (s.partnerGoneId = a.id) }),
    step(partnerRoutes.onboarding, { input: (s) => ({ params: { id: s.partnerNewId! } }) }),
    step(partnerRoutes.addOnboardingItem, { input: (s) => ({ params: { id: s.partnerNewId! }, body: { id: 'contract_kickoff', title: 'Contract kickoff call' } }) }),
    step(partnerRoutes.tickOnboarding, { input: (s) => ({ params: { id: s.partnerNewId!, item: 'contract_kickoff' }, body: { done: true } }) }),

    // Portal users (administered; the portal's own user comes below).
    step(partnerRoutes.createUser, {
      input: (s) => ({ params: { id: s.partnerNewId! }, body: { email: 'contract-partner-user@example.com', name: 'Contract', password: PASSWORD } }),
      save: (a, s) => void (s.partnerUserId = a.id),
    }),
    step(partnerRoutes.updateUser, { input: (s) => ({ params: { id: s.partnerNewId!, userId: s.partnerUserId! }, body: { name: 'Contract Ops' } }) }),
    step(partnerRoutes.users, { input: (s) => ({ params: { id: s.partnerNewId! } }), save: (a) => void first(a, 'portal user') }),

    // Agreements: history; ours starts last month, ends now, and cannot be deleted.
    step(agreementRoutes.list, { input: () => ({ query: { status: 'active' as const } }), save: (a) => void first(a, 'active agreement') }),
    step(agreementRoutes.create, {
      input: (s) => ({
        body: {
          partnerId: s.partnerNewId!,
          revenueShareBps: 1_000,
          minCommitMicros: 1_000_000,
          monthlyTokenQuota: 1_000_000,
          sla: { maxErrorRateBps: 500, maxP95LatencyMs: 2_000 },
          startsAt: monthStart(lastMonth()).toISOString(),
        },
      }),
      save: (a, s) => void (s.partnerAgreementId = a.id),
    }),
    step(agreementRoutes.get, { input: (s) => ({ params: { id: s.partnerAgreementId! } }) }),
    step(agreementRoutes.end, { input: (s) => ({ params: { id: s.partnerAgreementId! }, body: {} }) }),
    step(agreementRoutes.remove, { input: (s) => ({ params: { id: s.partnerAgreementId! } }), refused: { status: 409, code: 'QD_IMMUTABLE' } }),

    // Statements of last month: a draft of ours (deleted at the end), and the portal partner's, finalised.
    step(statementRoutes.generate, {
      input: (s) => ({ body: { month: lastMonth(), partnerId: s.partnerNewId! } }),
      save: (a, s) => void (s.partnerDraftStatementId = first(a, 'draft statement').id),
    }),
    step(statementRoutes.generate, {
      input: (s) => ({ body: { month: lastMonth(), partnerId: s.partnerPortalId! } }),
      save: (a, s) => void (s.partnerFinalStatementId = first(a, 'statement of the portal partner').id),
    }),
    step(statementRoutes.list, { input: () => ({ query: { month: lastMonth(), status: 'draft' as const } }), save: (a) => void first(a, 'draft statement') }),
    step(statementRoutes.get, { input: (s) => ({ params: { id: s.partnerDraftStatementId! } }) }),
    step(statementRoutes.csv, { input: (s) => ({ params: { id: s.partnerDraftStatementId! } }) }),
    step(statementRoutes.finalize, { input: (s) => ({ params: { id: s.partnerFinalStatementId! } }) }),

    // Scorecards: a complete month, and the running one.
    step(partnerRoutes.scorecard, { input: (s) => ({ params: { id: s.partnerPortalId! }, query: { month: lastMonth() } }) }),
    step(partnerRoutes.scorecards, { save: (a) => void first(a, 'scorecard') }),

    // The portal: a user for the demo partner signs in; `partnerSession` is the partner caller from here.
    step(partnerRoutes.createUser, {
      input: (s) => ({ params: { id: s.partnerPortalId! }, body: { email: PORTAL_EMAIL, name: 'Contract Portal', password: PASSWORD } }),
      save: (a, s) => void (s.portalUserId = a.id),
    }),
    step(portalRoutes.login, { as: 'anonymous', input: () => ({ body: { email: PORTAL_EMAIL, password: PASSWORD } }), save: (a, s) => void (s.partnerSession = a.token) }),
    step(portalRoutes.me),
    step(customerRoutes.portalCreate, {
      input: (s) => ({ body: { name: 'Contract Portal Customer', email: 'contract-portal-customer@example.com', region: 'EU', channelId: s.partnerPortalChannelId! } }),
      save: (a, s) => void (s.portalCustomerId = a.id),
    }),
    step(portalRoutes.customers, { save: (a) => void first(a, 'customer of the portal partner') }),
    step(portalRoutes.createKey, { input: (s) => ({ body: { customerId: s.portalCustomerId!, name: 'contract test', channelId: s.partnerPortalChannelId! } }) }),
    step(portalRoutes.keys, { save: (a) => void first(a, 'key of the portal partner') }),
    step(portalRoutes.usage, { input: () => ({ query: { month: lastMonth() } }) }),
    step(portalRoutes.scorecard),
    step(portalRoutes.statements, { save: (a) => void first(a, 'final statement of the portal partner') }),
    step(portalRoutes.statement, { input: (s) => ({ params: { id: s.partnerFinalStatementId! } }) }),
    step(portalRoutes.statementCsv, { input: (s) => ({ params: { id: s.partnerFinalStatementId! } }) }),

    // Our partner is archived (its agreement and statement keep it from being deleted).
    step(partnerRoutes.archive, { input: (s) => ({ params: { id: s.partnerNewId! } }) }),
    // Last of the partner steps: the session ends.
    // The portal's invoices: those addressed to this partner; another customer's draft is 404.
    step(portalInvoiceRoutes.list),
    step(portalInvoiceRoutes.get, { input: (s) => ({ params: { id: `draft_2000-01_${s.customerId!}` } }), refused: { status: 404, code: 'QD_NOT_FOUND' } }),
    step(portalRoutes.logout),
  ],
  deletes: [
    step(statementRoutes.remove, { input: (s) => ({ params: { id: s.partnerDraftStatementId! } }) }),
    step(partnerRoutes.removeUser, { input: (s) => ({ params: { id: s.partnerNewId!, userId: s.partnerUserId! } }) }),
    step(partnerRoutes.removeUser, { input: (s) => ({ params: { id: s.partnerPortalId!, userId: s.portalUserId! } }) }),
    step(partnerRoutes.remove, { input: (s) => ({ params: { id: s.partnerGoneId! } }) }),
    step(tierRoutes.remove, { input: (s) => ({ params: { id: s.partnerNewTierId! } }) }),
  ],
};
