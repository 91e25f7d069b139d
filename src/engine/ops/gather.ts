import type { Tensor } from '../engine.js';
import { shapeString } from '../shapes.js';

/**
 * Embedding lookup: rows `ids` of `table` [rows, dim], giving shape [...idsShape, dim]. The backward
 * pass scatters gradients back into the selected rows. Also used to pick rows of activations.
 */
export function gather(table: Tensor, ids: Int32Array, idsShape: readonly number[] = [ids.length]): Tensor {
  const e = table.engine;
  if (table.rank !== 2) throw new RangeError(`gather needs a 2-D table, got ${shapeString(table.shape)}`);
  const [rows, dim] = table.shape as [number, number];
  const out = e.empty([...idsShape, dim]);
  if (out.size !== ids.length * dim) throw new RangeError(`ids shape ${shapeString(idsShape)} does not hold ${ids.length} ids`);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id < 0 || id >= rows) throw new RangeError(`id ${id} out of range [0, ${rows})`);
    out.data.set(table.data.subarray(id * dim, (id + 1) * dim), i * dim);
  }
  const saved = Int32Array.from(ids);
  e.record([out], [table], () => {
    const g = out.grad!;
    const gt = e.gradOf(table)!;
    for (let i = 0; i < saved.length; i++) {
      const o = saved[i]! * dim;
      for (let j = 0; j < dim; j++) gt[o + j] = gt[o + j]! + g[i * dim + j]!;
    }
  });
  return out;
}
