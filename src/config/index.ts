export { loadConfig, type ConfigSources } from './load.js';
export { settings, DEFAULT_SERVER_URL, type Config, type SettingName } from './schema.js';
export { environmentSecret } from './environment.js';
