/** The model registry (immutable versions) and step 6 of the pipeline, deploy and roll back. */
export { ModelRegistry, type ModelRow, type ModelVersionRow, type RegisterVersionInput } from './registry.js';
export { Deployer, type DeployInput, type DeploymentRow, type DeploymentHistoryRow, type DeploymentView } from './deployments.js';
export { registerCheckpoint, type RegisterCheckpointInput } from './register-checkpoint.js';
