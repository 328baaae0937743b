// Loads the reference data in seed/reference (places and vocabulary) into the database. The files are
// the source of truth: a corrected file reaches an existing database on its next start. Parsing them (the
// boundaries are 800 kB of GeoJSON) is most of a start's work, so a start whose files hash the same as those
// last loaded skips it: the hash's first 31 bits are kept in SQLite's `user_version`, a header field SQLite
// leaves to the application (drizzle's migrations keep their own table and do not use it).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { projectRoot } from '../paths.js';

const referenceDir = join(projectRoot, 'seed', 'reference');

/** A positive 31-bit fingerprint of the reference files' bytes (user_version is a signed 32-bit integer). */
function referenceFingerprint(): number {
  const hash = createHash('sha256');
  // Every file in the folder, not a list kept beside the loader: a file added there cannot be missed.
  for (const file of readdirSync(referenceDir).sort())
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(referenceDir, file)));
  return hash.digest().readUInt32BE(0) >>> 1;
}

function readCsv(file: string): Record<string, string>[] {
  return parse(readFileSync(join(referenceDir, file), 'utf8'), { columns: true, skip_empty_lines: true });
}

interface VocabularyEntry {
  code: string;
  sv: string;
  en: string;
}
interface VocabularyFile {
  areas: VocabularyEntry[];
  roles: VocabularyEntry[];
  groups: VocabularyEntry[];
  kinds: VocabularyEntry[];
}
interface BoundaryFeature {
  properties: { municipality_code: string };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
}

/** The reference data as rows, read and checked from the files: one reading for both stores. */
export interface ReferenceData {
  counties: { code: string; name: string; shortName: string }[];
  subregions: { code: string; name: string; countyCode: string }[];
  municipalities: {
    code: string;
    name: string;
    officialName: string;
    countyCode: string;
    subregionCode: string | null;
    seatLat: number;
    seatLon: number;
    population2016: number;
    /** GeoJSON geometry as text. */
    boundary: string;
  }[];
  /** Per table (`areas`, `roles`, `target_groups`, `kinds`), the entries in their order. */
  vocabulary: { table: 'areas' | 'roles' | 'target_groups' | 'kinds'; entries: VocabularyEntry[] }[];
}

export function readReferenceData(): ReferenceData {
  const subregions = readCsv('subregion-codes.csv');
  const subregionByName = new Map(subregions.map((s) => [s.name, s.code]));
  const membership = new Map(readCsv('subregions.csv').map((m) => [m.municipality_code, m.subregion]));
  const boundaries = new Map(
    (
      JSON.parse(readFileSync(join(referenceDir, 'municipality-boundaries.geojson'), 'utf8')) as {
        features: BoundaryFeature[];
      }
    ).features.map((f) => [f.properties.municipality_code, JSON.stringify(f.geometry)]),
  );
  const vocabulary = JSON.parse(
    readFileSync(join(referenceDir, 'vocabulary.json'), 'utf8'),
  ) as VocabularyFile;
  return {
    counties: readCsv('counties.csv').map((c) => ({
      code: c.county_code as string,
      name: c.county_name as string,
      shortName: c.county_name_short as string,
    })),
    subregions: subregions.map((s) => ({
      code: s.code as string,
      name: s.name as string,
      countyCode: s.county_code as string,
    })),
    municipalities: readCsv('municipalities.csv').map((m) => {
      const code = m.municipality_code as string;
      const boundary = boundaries.get(code);
      if (!boundary) throw new Error(`seed/reference: no boundary for municipality ${code}`);
      const subregionName = membership.get(code);
      const subregion = subregionName === undefined ? null : subregionByName.get(subregionName);
      if (subregion === undefined) throw new Error(`seed/reference: unknown subregion ${subregionName}`);
      return {
        code,
        name: m.name as string,
        officialName: m.official_name as string,
        countyCode: m.county_code as string,
        subregionCode: subregion,
        seatLat: Number(m.seat_lat),
        seatLon: Number(m.seat_lon),
        population2016: Number(m.population_2016),
        boundary,
      };
    }),
    vocabulary: [
      { table: 'areas', entries: vocabulary.areas },
      { table: 'roles', entries: vocabulary.roles },
      { table: 'target_groups', entries: vocabulary.groups },
      { table: 'kinds', entries: vocabulary.kinds },
    ],
  };
}

export function loadReferenceData(sqlite: Database.Database): void {
  const fingerprint = referenceFingerprint();
  if (sqlite.pragma('user_version', { simple: true }) === fingerprint) return;
  const reference = readReferenceData();
  const upsertCounty = sqlite.prepare(
    `INSERT INTO counties (code, name, short_name) VALUES (?, ?, ?)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, short_name = excluded.short_name`,
  );
  const upsertSubregion = sqlite.prepare(
    `INSERT INTO subregions (code, name, county_code) VALUES (?, ?, ?)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, county_code = excluded.county_code`,
  );
  const upsertMunicipality = sqlite.prepare(
    `INSERT INTO municipalities
       (code, name, official_name, county_code, subregion_code, seat_lat, seat_lon, population_2016, boundary)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, official_name = excluded.official_name,
       county_code = excluded.county_code, subregion_code = excluded.subregion_code,
       seat_lat = excluded.seat_lat, seat_lon = excluded.seat_lon,
       population_2016 = excluded.population_2016, boundary = excluded.boundary`,
  );
  const upsertVocabulary = (table: string) =>
    sqlite.prepare(
      `INSERT INTO ${table} (code, label_sv, label_en, position) VALUES (?, ?, ?, ?)
       ON CONFLICT (code) DO UPDATE SET label_sv = excluded.label_sv, label_en = excluded.label_en,
         position = excluded.position`,
    );

  sqlite.transaction(() => {
    for (const c of reference.counties) upsertCounty.run(c.code, c.name, c.shortName);
    for (const s of reference.subregions) upsertSubregion.run(s.code, s.name, s.countyCode);
    for (const m of reference.municipalities) {
      upsertMunicipality.run(
        m.code,
        m.name,
        m.officialName,
        m.countyCode,
        m.subregionCode,
        m.seatLat,
        m.seatLon,
        m.population2016,
        m.boundary,
      );
    }
    for (const { table, entries } of reference.vocabulary) {
      const upsert = upsertVocabulary(table);
      for (const [position, entry] of entries.entries()) upsert.run(entry.code, entry.sv, entry.en, position);
    }
    // In the same transaction: a start that fails half-way loads the files again on the next.
    sqlite.pragma(`user_version = ${fingerprint}`);
  })();
}
