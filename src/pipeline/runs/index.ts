/** Pipeline runs: the `runs` table, one entry for every step, recording, and the API's worker processes. */
export { RunStore, RUN_KINDS, type RunRow, type RunKind, type RunStatus, type RunPatch } from './run-store.js';
export { runStep, parseStep, validateStepParams, thinCurve, type StepOutcome, type FinetuneParams, type EvalParams } from './steps.js';
export { recordedStep, liveCurveWriter } from './recorder.js';
export { RunManager, type RunManagerOptions, type RunObserver, type WorkerEvent } from './manager.js';
