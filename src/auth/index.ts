export { AdminTokens } from './admin-tokens.js';
export { hashSecret, newSecret, digestsEqual } from './secrets.js';
export { cookieValue, safePercentDecode } from './cookies.js';
