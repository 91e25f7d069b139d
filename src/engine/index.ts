/**
 * The engine: Float32 tensors in one shared WebAssembly.Memory, reverse-mode autograd, layers,
 * losses, optimisers, LR schedules and safetensors checkpoints. Imports nothing else from `src`.
 */
export { createEngine, type EngineOptions, type KernelChoice } from './create.js';
export { loadNativeAddon, supportedVariants, type NativeVariant } from './kernels/native.js';
export type { KernelBuild } from './kernels/wasm.js';
export { Engine, Tensor } from './engine.js';
export { shapeSize } from './shapes.js';
export { TensorMemory } from './memory.js';
export { Rng, type RngState } from './rng.js';
export type { Kernels } from './kernels/types.js';
export { referenceKernels } from './kernels/reference.js';
export * from './ops/index.js';
export { Module } from './nn/module.js';
export { Linear, Embedding, LayerNorm, Dropout, normalInit, uniformInit, type LinearOptions } from './nn/layers.js';
export { LSTM, type LstmState } from './nn/lstm.js';
export { CausalSelfAttention, MLP, type TransformerDims } from './nn/transformer.js';
export { Optimizer, decaysMatrices, type OptimizerState, type RegularizationOptions } from './optim/optimizer.js';
export { SGD, type SgdOptions } from './optim/sgd.js';
export { Adam, AdamW, type AdamOptions } from './optim/adam.js';
export { clipGradNorm } from './optim/clip.js';
export { learningRate, type LrSchedule } from './optim/schedule.js';
export { readSafetensors, writeSafetensors, SafetensorsError, type SafetensorsEntry } from './checkpoint/safetensors.js';
export { saveCheckpoint, loadCheckpoint, recoverCheckpoint, CheckpointError, type Checkpoint, type TrainingState, type SaveOptions, type SaveStep } from './checkpoint/checkpoint.js';
