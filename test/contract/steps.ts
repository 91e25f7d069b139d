/**
 * Every `/api` and `/v1` route, called once with the demo workspace, in an order where each step finds
 * what it needs (ids, a partner session, a customer key) from earlier answers. The contract test fails
 * for a route that has no step, so a new route comes with its call. One file per domain under steps/;
 * deletes run last, in reverse order, on rows the steps created.
 */
import type { DomainSteps, Step } from './runner.js';
import { analyticsSteps } from './steps/analytics.js';
import { auditSteps } from './steps/audit.js';
import { billingSteps } from './steps/billing.js';
import { channelSteps } from './steps/channels.js';
import { creditSteps } from './steps/credits.js';
import { customerSteps } from './steps/customers.js';
import { fineTuningSteps } from './steps/fine-tuning.js';
import { gatewaySteps } from './steps/gateway.js';
import { partnerSteps } from './steps/partners.js';
import { pipelineSteps } from './steps/pipeline.js';
import { strategySteps } from './steps/strategy.js';
import { teamSteps } from './steps/team.js';

const domains: DomainSteps[] = [channelSteps, customerSteps, creditSteps, partnerSteps, gatewaySteps, billingSteps, strategySteps, analyticsSteps, pipelineSteps, fineTuningSteps, teamSteps, auditSteps];

/** The steps in order. */
export const contractSteps: Step[] = [...domains.flatMap((d) => d.steps), ...[...domains].reverse().flatMap((d) => d.deletes ?? [])];
