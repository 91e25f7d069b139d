export { loadConfig, type ConfigSources } from './load.js';
export { settings, type Config, type SettingName } from './schema.js';
export { environmentSecret } from './environment.js';
