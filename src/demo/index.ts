/**
 * The demo workspace: a seeded, reproducible 12-month history of an AI-model startup selling through
 * channels, written through the same tables and ledger INSERT as the real thing.
 */
export { generateDemo, DEMO_SETTING, type DemoOptions, type DemoSummary } from './simulate.js';
export { ledgerSink, type UsageSink } from './ledger.js';
export { DemoRandom } from './random.js';
export { StartupDemo, workspaceIsEmpty, type DemoState, type DemoLog } from './startup.js';
