import { resolve } from 'node:path';
import { UsageError, type Command } from '../command.js';
import { pipelineRoutes as api } from '../../shared/contract/pipeline.js';
import type { ResponseOf } from '../../shared/contract/route.js';
import { adminApiFlags, callApi, printRows } from './admin-api.js';

type View = ResponseOf<typeof api.viewDeployment>;

/**
 * `qudao deploy NAME`: step 6, through the running server — point a public model name at a version
 * (`--version`), or register a checkpoint and deploy it in one go (`--checkpoint`), roll back
 * (`--rollback [--to REF]`), or show the trail (`--history`).
 */
export const deployCommand: Command = {
  name: 'deploy',
  summary: 'Serve a model version under a public name on /v1 (or roll back); versions are immutable.',
  args: [{ name: 'name', doc: 'The public model name clients pass as "model".' }],
  flags: {
    version: { type: 'string', doc: 'Version to serve: mv_… id, model@N, or a model name (its newest version).', placeholder: 'REF' },
    checkpoint: { type: 'string', doc: 'Register this checkpoint folder as a new version of --model, then deploy it.', placeholder: 'DIR' },
    model: { type: 'string', doc: 'Model name for --checkpoint (default: the public name).', placeholder: 'NAME' },
    rollback: { type: 'boolean', doc: 'Point back at the version served before the current one.' },
    to: { type: 'string', doc: 'With --rollback: a version from the trail to return to.', placeholder: 'REF' },
    history: { type: 'boolean', doc: 'Show the deployment and every version it served.' },
    ...adminApiFlags,
  },
  usesConfig: true,
  help: 'Examples:\n  npx qudao deploy my-model --checkpoint data/runs/brown/best\n  npx qudao deploy my-model --version my-model@1\n  npx qudao deploy my-model --rollback',
  async run(ctx) {
    const name = ctx.positionals[0]!;
    const chosen = [ctx.flags.version, ctx.flags.checkpoint, ctx.flags.rollback, ctx.flags.history].filter((v) => v !== undefined && v !== false);
    if (chosen.length !== 1) throw new UsageError('give exactly one of --version, --checkpoint, --rollback or --history');
    let view: View;
    if (ctx.flags.history === true) view = await callApi(ctx, api.viewDeployment, { params: { name } });
    else if (ctx.flags.rollback === true) view = await callApi(ctx, api.rollback, { body: { name, ...(typeof ctx.flags.to === 'string' ? { to: ctx.flags.to } : {}) } });
    else {
      let version = typeof ctx.flags.version === 'string' ? ctx.flags.version : '';
      if (typeof ctx.flags.checkpoint === 'string') {
        const model = typeof ctx.flags.model === 'string' ? ctx.flags.model : name;
        const registered = await callApi(ctx, api.registerVersion, { body: { model, checkpoint: resolve(ctx.flags.checkpoint) } });
        ctx.out(`registered ${model}@${registered.version} (${registered.id})`);
        version = registered.id;
      }
      view = await callApi(ctx, api.deploy, { body: { name, version } });
    }
    if (ctx.flags.json === true) return ctx.out(JSON.stringify(view, null, 2));
    ctx.out(`${name} → ${String(view.deployment.modelVersionId)} (${view.deployment.kind}, ${view.deployment.status})`);
    printRows(ctx, view, view.history.map((h, i) => ({ '#': i + 1, version: h.modelVersionId, at: h.changedAt })), ['#', 'version', 'at']);
  },
};
