// Worker thread of the strategy method pool (method-pool.ts). Plain JavaScript, so it starts without a
// TypeScript loader; it registers tsx's loader itself to import the methods (TypeScript sources).
// Protocol: the parent posts { id, method, args }; the worker answers { id, value } or
// { id, error: { message, code, details } } (a StrategyInputError keeps its code), one task at a time.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { offloadedMethods } = await import('./offloaded-methods.ts');

parentPort.on('message', ({ id, method, args }) => {
  try {
    if (!Object.hasOwn(offloadedMethods, method)) throw new Error(`no offloaded method ${method}`);
    parentPort.postMessage({ id, value: offloadedMethods[method](...args) });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    parentPort.postMessage({ id, error: { message: e.message, code: e.code, details: e.details } });
  }
});
parentPort.postMessage({ ready: true });
