export { AdminTokens } from './admin-tokens.js';
export { hashSecret, newSecret, digestsEqual } from './secrets.js';
