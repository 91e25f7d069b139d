import { gatewayAdminRoutes as api, upstreamProviders, type UpdateDeploymentInput } from '../../shared/contract/gateway.js';
import type { Command, CommandGroup, FlagSpec, FlagValues } from '../command.js';
import { adminApiFlags, callApi, enumFlag, integerFlag, printRows, stringFlag } from './admin-api.js';

const columns = ['id', 'name', 'kind', 'provider', 'modelVersionId', 'upstreamUrl', 'upstreamModel', 'apiVersion', 'fallbackDeploymentId', 'timeoutMs', 'maxRetries', 'status', 'health'];

const deploymentFlags: Record<string, FlagSpec> = {
  ...adminApiFlags,
  'model-version': { type: 'string', doc: 'Serve this model version in-process (kind local).', placeholder: 'ID' },
  'upstream-url': { type: 'string', doc: 'Upstream base URL (kind upstream): an OpenAI-compatible one ends in /v1 (http://127.0.0.1:8000/v1); Anthropic, Gemini and Azure take the host root.', placeholder: 'URL' },
  'upstream-model': { type: 'string', doc: 'Model name the upstream expects (Azure: its deployment name; default: the deployment name).', placeholder: 'NAME' },
  provider: { type: 'string', doc: `The upstream's wire format: ${upstreamProviders.join(', ')} (default openai-compatible).`, placeholder: 'NAME' },
  'api-version': { type: 'string', doc: 'Azure api-version, Anthropic anthropic-version or Gemini path version (default: the provider\'s; none: back to it).', placeholder: 'VERSION' },
  'upstream-key-env': { type: 'string', doc: 'Environment variable holding the upstream\'s API key.', placeholder: 'VAR' },
  fallback: { type: 'string', doc: 'Deployment id to fall back to when this one fails.', placeholder: 'ID' },
  'timeout-ms': { type: 'string', doc: 'Upstream timeout (default 60000).', placeholder: 'MS' },
  'max-retries': { type: 'string', doc: 'Retries on connection errors and 5xx (default 2).', placeholder: 'N' },
  'cost-input-per-1m': { type: 'string', doc: 'Our cost per 1M prompt tokens, micro-units.', placeholder: 'MICROS' },
  'cost-output-per-1m': { type: 'string', doc: 'Our cost per 1M completion tokens, micro-units.', placeholder: 'MICROS' },
  'owner-partner': { type: 'string', doc: 'Only this partner\'s keys may use it (a partner\'s fine-tune).', placeholder: 'ID' },
};

/** The deployment fields the flags set (absent flags are left out, so an update names only what changes). */
function deploymentFields(flags: FlagValues): Omit<UpdateDeploymentInput, 'name' | 'kind' | 'status'> {
  const fields = {
    modelVersionId: stringFlag(flags, 'model-version'),
    upstreamUrl: stringFlag(flags, 'upstream-url'),
    upstreamModel: stringFlag(flags, 'upstream-model'),
    provider: enumFlag(flags, 'provider', upstreamProviders),
    apiVersion: stringFlag(flags, 'api-version') === 'none' ? null : stringFlag(flags, 'api-version'),
    upstreamKeyEnv: stringFlag(flags, 'upstream-key-env'),
    fallbackDeploymentId: stringFlag(flags, 'fallback'),
    timeoutMs: integerFlag(flags, 'timeout-ms') ?? undefined,
    maxRetries: integerFlag(flags, 'max-retries') ?? undefined,
    costInputPer1mMicros: integerFlag(flags, 'cost-input-per-1m') ?? undefined,
    costOutputPer1mMicros: integerFlag(flags, 'cost-output-per-1m') ?? undefined,
    ownerPartnerId: stringFlag(flags, 'owner-partner'),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

const createDeployment: Command = {
  name: 'create',
  summary: 'Deploy a model under a public name: a local model version or an upstream (OpenAI-compatible, Anthropic, Gemini, Azure OpenAI).',
  args: [{ name: 'name', doc: 'The model name clients pass.' }],
  flags: deploymentFlags,
  async run(ctx) {
    const fields = deploymentFields(ctx.flags);
    const row = await callApi(ctx, api.createDeployment, { body: { ...fields, name: ctx.positionals[0]!, kind: fields.modelVersionId ? 'local' : 'upstream' } });
    printRows(ctx, row, [row], columns);
  },
};

const listDeployments: Command = {
  name: 'list',
  summary: 'List deployments.',
  flags: adminApiFlags,
  async run(ctx) {
    const res = await callApi(ctx, api.listDeployments);
    printRows(ctx, res, res.data, columns);
  },
};

const updateDeployment: Command = {
  name: 'update',
  summary: 'Repoint or tune a deployment (the change is recorded in its history).',
  args: [{ name: 'deployment', doc: 'Deployment id or name.' }],
  flags: deploymentFlags,
  async run(ctx) {
    const row = await callApi(ctx, api.updateDeployment, { params: { id: ctx.positionals[0]! }, body: deploymentFields(ctx.flags) });
    printRows(ctx, row, [row], columns);
  },
};

const archiveDeployment: Command = {
  name: 'archive',
  summary: 'Stop serving a deployment (its ledger rows stay).',
  args: [{ name: 'deployment', doc: 'Deployment id or name.' }],
  flags: adminApiFlags,
  async run(ctx) {
    const row = await callApi(ctx, api.updateDeployment, { params: { id: ctx.positionals[0]! }, body: { status: 'archived' } });
    printRows(ctx, row, [row], columns);
  },
};

/** `qudao deployments create|list|update|archive` (through the running server's /api). */
export const deploymentsCommand: CommandGroup = { name: 'deployments', summary: 'Deploy models to the gateway: local versions or upstreams of any provider.', commands: [createDeployment, listDeployments, updateDeployment, archiveDeployment] };
