import { join } from 'node:path';
import type { GatewayCatalog } from '../gateway/index.js';
import type { PipelineServices } from '../pipeline/index.js';
import type { Store } from '../store/index.js';
import { FineTuningFiles } from './file-service.js';
import { FineTuningJobs } from './job-service.js';

/** The fine-tuning API's services, built once by the composition root. */
export interface FineTuningServices {
  readonly files: FineTuningFiles;
  readonly jobs: FineTuningJobs;
  /** Largest upload (setting `fineTuningFileMaxBytes`). */
  readonly maxFileBytes: number;
}

/** Options of {@link createFineTuning}. */
export interface FineTuningOptions {
  /** Jobs' files and run folders go to `<workDir>/fine-tuning/<job id>/` (the pipeline's data folder). */
  readonly workDir: string;
  readonly maxFileBytes: number;
  readonly onError?: (err: unknown, what: string) => void;
}

/** Builds the file and job services over the store, the gateway's cache and the pipeline's services. */
export function createFineTuning(store: Store, catalog: GatewayCatalog, pipeline: PipelineServices, options: FineTuningOptions): FineTuningServices {
  const files = new FineTuningFiles(store, options.maxFileBytes);
  const jobs = new FineTuningJobs({
    store,
    files,
    catalog,
    registry: pipeline.registry,
    deployer: pipeline.deployer,
    manager: pipeline.manager,
    workDir: join(options.workDir, 'fine-tuning'),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  return { files, jobs, maxFileBytes: options.maxFileBytes };
}
