import { defineConfig } from 'drizzle-kit';

// Migrations are generated, reviewed and committed: `npx drizzle-kit generate --name verb_noun`.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './migrations',
});
