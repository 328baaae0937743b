// A built read model saved to a file, so that a process can start from it instead of building for seconds:
// the base index and coverage's support index as plain values (v8's serialiser keeps typed arrays, Maps
// and shared objects as they are), encrypted with AES-256-GCM under a key kept in the database.
//
// Why encrypted: a model holds every public address as it was when built. When an address is withdrawn
// (its location made confidential), the write that scrubs it from history also deletes the key
// (src/resources/history.ts), in the same transaction, so every model file saved before is unreadable
// from that commit on — even one a builder is still writing from an older read, or a copy nobody knows
// of. (The process that withdrew it also removes the files it knows of and ends a build under way:
// store.ts `abortBuild`.) The key and the rows a model is built from are read in one transaction.
//
// A model file is only used for the database it was built from and by the code that built it: it records
// the code's fingerprint, the dataset version and a digest of every resource's id, version and update
// time, and `readSnapshot` refuses it unless all three match.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import type Database from 'better-sqlite3';
import { SupportIndex, type SupportIndexParts } from '../coverage/support-index.js';
import { fromSources, projectRoot } from '../paths.js';
import { BaseIndex, type BaseParts, ResourceIndex } from '../resources/index.js';
import type { ReadModel } from './store.js';

const magic = Buffer.from('stodkartan read model 1\n');
const ivBytes = 12;
const tagBytes = 16;
/** Larger than any model this service holds (about 140 MB at 100 000 resources), smaller than a Buffer may be. */
const maxModelBytes = 2 ** 31 - 1;

interface Saved {
  fingerprint: string;
  version: number;
  historyId: number;
  digest: string;
  base: BaseParts;
  support: SupportIndexParts;
}

let codeHash: Promise<string> | undefined;

/** The hash of the sources dist/ is built from: recorded there by `npm run build`, or made from src/. */
async function sourcesHash(): Promise<string> {
  const recorded = join(projectRoot, 'dist', '.sources-hash');
  if (!fromSources) {
    if (existsSync(recorded)) return readFileSync(recorded, 'utf8');
    // A dist/ not made by `npm run build` (no recorded hash): the compiled files themselves.
    return hashOfFiles(join(projectRoot, 'dist'));
  }
  // The build's own hash function (a path, not an import: scripts/ is not part of the compiled program).
  const script = pathToFileURL(join(projectRoot, 'scripts', 'sources-hash.mjs')).href;
  const { sourcesHash } = (await import(script)) as { sourcesHash: () => string };
  return sourcesHash();
}

function hashOfFiles(directory: string): string {
  const hash = createHash('sha256');
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(`${path}\0`).update(readFileSync(path)).update('\0');
    }
  };
  walk(directory);
  return hash.digest('hex');
}

/**
 * What a saved model depends on beside the data: the code that built it (the hash of the sources, the same
 * whether it runs from dist/ or from src/), the V8 that serialised it (another may not read it back) and the
 * reference data (its fingerprint, which reference-data.ts keeps in the database's user_version).
 */
export async function modelFingerprint(sqlite: Database.Database): Promise<string> {
  codeHash ??= sourcesHash();
  return `${await codeHash}:${process.versions.v8}:${sqlite.pragma('user_version', { simple: true })}`;
}

/** The key model files are encrypted with, made on first use (a write only then). */
export function snapshotKey(sqlite: Database.Database): Buffer {
  const key = readKey(sqlite);
  if (key) return key;
  sqlite.prepare('INSERT OR IGNORE INTO read_model_key (id, key) VALUES (1, ?)').run(randomBytes(32));
  return readKey(sqlite) as Buffer;
}

export function readKey(sqlite: Database.Database): Buffer | undefined {
  const row = sqlite.prepare('SELECT key FROM read_model_key WHERE id = 1').get() as
    | { key: Buffer }
    | undefined;
  return row?.key;
}

/**
 * A digest of every resource's id, version and update time: two databases with the same digest hold the
 * same resources in the same versions (a restored backup that has since taken other writes does not).
 */
export function resourcesDigest(sqlite: Database.Database): string {
  // One string made by SQLite (a call per row from JavaScript costs several times more at 100 000 rows), in
  // id order from the covering index resources_version_idx.
  const rows = sqlite
    .prepare(
      `SELECT group_concat(id || char(0) || version || char(0) || updated_at, char(10))
         FROM (SELECT id, version, updated_at FROM resources ORDER BY id)`,
    )
    .pluck()
    .get() as string | null;
  return createHash('sha256')
    .update(rows ?? '')
    .digest('hex');
}

/** What a model file needs beside the model, read in the same transaction as the model's rows. */
export interface SnapshotStamp {
  digest: string;
  key: Buffer;
}

/** Writes the model to `path` (through a temporary file and a rename: a reader never sees half of one). */
export function writeSnapshot(path: string, model: ReadModel, stamp: SnapshotStamp, fingerprint: string) {
  const saved: Saved = {
    fingerprint,
    version: model.version,
    historyId: model.historyId,
    digest: stamp.digest,
    base: model.resources.base.toParts(),
    support: model.support.toParts(),
  };
  const plain = v8.serialize(saved);
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', stamp.key, iv);
  cipher.setAAD(magic);
  const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, Buffer.concat([magic, iv, cipher.getAuthTag(), encrypted]));
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

export type SnapshotRefusal = 'missing' | 'unreadable' | 'other-code' | 'other-data';

/**
 * The model saved at `path`, if it was saved by this code (`fingerprint`) under `key`; otherwise why not.
 * `expect` is the version and digest the model must have (read with the key, in one transaction), or
 * undefined to take the model whatever its version (a builder's fresh output, which the caller brings up to
 * date). Decrypts a piece at a time, letting other work run in between.
 */
export async function readSnapshot(
  path: string,
  key: Buffer | undefined,
  fingerprint: string,
  expect: { version: number; digest: string } | undefined,
): Promise<ReadModel | SnapshotRefusal> {
  if (!key) return 'unreadable';
  const plain = await decrypt(path, key);
  if (typeof plain === 'string') return plain;
  try {
    const saved = v8.deserialize(plain) as Saved;
    if (saved.fingerprint !== fingerprint) return 'other-code';
    if (expect && (saved.version !== expect.version || saved.digest !== expect.digest)) return 'other-data';
    // Node's deserialiser makes typed arrays views into the buffer it reads, which holds the strings' bytes
    // too: copies of their own let that buffer go.
    ownArrays(saved.base);
    ownArrays(saved.base.documents);
    ownArrays(saved.support);
    return {
      version: saved.version,
      historyId: saved.historyId,
      resources: new ResourceIndex(BaseIndex.fromParts(saved.base), saved.version),
      support: SupportIndex.fromParts(saved.support),
    };
  } catch {
    // Authenticated but not readable by this code (another serialiser, another shape): built anew.
    return 'unreadable';
  }
}

/**
 * The file's plaintext, decrypted a piece at a time into one buffer (never the whole file and the whole
 * plaintext at once), or why it cannot be read: another key means the file was saved before an address
 * was withdrawn (or from another database), and it must not be read.
 */
async function decrypt(path: string, key: Buffer): Promise<Buffer | SnapshotRefusal> {
  let file: number;
  try {
    file = openSync(path, 'r');
  } catch {
    return 'missing';
  }
  try {
    const headerBytes = magic.length + ivBytes + tagBytes;
    const size = fstatSync(file).size;
    const header = Buffer.alloc(headerBytes);
    if (size < headerBytes || readAt(file, header, headerBytes, 0) !== headerBytes) return 'unreadable';
    if (!header.subarray(0, magic.length).equals(magic)) return 'unreadable';
    const decipher = createDecipheriv(
      'aes-256-gcm',
      key,
      header.subarray(magic.length, magic.length + ivBytes),
    );
    decipher.setAAD(magic);
    decipher.setAuthTag(header.subarray(magic.length + ivBytes));
    // The size is not authenticated yet: a file larger than any model is refused before allocating it.
    if (size - headerBytes > maxModelBytes) return 'unreadable';
    const plain = Buffer.allocUnsafe(size - headerBytes);
    // A file cut short while being read, or a directory where the file should be: unreadable, not a crash.
    const piece = Buffer.allocUnsafe(1 << 22);
    for (let at = 0; at < plain.length; ) {
      const read = readAt(file, piece, Math.min(piece.length, plain.length - at), headerBytes + at);
      if (read <= 0) return 'unreadable';
      decipher.update(piece.subarray(0, read)).copy(plain, at);
      at += read;
      // A read in the background (after a rebuild) must not hold requests up for the whole file.
      await new Promise((resolve) => setImmediate(resolve));
    }
    try {
      decipher.final();
    } catch {
      return 'unreadable';
    }
    return plain;
  } finally {
    closeSync(file);
  }
}

/** Reads up to `length` bytes at `position`; −1 when the file cannot be read there (a directory). */
function readAt(file: number, into: Buffer, length: number, position: number): number {
  try {
    return readSync(file, into, 0, length, position);
  } catch {
    return -1;
  }
}

/** Replaces each typed array among an object's values (and a Map's values among them) by a copy. */
function ownArrays(record: object): void {
  const values = record as Record<string, unknown>;
  for (const [name, value] of Object.entries(values)) {
    if (ArrayBuffer.isView(value)) values[name] = (value as Uint8Array).slice();
    else if (value instanceof Map)
      for (const [key, item] of value)
        if (ArrayBuffer.isView(item)) value.set(key, (item as Uint8Array).slice());
  }
}
