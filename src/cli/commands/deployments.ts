import type { Command, CommandGroup, FlagSpec, FlagValues } from '../command.js';
import { adminApiFlags, callAdminApi, defined, integerFlag, printRows, stringFlag } from './admin-api.js';

type Row = Record<string, unknown>;
const columns = ['id', 'name', 'kind', 'model_version_id', 'upstream_url', 'upstream_model', 'fallback_deployment_id', 'timeout_ms', 'max_retries', 'status'];

const deploymentFlags: Record<string, FlagSpec> = {
  ...adminApiFlags,
  'model-version': { type: 'string', doc: 'Serve this model version in-process (kind local).', placeholder: 'ID' },
  'upstream-url': { type: 'string', doc: 'OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1 (kind upstream).', placeholder: 'URL' },
  'upstream-model': { type: 'string', doc: 'Model name the upstream expects (default: the deployment name).', placeholder: 'NAME' },
  'upstream-key-env': { type: 'string', doc: 'Environment variable holding the upstream\'s API key.', placeholder: 'VAR' },
  fallback: { type: 'string', doc: 'Deployment id to fall back to when this one fails.', placeholder: 'ID' },
  'timeout-ms': { type: 'string', doc: 'Upstream timeout (default 60000).', placeholder: 'MS' },
  'max-retries': { type: 'string', doc: 'Retries on connection errors and 5xx (default 2).', placeholder: 'N' },
  'cost-input-per-1m': { type: 'string', doc: 'Our cost per 1M prompt tokens, micro-units.', placeholder: 'MICROS' },
  'cost-output-per-1m': { type: 'string', doc: 'Our cost per 1M completion tokens, micro-units.', placeholder: 'MICROS' },
  'owner-partner': { type: 'string', doc: 'Only this partner\'s keys may use it (a partner\'s fine-tune).', placeholder: 'ID' },
};

function deploymentFields(flags: FlagValues): Record<string, unknown> {
  return defined({
    model_version_id: stringFlag(flags, 'model-version'),
    upstream_url: stringFlag(flags, 'upstream-url'),
    upstream_model: stringFlag(flags, 'upstream-model'),
    upstream_key_env: stringFlag(flags, 'upstream-key-env'),
    fallback_deployment_id: stringFlag(flags, 'fallback'),
    timeout_ms: integerFlag(flags, 'timeout-ms') ?? undefined,
    max_retries: integerFlag(flags, 'max-retries') ?? undefined,
    cost_input_per_1m_micros: integerFlag(flags, 'cost-input-per-1m') ?? undefined,
    cost_output_per_1m_micros: integerFlag(flags, 'cost-output-per-1m') ?? undefined,
    owner_partner_id: stringFlag(flags, 'owner-partner'),
  });
}

const createDeployment: Command = {
  name: 'create',
  summary: 'Deploy a model under a public name: a local model version or an OpenAI-compatible upstream.',
  args: [{ name: 'name', doc: 'The model name clients pass.' }],
  flags: deploymentFlags,
  async run(ctx) {
    const fields = deploymentFields(ctx.flags);
    const row = await callAdminApi<Row>(ctx, 'POST', '/api/deployments', { name: ctx.positionals[0], kind: fields.model_version_id ? 'local' : 'upstream', ...fields });
    printRows(ctx, row, [row], columns);
  },
};

const listDeployments: Command = {
  name: 'list',
  summary: 'List deployments.',
  flags: adminApiFlags,
  async run(ctx) {
    const res = await callAdminApi<{ data: Row[] }>(ctx, 'GET', '/api/deployments');
    printRows(ctx, res, res.data, columns);
  },
};

const updateDeployment: Command = {
  name: 'update',
  summary: 'Repoint or tune a deployment (the change is recorded in its history).',
  args: [{ name: 'deployment', doc: 'Deployment id or name.' }],
  flags: deploymentFlags,
  async run(ctx) {
    const row = await callAdminApi<Row>(ctx, 'PATCH', `/api/deployments/${encodeURIComponent(ctx.positionals[0]!)}`, deploymentFields(ctx.flags));
    printRows(ctx, row, [row], columns);
  },
};

const archiveDeployment: Command = {
  name: 'archive',
  summary: 'Stop serving a deployment (its ledger rows stay).',
  args: [{ name: 'deployment', doc: 'Deployment id or name.' }],
  flags: adminApiFlags,
  async run(ctx) {
    const row = await callAdminApi<Row>(ctx, 'PATCH', `/api/deployments/${encodeURIComponent(ctx.positionals[0]!)}`, { status: 'archived' });
    printRows(ctx, row, [row], columns);
  },
};

/** `qudao deployments create|list|update|archive` (through the running server's /api). */
export const deploymentsCommand: CommandGroup = { name: 'deployments', summary: 'Deploy models to the gateway: local versions or OpenAI-compatible upstreams.', commands: [createDeployment, listDeployments, updateDeployment, archiveDeployment] };
