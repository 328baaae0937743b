// npm run db:import -- FILE — imports a JSON dataset: an array of resources or
// { "inventories": [...], "resources": [...] }. Validated entry by entry; all or nothing.
import { parseDataset, readJsonFile } from '../resources/dataset.js';
import { runCli } from './context.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: npm run db:import -- FILE.json\n');
  process.exit(2);
}

await runCli(async ({ store, places, vocabulary }) => {
  const now = new Date();
  const dataset = parseDataset(readJsonFile(file), file, {
    places,
    vocabulary,
    today: now.toISOString().slice(0, 10),
  });
  const report = await store.resources.importDataset(dataset, { tokenName: null, at: now });
  process.stderr.write(
    `imported ${file}: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ` +
      `${report.inventories} inventories\n`,
  );
});
