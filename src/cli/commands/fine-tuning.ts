import { fineTuningAdminRoutes as api, fineTuningJobStatuses } from '../../shared/contract/fine-tuning.js';
import type { Command, CommandGroup } from '../command.js';
import { adminApiFlags, callApi, enumFlag, printRows, stringFlag } from './admin-api.js';

const listJobs: Command = {
  name: 'list',
  summary: "Every customer's fine-tuning jobs, newest first (through the running server).",
  flags: {
    ...adminApiFlags,
    status: { type: 'string', doc: `Only jobs in this state (${fineTuningJobStatuses.join(', ')}).`, placeholder: 'STATUS' },
    customer: { type: 'string', doc: "Only this customer's jobs.", placeholder: 'ID' },
  },
  usesConfig: true,
  async run(ctx) {
    const res = await callApi(ctx, api.listJobs, { query: { status: enumFlag(ctx.flags, 'status', fineTuningJobStatuses), customerId: stringFlag(ctx.flags, 'customer') } });
    printRows(ctx, res, res.data.map((j) => ({ ...j, customer: j.customerName ?? j.customerId })), ['id', 'customer', 'baseModel', 'status', 'trainedTokens', 'fineTunedModel', 'createdAt', 'error']);
  },
};

/** `qudao fine-tuning`: the jobs customers started through OpenAI's fine-tuning API on /v1. */
export const fineTuningCommand: CommandGroup = {
  name: 'fine-tuning',
  summary: "Fine-tuning jobs customers started through /v1/fine_tuning/jobs: list.",
  commands: [{ name: 'jobs', summary: 'Fine-tuning jobs: list.', commands: [listJobs] }],
};
