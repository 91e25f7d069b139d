import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseInput as parseRequestInput, QudaoError } from '../../errors/index.js';

/**
 * Parses request input (body, query) with a zod schema. A mismatch is QD_INVALID_REQUEST whose `param`
 * names the field and whose message says what it must be, e.g. `accounts: must be at least 0 (got -1)`.
 */
export const parseInput = parseRequestInput;

/** Throws QD_FORBIDDEN unless the caller is an admin (partner users may not use strategy admin routes). */
export function requireAdminCaller(request: FastifyRequest): void {
  if (request.principal?.kind !== 'admin') throw new QudaoError('QD_FORBIDDEN', 'this route is for administrators');
}

/** A named route parameter (`:id`, `:code`, ...). */
export function routeParam(request: FastifyRequest, name = 'id'): string {
  return (request.params as Record<string, string>)[name] ?? '';
}

/** True when a database error is a unique-constraint violation (PostgreSQL SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/** Runs an insert or update, turning a unique violation into QD_CONFLICT naming `what`. */
export async function uniquely<T>(what: string, param: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw new QudaoError('QD_CONFLICT', `${what} already exists`, { param });
    throw err;
  }
}

/** Throws QD_NOT_FOUND naming the missing thing unless `row` is defined. */
export function found<T>(row: T | undefined, what: string): T {
  if (row === undefined) throw new QudaoError('QD_NOT_FOUND', `no ${what}`);
  return row;
}

/** Integer micro-units of money, ≥ 0. */
export const microsSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** An ISO-8601 timestamp with offset, e.g. `2026-01-31T00:00:00Z`. */
export const isoTimeSchema = z.iso.datetime({ offset: true });

/** The promotion channels (推广渠道) named in the design; other lower-case slugs are accepted too. */
export const PROMOTION_CHANNELS = ['search_ads', 'social', 'content', 'events', 'community', 'marketplace', 'co_marketing'] as const;

/** A promotion channel id: one of {@link PROMOTION_CHANNELS} or another lower-case slug. */
export const promotionChannelSchema = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'use lower-case letters, digits and _ (e.g. search_ads)');

/**
 * Registers admin-only routes in their own encapsulated scope, whose `onRequest` hook refuses any caller
 * but an admin (QD_FORBIDDEN; the server's `/api` guard has already answered 401 to anonymous callers). A
 * scoped hook, unlike a global one, costs other routes — the `/v1` gateway's hot path — nothing.
 */
export function adminRoutes(app: FastifyInstance, register: (scope: FastifyInstance) => void): void {
  void app.register(async (scope) => {
    scope.addHook('onRequest', async (req) => requireAdminCaller(req));
    register(scope);
  });
}
