// Validation outside an app, for tests that write through a store directly: the places and vocabulary read once
// from a migrated SQLite database (the reference data both engines load), and an input normalised as the API
// would, or an Error naming what validation refused.
import { randomUUID } from 'node:crypto';
import type { Test } from 'tap';
import { migrateDatabase, openDatabase } from '../../src/db/client.js';
import { loadPlaces } from '../../src/places/places.js';
import type { ResourceInput } from '../../src/resources/schemas.js';
import { type NormalizedResource, validateResource } from '../../src/resources/validation.js';
import { loadVocabulary } from '../../src/vocabulary/vocabulary.js';

export function validation(t: Test, today: string) {
  const reference = openDatabase(`${t.testdir({})}/reference.db`);
  migrateDatabase(reference);
  const context = {
    places: loadPlaces(reference.db),
    vocabulary: loadVocabulary(reference.db),
    today,
    newId: randomUUID,
  };
  reference.close();
  const normalized = (input: ResourceInput): NormalizedResource => {
    const result = validateResource(input, context);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.resource;
  };
  return { context, normalized };
}
