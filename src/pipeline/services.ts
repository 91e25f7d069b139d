import { join } from 'node:path';
import { DeploymentStore, type Store } from '../store/index.js';
import { Deployer, ModelRegistry } from './registry/index.js';
import { RunManager, RunStore } from './runs/index.js';

/** The model pipeline's long-lived services, built once by the composition root. */
export interface PipelineServices {
  readonly registry: ModelRegistry;
  readonly deployer: Deployer;
  readonly runs: RunStore;
  readonly manager: RunManager;
}

/** Options of {@link createPipelineServices}. */
export interface PipelineOptions {
  /** The data folder; registered checkpoints go to `<dataDir>/models`. */
  readonly dataDir: string;
  /** How to start `qudao` for worker processes: `[node, path/to/bin/qudao.js]`. */
  readonly workerCommand: readonly string[];
}

/** Builds the registry, deployer, run store and run manager over one store. */
export function createPipelineServices(store: Store, options: PipelineOptions): PipelineServices {
  const registry = new ModelRegistry(store, join(options.dataDir, 'models'));
  const runs = new RunStore(store);
  return {
    registry,
    deployer: new Deployer(new DeploymentStore(store), registry),
    runs,
    manager: new RunManager(runs, { workerCommand: options.workerCommand }),
  };
}
