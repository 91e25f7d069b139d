import { bigint, timestamp } from 'drizzle-orm/pg-core';

/** Money: integer micro-units of the workspace currency (1 unit = 1,000,000). Never floats. */
export const micros = (name: string) => bigint(name, { mode: 'number' });

/** A timestamp with time zone, read as a JS Date. */
export const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** `created_at` defaulting to the database clock. */
export const createdAt = () => at('created_at').notNull().defaultNow();
