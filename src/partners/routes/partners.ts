import type { FastifyInstance } from 'fastify';
import { route } from '../../server/http/index.js';
import { partnerRoutes as api } from '../../shared/contract/partners.js';
import { monthOf } from '../../shared/month.js';
import type { PartnerServices } from '../module.js';

/** The month a scorecard or usage report is for: the one asked for, else the current month (UTC). */
export const monthOrCurrent = (month: string | undefined): string => month ?? monthOf(new Date());

/**
 * `/api/partners` and `/api/scorecards` (admin only; contracts in src/shared/contract/partners.ts): partners,
 * their onboarding checklist and portal users, and scorecards with the tier recommendation.
 */
export function partnerRoutes(app: FastifyInstance, s: PartnerServices): void {
  route(app, api.list, async (req) => ({ data: await s.partners.listPartners(req.query) }));
  route(app, api.create, async (req) => s.partners.createPartner(req.body));
  route(app, api.get, async (req) => s.partners.getPartner(req.params.id));
  route(app, api.update, async (req) => s.partners.updatePartner(req.params.id, req.body));
  route(app, api.archive, async (req) => s.partners.archivePartner(req.params.id));
  route(app, api.remove, async (req) => s.partners.deletePartner(req.params.id));
  route(app, api.onboarding, async (req) => s.partners.onboarding(req.params.id));
  route(app, api.addOnboardingItem, async (req) => s.partners.addOnboardingItem(req.params.id, req.body));
  route(app, api.tickOnboarding, async (req) => s.partners.tickOnboarding(req.params.id, req.params.item, req.body.done));
  route(app, api.users, async (req) => {
    await s.partners.getPartner(req.params.id);
    return { data: await s.users.listUsers(req.params.id) };
  });
  route(app, api.createUser, async (req) => s.users.createUser(req.params.id, req.body));
  route(app, api.updateUser, async (req) => s.users.updateUser(req.params.id, req.params.userId, req.body));
  route(app, api.removeUser, async (req) => s.users.deleteUser(req.params.id, req.params.userId));
  route(app, api.scorecard, async (req) => s.scorecards.scorecard(req.params.id, monthOrCurrent(req.query.month)));
  route(app, api.scorecards, async (req) => ({ data: await s.scorecards.scorecards(monthOrCurrent(req.query.month)) }));
}
