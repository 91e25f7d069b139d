import type { FastifyInstance } from 'fastify';
import { route } from '../../server/http/index.js';
import { ecosystemRoutes as api } from '../../shared/contract/strategy/ecosystem.js';
import { resolveWindow } from '../window.js';
import type { EcosystemService } from './ecosystem-service.js';

/** Ecosystem synergy (contracts in src/shared/contract/strategy/ecosystem.ts): partner relations and the revenue graph. */
export function ecosystemRoutes(app: FastifyInstance, ecosystem: EcosystemService): void {
  route(app, api.listRelations, async (req) => ({ data: await ecosystem.listRelations(req.query) }));
  route(app, api.createRelation, async (req) => ecosystem.createRelation(req.body));
  route(app, api.deleteRelation, async (req) => ecosystem.deleteRelation(req.params.id));
  route(app, api.graph, async (req) => ecosystem.graph(resolveWindow(req.query)));
}
