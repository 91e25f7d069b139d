-- The token counts of a final invoice, as computed when it was frozen: allowance, used, beyond the allowance.
ALTER TABLE invoices ADD COLUMN included_tokens bigint DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE invoices ADD COLUMN used_tokens bigint DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE invoices ADD COLUMN overage_tokens bigint DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- Customers from before plan history: their first key's plan, from when they were acquired.
INSERT INTO customer_plans (id, customer_id, plan_id, starts_at)
SELECT 'cpl_' || c.id, c.id, k.plan_id, c.acquired_at
  FROM customers c
  JOIN LATERAL (SELECT plan_id FROM api_keys WHERE customer_id = c.id ORDER BY created_at LIMIT 1) k ON true
 WHERE NOT EXISTS (SELECT 1 FROM customer_plans cp WHERE cp.customer_id = c.id);
