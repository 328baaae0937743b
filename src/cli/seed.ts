// npm run db:seed — upserts the curated dataset in seed/resources (unchanged entries are left alone).
import { parseCuratedDataset } from '../resources/dataset.js';
import { runCli } from './context.js';

await runCli(async ({ store, places, vocabulary }) => {
  const now = new Date();
  const dataset = parseCuratedDataset({ places, vocabulary, today: now.toISOString().slice(0, 10) });
  const report = await store.resources.importDataset(dataset, { tokenName: null, at: now });
  process.stderr.write(
    `seeded: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ` +
      `${report.inventories} inventories\n`,
  );
});
