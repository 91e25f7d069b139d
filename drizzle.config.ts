import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a new SQL migration from src/store/schema; migrations are committed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/schema/index.ts',
  out: './src/store/migrations',
});
