export { AdminTokens, ADMIN_TOKEN_KIND, TOKENS_CHANNEL, type AdminPrincipal } from './admin-tokens.js';
export { TeamService, ADMIN_SESSION_KIND, type AdminSession } from './team.js';
export { hashSecret, newSecret, digestsEqual } from './secrets.js';
export { cookieValue, safePercentDecode } from './cookies.js';
export { hashPassword, verifyPassword } from './passwords.js';
export { LoginThrottle } from './login-throttle.js';
