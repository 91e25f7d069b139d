/**
 * The cache-invalidation channel, declared once: every replica's gateway cache (keys, plans, customers,
 * deployments) LISTENs on it, and any process that changes one of those tables NOTIFYs it. Any payload
 * makes a listener reload.
 */
export const CACHE_CHANNEL = 'qudao_cache';
