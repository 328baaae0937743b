// The report's JSON, assembled from cached pieces, is byte for byte what JSON.stringify gives, whatever
// the names hold and however cells repeat in `gaps`; and the pieces are reused, not remade.
import fc from 'fast-check';
import t from 'tap';
import { type CoverageResource, coverageReport } from '../../src/coverage/compute.js';
import { coverageReportJson } from '../../src/coverage/json.js';
import { buyers, input, men, resource, women } from './fixtures.js';

const reference = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

t.test('byte for byte JSON.stringify on random names, cells and service areas', async (t) => {
  const resourceArb = fc.record({
    // Quotes, backslashes, control characters, lone surrogates, emoji, å ä ö and the rest of Unicode.
    name: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.constantFrom('Kvinnojouren Åsa', 'a"b\\c\u0000', '\u2028\ud800'),
    ),
    kind: fc.constantFrom('kvinnojour', 'stodlinje', 'a"b\\c'),
    cells: fc.subarray([women, men, buyers]),
    serviceArea: fc.subarray(['A1', 'A2', 'A3', 'B1']),
    national: fc.boolean(),
  });
  fc.assert(
    fc.property(fc.array(resourceArb, { maxLength: 8 }), fc.boolean(), (drawn, inventoried) => {
      const resources: CoverageResource[] = drawn.map((r) => resource(r));
      const report = coverageReport(input({ resources, ...(inventoried ? {} : { inventory: null }) }));
      const json = coverageReportJson(report);
      if (!json.equals(reference(report))) throw new Error(`differs: ${json.toString()}`);
    }),
    { numRuns: 300 },
  );
  t.pass('300 random reports agree');
});

t.test('a cell listed in gaps is written again in full; listed resources are shared', async (t) => {
  const shelter = resource({ name: 'Jouren "Trygg" \\ Åby\u2028', serviceArea: ['A1'] });
  const report = coverageReport(input({ resources: [shelter] }));
  t.ok(report.gaps.length > 0 && report.gaps.includes(report.cells[0] as never), 'gaps holds cells');
  const json = coverageReportJson(report);
  t.ok(json.equals(reference(report)));
  t.same(JSON.parse(json.toString('utf8')), JSON.parse(JSON.stringify(report)));
  t.ok(coverageReportJson(report).equals(json), 'the same again from the cache');
});
