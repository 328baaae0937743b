// Loads the curated dataset (seed/resources) into a database: on first start, and by `npm run db:seed`.
import type { OpenDatabase } from '../db/client.js';
import type { Places } from '../places/places.js';
import type { Vocabulary } from '../vocabulary/vocabulary.js';
import { type DatasetReport, parseCuratedDataset, storeDataset } from './dataset.js';

export function seedCuratedDataset(
  database: OpenDatabase,
  reference: { places: Places; vocabulary: Vocabulary },
  now: Date = new Date(),
): DatasetReport {
  const dataset = parseCuratedDataset({ ...reference, today: now.toISOString().slice(0, 10) });
  return storeDataset(database, dataset, now.toISOString());
}
