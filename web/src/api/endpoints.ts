/**
 * Every server path the dashboard reads, in one table, so a renamed route is one edit. Paths marked
 * "planned" belong to features still being built; pages show "not available yet" until they answer.
 */
export const endpoints = {
  whoami: '/api/whoami',
  system: '/api/system',
  // gateway (src/gateway)
  keys: '/api/keys',
  plans: '/api/plans',
  deployments: '/api/deployments',
  usage: '/api/usage?limit=20',
  customers: '/api/customers',
  models: '/v1/models',
  chatCompletions: '/v1/chat/completions',
  // channels and partners (src/channels, src/partners)
  channels: '/api/channels',
  channelMap: '/api/channels/map',
  partners: '/api/partners',
  tiers: '/api/tiers',
  agreements: '/api/agreements',
  statements: '/api/statements',
  scorecards: '/api/scorecards',
  portalLogin: '/api/portal/login',
  portalMe: '/api/portal/me',
  portalStatements: '/api/portal/statements',
  portalUsage: '/api/portal/usage',
  portalKeys: '/api/portal/keys',
  portalCustomers: '/api/portal/customers',
  portalScorecard: '/api/portal/scorecard',
  portalLogout: '/api/portal/logout',
  // strategy and analytics (src/strategy, src/analytics) — planned
  overview: '/api/analytics/overview',
  stickiness: '/api/analytics/stickiness',
  dailyUsage: '/api/analytics/usage',
  segments: '/api/segments',
  marketSize: '/api/market/size',
  marketRank: '/api/market/rank',
  ecosystem: '/api/ecosystem',
  promotionEconomics: '/api/promotion/economics',
  promotionCurves: '/api/promotion/curves',
  promotionAllocate: '/api/promotion/allocate',
  attribution: '/api/attribution',
  campaigns: '/api/campaigns',
  allocate: '/api/strategy/allocate',
  ahp: '/api/strategy/ahp',
  topsis: '/api/strategy/topsis',
  resources: '/api/resources',
  // model pipeline (src/pipeline)
  runs: '/api/runs',
  evalRuns: '/api/runs?kind=eval',
  modelFamilies: '/api/models',
  presets: '/api/models/presets',
} as const;

/** `partners/:id/scorecard` and the like. */
export const partnerScorecard = (partnerId: string): string => `${endpoints.partners}/${encodeURIComponent(partnerId)}/scorecard`;
/** A statement's CSV (admin). */
export const statementCsv = (id: string): string => `${endpoints.statements}/${encodeURIComponent(id)}/csv`;
/** One of the signed-in partner's final statements as CSV. */
export const portalStatementCsv = (id: string): string => `${endpoints.portalStatements}/${encodeURIComponent(id)}/csv`;
/** Revokes a customer API key. */
export const revokeKey = (keyId: string): string => `${endpoints.keys}/${encodeURIComponent(keyId)}/revoke`;
/** One run with its loss curve (`metrics.curve`). */
export const runDetail = (runId: string): string => `${endpoints.runs}/${encodeURIComponent(runId)}`;
/** Stops a running run after its current step (it writes a checkpoint). */
export const stopRun = (runId: string): string => `${runDetail(runId)}/stop`;
/** Continues a stopped run from its checkpoint. */
export const resumeRun = (runId: string): string => `${runDetail(runId)}/resume`;
