// Documents (src/read-model/documents.ts) hold each resource's public JSON as interned members in one UTF-8
// buffer: whatever the text, a document must come back as the very string JSON.stringify made.
import fc from 'fast-check';
import t from 'tap';
import { DocumentsBuilder, jsonMembers } from '../../src/read-model/documents.js';

const anyText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom(
    'Kvinnojour – Malmö',
    'Stöd dygnet runt — ring',
    'Åbo → Örebro',
    '😀',
    '\ud800',
    'x\udc00y',
  ),
);
const anyValue = fc.oneof(
  anyText,
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(anyText, { maxLength: 3 }),
);

t.test('each document is JSON.stringify of its object, in any text, repeated members shared', async (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.dictionary(fc.constantFrom('id', 'name', 'kind', 'description', 'é–'), anyValue), {
        maxLength: 40,
      }),
      fc.integer({ min: 0, max: 3 }),
      (objects, repeats) => {
        const builder = new DocumentsBuilder();
        // Repeats make members shared between documents, as kinds and statuses are.
        const all = [...objects, ...objects.slice(0, repeats)];
        for (const object of all) builder.add(jsonMembers(object));
        const documents = builder.build();
        t.equal(documents.size, all.length);
        all.forEach((object, n) => {
          if (documents.json(n) !== JSON.stringify(object)) t.fail(`document ${n} differs`);
        });
      },
    ),
    { numRuns: 300, seed: 21 },
  );
});

t.test('a document longer than any before it, and an empty one', async (t) => {
  const builder = new DocumentsBuilder();
  const long = { description: 'å–'.repeat(100_000) };
  builder.add(jsonMembers({}));
  builder.add(jsonMembers(long));
  builder.add(jsonMembers({ name: 'kort' }));
  const documents = builder.build();
  t.equal(documents.json(0), '{}');
  t.equal(documents.json(1), JSON.stringify(long));
  t.equal(documents.json(2), '{"name":"kort"}');
});
