// A built read model saved to a file, so that a process can start from it instead of building for seconds:
// the base index and coverage's support index as plain values, encrypted with AES-256-GCM under a key kept
// in the database. The file is a run of sections, each encrypted and authenticated on its own: a header,
// the values less their typed arrays (v8's serialiser keeps Maps and shared objects as they are), then each
// typed array's bytes. Most of a model is typed arrays; a read decrypts each straight into the buffer the
// model keeps, so it holds at most one section's plaintext beside the model (the whole file's, 135 MB at
// 100 000 resources, with the model's copies of it, when the file was one section).
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
  writeSync,
} from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import type Database from 'better-sqlite3';
import { SupportIndex, type SupportIndexParts } from '../coverage/support-index.js';
import { fromSources, projectRoot } from '../paths.js';
import { BaseIndex, type BaseParts, ResourceIndex } from '../resources/index.js';
import type { ReadModel } from './store.js';

const magic = Buffer.from('stodkartan read model 2\n');
const fileIdBytes = 16;
const ivBytes = 12;
const tagBytes = 16;
/** Larger than any section this service writes (the largest is under 70 MB at 100 000 resources). */
const maxSectionBytes = 2 ** 31 - 1;
/**
 * Decrypted (and written) this many bytes at a time. Each piece's plaintext is a new buffer from Node, garbage
 * once copied: pieces of 4 MB left more freed memory in the process's heap than pieces of 64 kB.
 */
const pieceBytes = 1 << 16;
/** A read lets other work run after every this many bytes. */
const turnBytes = 1 << 22;

/** What the file's first section holds: what the model is of, and the list of the sections after it. */
interface Header {
  fingerprint: string;
  version: number;
  historyId: number;
  digest: string;
  /** The raw sections, in file order after the skeleton: where each goes in it and what it is. */
  arrays: { path: PathStep[]; type: ArrayType; byteLength: number }[];
}

/** A record's member name, or a Map's key. */
type PathStep = string | number;

/** The model's values less its typed arrays (which are sections of their own, raw): one v8-serialised section. */
interface Skeleton {
  base: BaseParts;
  support: SupportIndexParts;
}

/** The typed arrays a model holds, by name, and how one is made over a buffer of its own. */
const arrayTypes = {
  Uint8Array: (buffer: ArrayBuffer) => new Uint8Array(buffer),
  Int16Array: (buffer: ArrayBuffer) => new Int16Array(buffer),
  Uint16Array: (buffer: ArrayBuffer) => new Uint16Array(buffer),
  Uint32Array: (buffer: ArrayBuffer) => new Uint32Array(buffer),
  Float64Array: (buffer: ArrayBuffer) => new Float64Array(buffer),
  ArrayBuffer: (buffer: ArrayBuffer) => buffer,
} as const;
type ArrayType = keyof typeof arrayTypes;

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
 * whether it runs from dist/ or from src/), the V8 that serialised it (another may not read it back), the
 * byte order typed arrays are saved in, and the reference data (its fingerprint, which reference-data.ts keeps
 * in the database's user_version).
 */
export async function modelFingerprint(sqlite: Database.Database): Promise<string> {
  codeHash ??= sourcesHash();
  return `${await codeHash}:${process.versions.v8}:${endianness()}:${sqlite.pragma('user_version', { simple: true })}`;
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

/**
 * Writes the model to `path` (through a temporary file and a rename: a reader never sees half of one), as
 * sections each encrypted on its own: a header (what the model is of, and the list of sections), the model's
 * values less its typed arrays (v8-serialised), then each typed array's bytes as they are in memory. A reader
 * then holds one section's plaintext at a time, and a typed array is decrypted straight into its own buffer.
 */
export function writeSnapshot(path: string, model: ReadModel, stamp: SnapshotStamp, fingerprint: string) {
  const arrays: { path: PathStep[]; view: ArrayBufferView | ArrayBuffer }[] = [];
  const parts = { base: model.resources.base.toParts(), support: model.support.toParts() };
  const skeleton = withoutArrays(parts, [], arrays) as Skeleton;
  const header: Header = {
    fingerprint,
    version: model.version,
    historyId: model.historyId,
    digest: stamp.digest,
    arrays: arrays.map(({ path, view }) => ({ path, type: typeOf(view), byteLength: view.byteLength })),
  };
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const file = openSync(temporary, 'w');
    try {
      const fileId = randomBytes(fileIdBytes);
      writeAll(file, Buffer.concat([magic, fileId]));
      let index = 0;
      const section = (plain: Uint8Array) =>
        writeSection(file, plain, stamp.key, sectionData(fileId, index++));
      section(v8.serialize(header));
      section(v8.serialize(skeleton));
      for (const { view } of arrays)
        section(
          view instanceof ArrayBuffer
            ? new Uint8Array(view)
            : new Uint8Array(view.buffer, view.byteOffset, view.byteLength),
        );
    } finally {
      closeSync(file);
    }
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * What each section's tag also authenticates: the format, the file and the section's place in it. A section
 * moved from another file or to another place, or the file cut short after a section, is refused.
 */
function sectionData(fileId: Buffer, index: number): Buffer {
  const place = Buffer.alloc(4);
  place.writeUInt32LE(index);
  return Buffer.concat([magic, fileId, place]);
}

/** One section: its length, its IV, its ciphertext (encrypted a piece at a time) and its tag. */
function writeSection(file: number, plain: Uint8Array, key: Buffer, data: Buffer): void {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(data);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(plain.byteLength);
  writeAll(file, Buffer.concat([length, iv]));
  for (let at = 0; at < plain.byteLength; at += pieceBytes)
    writeAll(file, cipher.update(plain.subarray(at, Math.min(plain.byteLength, at + pieceBytes))));
  writeAll(file, cipher.final());
  writeAll(file, cipher.getAuthTag());
}

function writeAll(file: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.byteLength; ) at += writeSync(file, bytes, at);
}

/**
 * A copy of `value` with each typed array (and ArrayBuffer) among a record's values or a Map's values, down to
 * records within records, replaced by null and listed in `arrays` with where it was. Arrays (of strings, of
 * hours) are left as they are: they hold no typed arrays.
 */
function withoutArrays(
  value: unknown,
  path: PathStep[],
  arrays: { path: PathStep[]; view: ArrayBufferView | ArrayBuffer }[],
): unknown {
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    arrays.push({ path, view: value });
    return null;
  }
  if (value instanceof Map) {
    const out = new Map();
    for (const [key, item] of value) out.set(key, withoutArrays(item, [...path, key], arrays));
    return out;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value))
      out[name] = withoutArrays(item, [...path, name], arrays);
    return out;
  }
  return value;
}

function typeOf(view: ArrayBufferView | ArrayBuffer): ArrayType {
  if (view instanceof ArrayBuffer) return 'ArrayBuffer';
  // A Buffer is saved as the Uint8Array it is.
  const name = Buffer.isBuffer(view) ? 'Uint8Array' : view.constructor.name;
  if (!(name in arrayTypes)) throw new TypeError(`a read model holds no ${name}`);
  return name as ArrayType;
}

export type SnapshotRefusal = 'missing' | 'unreadable' | 'other-code' | 'other-data';

/**
 * The model saved at `path`, if it was saved by this code (`fingerprint`) under `key`; otherwise why not.
 * `expect` is the version and digest the model must have (read with the key, in one transaction), or
 * undefined to take the model whatever its version (a builder's fresh output, which the caller brings up to
 * date). Decrypts a section at a time and each a piece at a time, letting other work run in between; a typed
 * array is decrypted into a buffer of its own, which the model keeps.
 */
export async function readSnapshot(
  path: string,
  key: Buffer | undefined,
  fingerprint: string,
  expect: { version: number; digest: string } | undefined,
): Promise<ReadModel | SnapshotRefusal> {
  if (!key) return 'unreadable';
  let file: number;
  try {
    file = openSync(path, 'r');
  } catch {
    return 'missing';
  }
  try {
    const reader = new SectionReader(file, key);
    if (!reader.begin()) return 'unreadable';
    const headerBytes = await reader.next();
    if (!headerBytes) return 'unreadable';
    const header = deserialize(headerBytes) as Header | undefined;
    if (!header || !Array.isArray(header.arrays)) return 'unreadable';
    if (header.fingerprint !== fingerprint) return 'other-code';
    if (expect && (header.version !== expect.version || header.digest !== expect.digest)) return 'other-data';
    const skeletonBytes = await reader.next();
    if (!skeletonBytes) return 'unreadable';
    const skeleton = deserialize(skeletonBytes) as Skeleton | undefined;
    if (!skeleton) return 'unreadable';
    for (const { path: where, type, byteLength } of header.arrays) {
      const make = Object.hasOwn(arrayTypes, type) ? arrayTypes[type] : undefined;
      const bytes = make && (await reader.next(byteLength));
      if (!bytes) return 'unreadable';
      if (!place(skeleton, where, make(bytes.buffer as ArrayBuffer))) return 'unreadable';
    }
    if (!reader.atEnd()) return 'unreadable';
    return modelOf(header, skeleton);
  } catch {
    // Authenticated but not readable by this code (another serialiser, another shape): built anew.
    return 'unreadable';
  } finally {
    closeSync(file);
  }
}

/** v8's deserialiser on bytes this code wrote; undefined where it cannot read them. */
function deserialize(bytes: Uint8Array): unknown {
  try {
    return v8.deserialize(bytes);
  } catch {
    return undefined;
  }
}

/** Puts a typed array where the skeleton has null for it; false where the path leads nowhere. */
function place(skeleton: Skeleton, path: readonly PathStep[], value: unknown): boolean {
  let parent: unknown = skeleton;
  for (let i = 0; i < path.length - 1; i++) {
    const step = path[i] as PathStep;
    parent =
      parent instanceof Map
        ? parent.get(step)
        : parent !== null && typeof parent === 'object'
          ? (parent as Record<string, unknown>)[step]
          : undefined;
  }
  const last = path.at(-1);
  if (last === undefined) return false;
  if (parent instanceof Map && parent.get(last) === null) parent.set(last, value);
  else if (
    parent !== null &&
    typeof parent === 'object' &&
    (parent as Record<string, unknown>)[last] === null
  )
    (parent as Record<string, unknown>)[last] = value;
  else return false;
  return true;
}

/** The model from a read file, repeated strings made one. */
function modelOf(header: Header, { base, support }: Skeleton): ReadModel {
  return {
    version: header.version,
    historyId: header.historyId,
    resources: new ResourceIndex(BaseIndex.fromParts(base), header.version),
    support: SupportIndex.fromParts({
      ...support,
      // v8's deserialiser makes a string per occurrence: 100 000 copies of a few kinds and dates.
      kinds: interned(support.kinds),
      datedOn: interned(support.datedOn),
    }),
  };
}

function interned<T extends string | null>(list: readonly T[]): T[] {
  const seen = new Map<T, T>();
  return list.map((item) => {
    const kept = seen.get(item);
    if (kept !== undefined) return kept;
    seen.set(item, item);
    return item;
  });
}

/**
 * Reads a model file's sections in order, each authenticated before it is answered; null for a section that
 * is not there, not of the length expected, or not authentic (another key means the file was saved before an
 * address was withdrawn, or from another database: it must not be read).
 */
class SectionReader {
  private position = 0;
  private fileId = Buffer.alloc(0);
  private index = 0;
  private size = 0;
  private sinceTurn = 0;
  private readonly piece = Buffer.allocUnsafeSlow(pieceBytes);

  constructor(
    private readonly file: number,
    private readonly key: Buffer,
  ) {}

  /** Reads the format and the file's id; false when it is not a model file of this format. */
  begin(): boolean {
    try {
      this.size = fstatSync(this.file).size;
    } catch {
      return false;
    }
    const start = Buffer.alloc(magic.length + fileIdBytes);
    if (this.readAt(start, start.length) !== start.length) return false;
    if (!start.subarray(0, magic.length).equals(magic)) return false;
    this.fileId = start.subarray(magic.length);
    return true;
  }

  /** Bytes of the file not read yet. */
  get remaining(): number {
    return this.size - this.position;
  }

  /**
   * The next section's plaintext in a buffer of its own (an ArrayBuffer of exactly its length), if
   * authentic and, when `byteLength` is given, of that length.
   */
  async next(byteLength?: number): Promise<Buffer | null> {
    const lead = Buffer.alloc(4 + ivBytes);
    if (this.readAt(lead, lead.length) !== lead.length) return null;
    const length = lead.readUInt32LE(0);
    // The length is not authenticated yet: one beyond the file, or not the one the header gave, is refused
    // before anything is allocated for it.
    if (length > maxSectionBytes || length + tagBytes > this.size - this.position) return null;
    if (byteLength !== undefined && length !== byteLength) return null;
    const decipher = createDecipheriv('aes-256-gcm', this.key, lead.subarray(4));
    decipher.setAAD(sectionData(this.fileId, this.index++));
    const plain = Buffer.from(new ArrayBuffer(length));
    for (let at = 0; at < length; ) {
      const read = this.readAt(this.piece, Math.min(pieceBytes, length - at));
      if (read <= 0) return null;
      decipher.update(this.piece.subarray(0, read)).copy(plain, at);
      at += read;
      // A read in the background (after a rebuild) must not hold requests up for the whole file.
      this.sinceTurn += read;
      if (this.sinceTurn >= turnBytes) {
        this.sinceTurn = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const tag = Buffer.alloc(tagBytes);
    if (this.readAt(tag, tagBytes) !== tagBytes) return null;
    try {
      decipher.setAuthTag(tag);
      decipher.final();
    } catch {
      return null;
    }
    return plain;
  }

  /** Whether every byte of the file has been read: bytes after the last section are not a file this wrote. */
  atEnd(): boolean {
    return this.position === this.size;
  }

  /** Reads up to `length` bytes at the position, moving on; −1 when the file cannot be read (a directory). */
  private readAt(into: Buffer, length: number): number {
    try {
      const read = readSync(this.file, into, 0, length, this.position);
      this.position += read;
      return read;
    } catch {
      return -1;
    }
  }
}
