import { sql } from 'drizzle-orm';
import type { Database } from './database.js';
import { newId } from './ids.js';

/**
 * Starts a customer's plan history with `planId` from `startsAt`, if it has none yet: a customer's first key
 * (issued by an admin or through a partner) decides the plan its invoices bill fees and rates from, until
 * the plan is changed (`POST /api/customers/:id/plans`).
 */
export async function startPlanHistory(db: Database, customerId: string, planId: string, startsAt: Date): Promise<void> {
  await db.execute(sql`INSERT INTO customer_plans (id, customer_id, plan_id, starts_at)
    SELECT ${newId('cpl')}, ${customerId}, ${planId}, ${startsAt.toISOString()}
     WHERE NOT EXISTS (SELECT 1 FROM customer_plans WHERE customer_id = ${customerId})`);
}
