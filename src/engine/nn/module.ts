import type { Tensor } from '../engine.js';

/**
 * Base of every layer: named parameters and child modules, so a model's parameters get dotted
 * names (`h.0.attn.c_attn.weight`) in registration order, which fixes optimiser and checkpoint order.
 */
export abstract class Module {
  /** Training mode switches dropout on. */
  training = true;
  private readonly ownParams: Array<[string, Tensor]> = [];
  private readonly children: Array<[string, Module]> = [];

  /** Registers a parameter under `name`; returns it. */
  protected param(name: string, t: Tensor): Tensor {
    this.ownParams.push([name, t]);
    return t;
  }

  /** Registers a child module under `name`; returns it. */
  protected child<M extends Module>(name: string, m: M): M {
    this.children.push([name, m]);
    return m;
  }

  /** All parameters, recursively, by dotted name. */
  parameters(prefix = ''): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const [n, t] of this.ownParams) out.set(prefix + n, t);
    for (const [n, m] of this.children) {
      for (const [k, t] of m.parameters(`${prefix}${n}.`)) out.set(k, t);
    }
    return out;
  }

  /** Sets training (true) or evaluation (false) mode, recursively. */
  train(on = true): this {
    this.training = on;
    for (const [, m] of this.children) m.train(on);
    return this;
  }

  /**
   * Returns the parameters' memory (values and gradients) to the engine for reuse, e.g. when a
   * server unloads a model version. The module must not be used afterwards.
   */
  dispose(): void {
    for (const t of this.parameters().values()) t.engine.free(t);
  }

  /** Total number of parameter values. */
  parameterCount(): number {
    let n = 0;
    for (const t of this.parameters().values()) n += t.size;
    return n;
  }
}
