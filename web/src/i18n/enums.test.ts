import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { defaultChannelTypes, listChannelsSchema, marginKinds } from '../../../src/shared/contract/channels.js';
import { listCustomersSchema } from '../../../src/shared/contract/customers.js';
import { guardrailActions, guardrailKinds, guardrailStages } from '../../../src/shared/contract/guardrails.js';
import { createDeploymentSchema, keySchema, updateDeploymentSchema, usageRowSchema } from '../../../src/shared/contract/gateway.js';
import { listAgreementsSchema, listPartnersSchema, listStatementsSchema, updatePartnerUserSchema } from '../../../src/shared/contract/partners.js';
import { runKinds, runStatuses } from '../../../src/shared/contract/pipeline.js';
import { createCampaignSchema, recordTouchpointSchema } from '../../../src/shared/contract/strategy/campaigns.js';
import { PROMOTION_CHANNELS } from '../../../src/shared/contract/strategy/common.js';
import { RELATION_KINDS } from '../../../src/shared/contract/strategy/ecosystem.js';
import { RESOURCE_KINDS } from '../../../src/shared/contract/strategy/resources.js';
import { createCriterionSchema, updateCandidateSchema } from '../../../src/shared/contract/strategy/selection.js';
import { ROLES } from '../../../src/shared/contract/access.js';
import { billToKinds, creditKinds, invoiceLineKinds, invoiceStatuses, setBillingModeSchema, tokenKinds } from '../../../src/shared/contract/billing.js';
import { en } from './en.js';
import { enumKey, ENUM_KINDS, translateEnum, type EnumKind } from './enums.js';
import { zh } from './zh.js';

/** The values of an enum field of a zod object schema, through optional/default/nullable wrappers. */
function fieldValues(schema: z.ZodType, field: string): string[] {
  let node = (schema as unknown as { shape: Record<string, z.ZodType> }).shape[field] as unknown as { _zod: { def: { type: string; innerType?: unknown; entries?: Record<string, string> } } };
  while (node._zod.def.type !== 'enum') {
    if (!node._zod.def.innerType) throw new Error(`${field} is not an enum field`);
    node = node._zod.def.innerType as typeof node;
  }
  return Object.values(node._zod.def.entries!);
}

/** What the server can send, by kind, taken from its schemas and constants (not copied by hand). */
const serverValues: Record<EnumKind, readonly string[]> = {
  status: [
    ...fieldValues(listChannelsSchema, 'status'),
    ...fieldValues(listCustomersSchema, 'status'),
    ...fieldValues(listPartnersSchema, 'status'),
    ...fieldValues(listAgreementsSchema, 'status'),
    ...fieldValues(listStatementsSchema, 'status'),
    ...fieldValues(updatePartnerUserSchema, 'status'),
    ...fieldValues(createCampaignSchema, 'status'),
    ...fieldValues(updateCandidateSchema, 'status'),
    ...fieldValues(updateDeploymentSchema, 'status'),
    ...runStatuses,
    ...fieldValues(usageRowSchema, 'status'),
    ...fieldValues(keySchema, 'status'),
    'ready', // a registered model version (model_versions.status default)
  ],
  channelType: defaultChannelTypes.map((t) => t.id),
  marginKind: marginKinds,
  promotionChannel: PROMOTION_CHANNELS,
  campaignGoal: ['signups', 'awareness'], // the demo's goals (goal is free text; these are what a new workspace shows)
  attributionModel: ['firstTouch', 'lastTouch', 'linear', 'timeDecay', 'positionBased', 'markov'],
  touchpointKind: fieldValues(recordTouchpointSchema, 'kind'),
  relationKind: RELATION_KINDS,
  resourceKind: RESOURCE_KINDS,
  outcome: ['signups', 'activated'],
  responseModel: ['negativeExponential', 'hill'],
  criterionKind: fieldValues(createCriterionSchema, 'kind'),
  deploymentKind: fieldValues(createDeploymentSchema, 'kind'),
  upstreamProvider: fieldValues(createDeploymentSchema, 'provider'),
  runKind: runKinds,
  modelKind: ['gpt', 'lstm'],
  statementLineKind: ['usage', 'adjustment'],
  role: ROLES,
  guardrailStage: guardrailStages,
  guardrailKind: guardrailKinds,
  guardrailAction: guardrailActions,
  invoiceStatus: invoiceStatuses,
  invoiceLineKind: invoiceLineKinds,
  tokenKind: tokenKinds,
  billToKind: billToKinds,
  creditKind: creditKinds,
  billingMode: fieldValues(setBillingModeSchema, 'billingMode'),
};

describe('enum values shown in the dashboard', () => {
  it('every value the server can emit has an English and a Chinese label', () => {
    const missing: string[] = [];
    for (const kind of ENUM_KINDS) {
      expect(serverValues[kind].length, kind).toBeGreaterThan(0);
      for (const value of serverValues[kind]) {
        const key = enumKey(kind, value) as keyof typeof en;
        if (!(key in en) || !(key in zh)) missing.push(key);
        else if (zh[key] === value) missing.push(`${key} (zh is the raw value)`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('translates through the dictionary and shows an unknown value as sent', () => {
    expect(translateEnum(zh, 'promotionChannel', 'search_ads')).toBe('搜索广告');
    expect(translateEnum(zh, 'attributionModel', 'firstTouch')).toBe('首次触点');
    expect(translateEnum(zh, 'channelType', 'reseller')).toBe('经销商');
    expect(translateEnum(en, 'status', 'ended')).toBe('Ended');
    expect(translateEnum(zh, 'channelType', 'our_own_type')).toBe('our_own_type');
    expect(translateEnum(zh, 'status', '—')).toBe('—');
  });
});
