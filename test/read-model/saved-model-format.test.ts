// The saved read model's file (src/read-model/snapshot.ts) is a run of sections, each encrypted and
// authenticated on its own: magic, a file id, then per section its length, IV, ciphertext and tag, the tag also
// covering the magic, the file id and the section's place. Here the format is read independently of the code
// that writes it, so that every section can be tampered with, cut, moved or decrypted on its own: a reader
// must refuse anything but the file as written, and the database's key must be needed for every section.
// Engines: SQLite only, because only SQLite's read model is saved (beside the file, under the file's key).

import { createDecipheriv } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { sqliteReadModel } from '../../src/read-model/plugin.js';
import { modelFingerprint, readKey, readSnapshot } from '../../src/read-model/snapshot.js';
import { type ReadModel, savedModelPath } from '../../src/read-model/store.js';

const dir = t.testdir({});
const databasePath = join(dir, 'stodkartan.db');
const saved = savedModelPath(databasePath);

const magic = Buffer.from('stodkartan read model 2\n');
const fileIdBytes = 16;

async function start(): Promise<FastifyInstance> {
  return buildApp(
    loadConfig({
      DATABASE_PATH: databasePath,
      LOG_LEVEL: 'silent',
      MAX_EVENT_LOOP_DELAY_MS: '0',
      READ_MODEL_BUILD_PROCESS_FROM: '1',
    }),
  );
}

interface Section {
  /** Where the section begins (its length field) and ends (after its tag). */
  start: number;
  end: number;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/** The file's sections, as the format lays them out. */
function sectionsOf(file: Buffer): Section[] {
  const sections: Section[] = [];
  let at = magic.length + fileIdBytes;
  while (at < file.length) {
    const length = file.readUInt32LE(at);
    const iv = file.subarray(at + 4, at + 16);
    const ciphertext = file.subarray(at + 16, at + 16 + length);
    const tag = file.subarray(at + 16 + length, at + 32 + length);
    sections.push({ start: at, end: at + 32 + length, iv, ciphertext, tag });
    at += 32 + length;
  }
  return sections;
}

/** Section `index` of a file decrypted under `key`, or undefined when it does not authenticate. */
function decryptSection(file: Buffer, index: number, key: Buffer, of = sectionsOf(file)): Buffer | undefined {
  const section = of[index] as Section;
  const place = Buffer.alloc(4);
  place.writeUInt32LE(index);
  const decipher = createDecipheriv('aes-256-gcm', key, section.iv);
  decipher.setAAD(Buffer.concat([magic, file.subarray(magic.length, magic.length + fileIdBytes), place]));
  decipher.setAuthTag(section.tag);
  try {
    return Buffer.concat([decipher.update(section.ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}

const app = await start();
const original = readFileSync(saved);
// A second save of the same model: another file id, the same sections' lengths.
await app.close();
const sqlite = new Database(databasePath);
t.teardown(() => sqlite.close());
const key = readKey(sqlite) as Buffer;
const fingerprint = await modelFingerprint(sqlite);
const sections = sectionsOf(original);

const copy = join(dir, 'copy.read-model');
async function readBytes(bytes: Buffer): Promise<unknown> {
  writeFileSync(copy, bytes);
  return readSnapshot(copy, key, fingerprint, undefined);
}

t.test('the file is sections that each authenticate under the key and end the file exactly', async (t) => {
  t.ok(original.subarray(0, magic.length).equals(magic), 'the format is named first');
  t.ok(sections.length > 3, `a header, the values and the arrays (${sections.length} sections)`);
  t.equal(sections.at(-1)?.end, original.length, 'the last section ends the file');
  t.ok(
    sections.every((_, i) => decryptSection(original, i, key, sections) !== undefined),
    'every section authenticates under the key',
  );
  t.type(await readBytes(original), 'object', 'an unchanged copy is read');
});

t.test('a read model keeps no plaintext beyond its own arrays', async (t) => {
  const model = await readBytes(original);
  if (typeof model !== 'object' || model === null) throw new Error('not read');
  const { resources, support } = model as ReadModel;
  const views: [string, ArrayBufferView][] = [];
  const collect = (name: string, record: object) => {
    for (const [member, value] of Object.entries(record)) {
      if (ArrayBuffer.isView(value)) views.push([`${name}.${member}`, value]);
      if (value instanceof Map)
        for (const [key, item] of value) if (ArrayBuffer.isView(item)) views.push([`${name}.${key}`, item]);
    }
  };
  collect('base', resources.base.data);
  collect('documents', resources.base.data.documents.toParts());
  collect('support', support);
  t.ok(views.length > 100, `${views.length} arrays`);
  t.same(
    views
      .filter(([, view]) => view.byteOffset !== 0 || view.buffer.byteLength !== view.byteLength)
      .map(([n]) => n),
    [],
    'each is the whole of a buffer of its own, not a view into a larger one',
  );
});

t.test('a model is refused when any section is changed', async (t) => {
  // The header, the values, and arrays spread over the file (each read decrypts every section before the
  // one changed): the ciphertext, and for the first and last also the IV and the tag.
  const step = Math.max(1, Math.floor(sections.length / 30));
  for (const [i, section] of sections.entries()) {
    if (i > 2 && i % step !== 0 && i !== sections.length - 1) continue;
    const places = [section.start + 16 + Math.floor(section.ciphertext.length / 2)];
    if (i === 0 || i === sections.length - 1) places.push(section.start + 4, section.end - 1);
    for (const at of places) {
      const changed = Buffer.from(original);
      changed[at] = (changed[at] as number) ^ 0x01;
      const read = await readBytes(changed);
      if (read !== 'unreadable') t.fail(`section ${i} changed at byte ${at} was read: ${String(read)}`);
    }
  }
  const lengthChanged = Buffer.from(original);
  lengthChanged.writeUInt32LE((sections[1] as Section).ciphertext.length - 8, (sections[1] as Section).start);
  t.equal(await readBytes(lengthChanged), 'unreadable', 'a section whose length was changed');
  const idChanged = Buffer.from(original);
  idChanged[magic.length] = (idChanged[magic.length] as number) ^ 0x01;
  t.equal(await readBytes(idChanged), 'unreadable', 'a file whose id was changed');
});

t.test('a model cut short, or with bytes added, is refused', async (t) => {
  const last = sections.at(-1) as Section;
  t.equal(await readBytes(original.subarray(0, last.start)), 'unreadable', 'without its last section');
  t.equal(
    await readBytes(original.subarray(0, (sections[2] as Section).start)),
    'unreadable',
    'with only the header and the values',
  );
  t.equal(await readBytes(original.subarray(0, last.end - 1)), 'unreadable', 'cut inside the last tag');
  t.equal(await readBytes(original.subarray(0, 10)), 'unreadable', 'cut inside the magic');
  t.equal(
    await readBytes(Buffer.concat([original, Buffer.alloc(1)])),
    'unreadable',
    'with a byte after the last section',
  );
  t.equal(
    await readBytes(Buffer.concat([original, original.subarray(last.start)])),
    'unreadable',
    'with its last section twice',
  );
});

t.test('a section moved to another place or from another file is refused', async (t) => {
  // Two sections of the same length swapped: each authentic where it was.
  const byLength = new Map<number, number>();
  let pair: [number, number] | undefined;
  for (const [i, section] of sections.entries()) {
    if (i < 2) continue;
    const other = byLength.get(section.ciphertext.length);
    if (other !== undefined) {
      pair = [other, i];
      break;
    }
    byLength.set(section.ciphertext.length, i);
  }
  if (!pair) throw new Error('no two sections of the same length');
  const [a, b] = pair.map((i) => sections[i] as Section) as [Section, Section];
  const swapped = Buffer.concat([
    original.subarray(0, a.start),
    original.subarray(b.start, b.end),
    original.subarray(a.end, b.start),
    original.subarray(a.start, a.end),
    original.subarray(b.end),
  ]);
  t.equal(swapped.length, original.length);
  t.equal(await readBytes(swapped), 'unreadable', 'two sections swapped');

  // Another save of the same data: a section of it put in the same place of this file.
  const next = await start();
  await sqliteReadModel(next).rebuildInBackground();
  await next.close();
  const other = readFileSync(saved);
  t.not(
    other.subarray(magic.length, magic.length + fileIdBytes).toString('hex'),
    original.subarray(magic.length, magic.length + fileIdBytes).toString('hex'),
    'another save has another file id',
  );
  const theirs = sectionsOf(other);
  t.same(
    theirs.map((s) => s.ciphertext.length).slice(2),
    sections.map((s) => s.ciphertext.length).slice(2),
    'and arrays of the same lengths',
  );
  const last = sections.length - 1;
  const spliced = Buffer.concat([
    original.subarray(0, (sections[last] as Section).start),
    other.subarray((theirs[last] as Section).start),
  ]);
  t.equal(await readBytes(spliced), 'unreadable', 'the last section taken from another file');
  t.type(await readBytes(other), 'object', 'which is readable whole');
});

t.test('a file of the earlier format, or of other code, is refused', async (t) => {
  const earlier = Buffer.concat([Buffer.from('stodkartan read model 1\n'), original.subarray(magic.length)]);
  t.equal(await readBytes(earlier), 'unreadable', 'the format of one section for the whole model');
  writeFileSync(copy, original);
  t.equal(await readSnapshot(copy, key, `${fingerprint}-other`, undefined), 'other-code');
  t.equal(
    await readSnapshot(copy, key, fingerprint, { version: -1, digest: 'other' }),
    'other-data',
    'nor a model of other data',
  );
});

t.test('without the key no section can be read', async (t) => {
  const other = Buffer.alloc(32, 7);
  t.same(
    sections
      .map((_, i) => decryptSection(original, i, other, sections))
      .filter((plain) => plain !== undefined),
    [],
    'no section authenticates under another key',
  );
  // The key deleted, as a withdrawn address deletes it: the file cannot be read.
  sqlite.prepare('DELETE FROM read_model_key').run();
  writeFileSync(copy, original);
  t.equal(await readSnapshot(copy, readKey(sqlite), fingerprint, undefined), 'unreadable');
  t.equal(await readSnapshot(copy, other, fingerprint, undefined), 'unreadable', 'nor under a new key');
});
