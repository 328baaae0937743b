// Generates (or reuses) the benchmark's synthetic database for one count and prints where it is and how
// long the import took, without running the benchmark (`npm run bench:generate -- 100000`).
import { ensureBenchDatabase } from './database.js';

const count = Number(process.argv[2] ?? '100000');
if (!Number.isInteger(count) || count < 1 || count > 1_000_000) {
  console.error('usage: npm run bench:generate -- COUNT (1–1 000 000)');
  process.exit(2);
}
const database = ensureBenchDatabase(count, (line) => console.log(line));
console.log(JSON.stringify(database));
