export { buildServer, type ServerOptions, type RouteEntry } from './server.js';
export type { Services } from './services.js';
export { createMetrics } from './metrics.js';
export { bearerToken, type Principal, type PrincipalResolver } from './admin-auth.js';
export { readLocalServer, writeLocalServer, removeLocalServer, connectableUrl, LOCAL_SERVER_FILE, localCliTokenName, type LocalServer } from './local-server.js';
