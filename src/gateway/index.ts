/**
 * The gateway: the OpenAI-compatible `/v1` API every customer reaches a model through, with API keys,
 * plans, rate limits and quotas, upstream routing, and metering into the usage ledger.
 */
export { startGateway, type Gateway, type GatewayOptions } from './gateway.js';
export { gatewayRoutes } from './routes/v1-routes.js';
export { gatewayAdminRoutes, type GatewayAdmin } from './admin/admin-routes.js';
export { GatewayCatalog } from './catalog.js';
export type { Limiter, MeterCharge, AdmissionResult } from './limits/limiter.js';
export { MemoryLimiter } from './limits/memory-limiter.js';
export { RedisLimiter } from './limits/redis-limiter.js';
export { readCreditBalance, isLowBalance, prepaidBalanceKey, type CreditBalance } from './limits/prepaid.js';
export { promptTokenBound, completionTokenMaximum, DEFAULT_RESERVED_COMPLETION_TOKENS } from './openai/request-size.js';
export { chatTemplates, renderChat, type ChatTemplate } from './openai/chat-templates.js';
export { priceOfTokens } from './metering/pricing.js';
export { LedgerWriter, type UsageRow, type LedgerWriterOptions } from './metering/ledger-writer.js';
export { API_KEY_KIND } from './keys/api-key.js';
export type { KeyView, CreateKeyInput } from './keys/key-service.js';
export type { PlanInput, PlanRow } from './plans/plan-service.js';
export type { DeploymentInput, DeploymentRow } from './deployments/deployment-service.js';
export { bearerOf } from './routes/v1-routes.js';
export { authenticateCaller } from './keys/api-key.js';
export { resolveDeployment, mayUse } from './serve/resolve-model.js';
export type { Caller, GatewayDeployment } from './types.js';
