// A dataset file: either an array of resources or `{ inventories: [...], resources: [...] }`. Used by the
// curated seed, `db:import` and start-up. Validated entry by entry; stored all-or-nothing.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Compile } from 'typebox/compile';
import { forgetWithdrawnData, type OpenDatabase, withImportCache } from '../db/client.js';
import { datasetVersion } from '../db/dataset-version.js';
import { OpeningHoursSchema } from '../hours/schedule.js';
import type { ProblemDetail } from '../http/problem.js';
import { projectRoot } from '../paths.js';
import type { Places } from '../places/places.js';
import { saveInventory } from '../places/repository.js';
import { type JournalEntry, recordWrite } from '../read-model/journal.js';
import type { Vocabulary } from '../vocabulary/vocabulary.js';
import { recordChange } from './history.js';
import { getResources, type SaveOutcome, saveResource } from './repository.js';
import {
  CellSchema,
  FactSourceSchema,
  type InventoryInput,
  InventoryInputSchema,
  ResourceInputSchema,
} from './schemas.js';
import { type NormalizedResource, validateResource } from './validation.js';

const checkResource = Compile(
  { Cell: CellSchema, FactSource: FactSourceSchema, OpeningHours: OpeningHoursSchema },
  ResourceInputSchema,
);
const checkInventory = Compile(InventoryInputSchema);

export class DatasetError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

export interface DatasetReport {
  inventories: number;
  created: number;
  updated: number;
  unchanged: number;
}

export interface ParsedDataset {
  inventories: InventoryInput[];
  resources: NormalizedResource[];
}

const describe = (prefix: string, detail: { pointer?: string; reason: string }) =>
  `${prefix}${detail.pointer ?? ''}: ${detail.reason}`;

/** Validates a parsed JSON dataset, naming the entry index and field of every problem. */
export function parseDataset(
  data: unknown,
  source: string,
  context: { places: Places; vocabulary: Vocabulary; today: string },
): ParsedDataset {
  const problems: string[] = [];
  let resourceEntries: unknown[] = [];
  let inventoryEntries: unknown[] = [];
  if (Array.isArray(data)) resourceEntries = data;
  else if (data !== null && typeof data === 'object') {
    const { resources, inventories, ...rest } = data as Record<string, unknown>;
    for (const key of Object.keys(rest))
      problems.push(`/${key}: unknown property (expected inventories, resources)`);
    if (resources !== undefined && !Array.isArray(resources)) problems.push('/resources: must be an array');
    if (inventories !== undefined && !Array.isArray(inventories))
      problems.push('/inventories: must be an array');
    resourceEntries = Array.isArray(resources) ? resources : [];
    inventoryEntries = Array.isArray(inventories) ? inventories : [];
  } else
    problems.push('the file must hold an array of resources or { "inventories": [...], "resources": [...] }');

  const inventories: InventoryInput[] = [];
  inventoryEntries.forEach((entry, i) => {
    if (!checkInventory.Check(entry)) {
      for (const e of checkInventory.Errors(entry))
        problems.push(`inventories[${i}]${e.instancePath}: ${e.message}`);
      return;
    }
    if (!context.places.counties.has(entry.county)) {
      problems.push(`inventories[${i}]/county: unknown county '${entry.county}'`);
    }
    entry.notAssessed?.forEach((pattern, p) => {
      for (const [axis, vocabularyAxis] of [
        ['area', 'areas'],
        ['role', 'roles'],
        ['group', 'groups'],
      ] as const) {
        const code = pattern[axis];
        if (code !== undefined && !context.vocabulary.has(vocabularyAxis, code))
          problems.push(`inventories[${i}]/notAssessed/${p}/${axis}: unknown ${axis} '${code}'`);
      }
    });
    inventories.push(entry);
  });

  const resources: NormalizedResource[] = [];
  const ids = new Map<string, number>();
  resourceEntries.forEach((entry, i) => {
    const at = `resources[${i}]`;
    if (!checkResource.Check(entry)) {
      for (const e of checkResource.Errors(entry)) {
        problems.push(describe(at, { pointer: e.instancePath, reason: e.message }));
      }
      return;
    }
    if (entry.id === undefined) {
      problems.push(
        `${at}/id: is required in a dataset file, so that a re-import updates instead of duplicating`,
      );
      return;
    }
    const earlier = ids.get(entry.id);
    if (earlier !== undefined) problems.push(`${at}/id: the same id as resources[${earlier}]`);
    ids.set(entry.id, i);
    const result = validateResource(entry, { ...context, newId: randomUUID });
    if (result.ok) resources.push(result.resource);
    else for (const e of result.errors as ProblemDetail[]) problems.push(describe(at, e));
  });

  if (problems.length > 0) throw new DatasetError(source, problems);
  return { inventories, resources };
}

/** Stores a validated dataset in one transaction: everything or nothing. */
export function storeDataset(database: OpenDatabase, dataset: ParsedDataset, now: string): DatasetReport {
  const { receipt: _receipt, ...report } = storeDatasetWithReceipt(database, dataset, now);
  return report;
}

/** `storeDataset`, also saying what it wrote (the store's `importDataset`: src/db/sqlite/resource-store.ts). */
export function storeDatasetWithReceipt(
  database: OpenDatabase,
  dataset: ParsedDataset,
  now: string,
): DatasetReport & { receipt: JournalEntry } {
  const report: DatasetReport = {
    inventories: dataset.inventories.length,
    created: 0,
    updated: 0,
    unchanged: 0,
  };
  const written: string[] = [];
  let scrubbed = false;
  let from = 0;
  // IMMEDIATE: the write lock from the start, waiting for another writer (busy_timeout). A deferred
  // transaction reads first, and when another process commits before its first write, SQLite refuses the
  // upgrade at once (SQLITE_BUSY) instead of waiting: seen when an import ran beside a server's writes.
  withImportCache(database.sqlite, () =>
    database.db.transaction(
      (tx) => {
        from = datasetVersion(database.sqlite);
        for (const inventory of dataset.inventories) saveInventory(tx, inventory);
        // In id order, so that consecutive inserts land in the same pages of every index keyed by the id (a
        // fifth less work at 30 000 resources). A batch at a time: the entries as they stood, saved, then
        // each change recorded in the history (and so in the change feed) like a change through the API,
        // without a token.
        const resources = dataset.resources.toSorted((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        for (let i = 0; i < resources.length; i += historyBatch) {
          const batch = resources.slice(i, i + historyBatch);
          const before = new Map(
            getResources(
              tx,
              batch.map((r) => r.id),
            ).map((r) => [r.id, r]),
          );
          const changed = batch.filter((resource) => {
            const outcome: SaveOutcome = saveResource(tx, resource, now);
            report[outcome] += 1;
            return outcome !== 'unchanged';
          });
          for (const after of getResources(
            tx,
            changed.map((r) => r.id),
          )) {
            const was = before.get(after.id);
            const action = was ? 'update' : 'create';
            // An import may make a location confidential that the API once published: recordChange scrubs it, and
            // says whether an address left the history (a fresh import, or a shelter confidential all along: no).
            if (recordChange(tx, { resourceId: after.id, at: now, tokenName: null, action }, was, after))
              scrubbed = true;
            written.push(after.id);
          }
        }
      },
      { behavior: 'immediate' },
    ),
  );
  const receipt = { from, to: datasetVersion(database.sqlite), ids: written };
  recordWrite(database.sqlite, receipt);
  if (scrubbed) forgetWithdrawnData(database);
  return { ...report, receipt };
}

/** How many entries an import reads, saves and records at a time. */
const historyBatch = 500;

export function readJsonFile(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DatasetError(path, [`not valid JSON: ${(error as Error).message}`]);
  }
}

export const curatedDatasetDir = join(projectRoot, 'seed', 'resources');

/** The curated dataset: every JSON file in seed/resources, each validated under its own name. */
export function parseCuratedDataset(context: Parameters<typeof parseDataset>[2]): ParsedDataset {
  const merged: ParsedDataset = { inventories: [], resources: [] };
  const problems: string[] = [];
  for (const file of readdirSync(curatedDatasetDir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const path = join(curatedDatasetDir, file);
    try {
      const parsed = parseDataset(readJsonFile(path), `seed/resources/${file}`, context);
      merged.inventories.push(...parsed.inventories);
      merged.resources.push(...parsed.resources);
    } catch (error) {
      if (!(error instanceof DatasetError)) throw error;
      problems.push(...error.problems.map((p) => `${error.source} ${p}`));
    }
  }
  const seen = new Set<string>();
  for (const resource of merged.resources) {
    if (seen.has(resource.id)) problems.push(`id ${resource.id} appears in more than one file`);
    seen.add(resource.id);
  }
  if (problems.length > 0) throw new DatasetError('seed/resources', problems);
  return merged;
}
