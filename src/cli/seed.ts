// npm run db:seed — upserts the curated dataset in seed/resources (unchanged entries are left alone).
import { seedCuratedDataset } from '../resources/seed.js';
import { runCli } from './context.js';

await runCli(({ database, places, vocabulary }) => {
  const report = seedCuratedDataset(database, { places, vocabulary });
  process.stderr.write(
    `seeded: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ` +
      `${report.inventories} inventories\n`,
  );
});
