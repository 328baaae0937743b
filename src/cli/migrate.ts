// npm run db:migrate — applies the schema migrations and the reference data. Idempotent.
import { runCli } from './context.js';

await runCli(({ places }) => {
  process.stderr.write(
    `migrated: ${places.counties.size} counties, ${places.municipalities.size} municipalities\n`,
  );
});
