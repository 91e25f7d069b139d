/**
 * OpenAI-compatible fine-tuning on `/v1` (files and fine-tuning jobs) for customer API keys: jobs run as
 * pipeline runs (`finetune`, task `chat`) in the server's run worker, their models are deployed for their
 * customer only, and their trained tokens are billed through the usage ledger.
 */
export { FineTuningFiles, type Owner, type NewFile } from './file-service.js';
export { FineTuningJobs, ownerOf, type FineTuningJobsOptions, type Page, type PageQuery } from './job-service.js';
export { fineTuningRouteHandlers, type FineTuningRouteServices } from './routes.js';
export { trainingUsageRow, recordTrainingUsage, TRAINING_COST_FACTOR } from './training-usage.js';
export { createFineTuning, type FineTuningServices, type FineTuningOptions } from './module.js';
