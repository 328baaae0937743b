import { defineConfig } from 'drizzle-kit';

// The PostgreSQL store's migrations, generated, reviewed and committed like SQLite's:
// `npm run db:generate:pg -- --name verb_noun`. No database is needed to generate them.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/postgres/schema.ts',
  out: './migrations-pg',
});
