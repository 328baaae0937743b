// The coverage report as UTF-8 JSON, assembled from cached pieces. At scale a county's report lists tens
// of thousands of resources (each one serving a cell, again for every cell it serves) and `gaps` repeats
// cells whole: several MB, whose serialisation and encoding cost more than computing the report. Each
// listed resource's bytes are made once and kept for as long as its summary object (the index shares one
// per resource); everything else is JSON.stringify's. The result is byte for byte JSON.stringify(report).
import type { CellCoverage, CoverageReport } from './compute.js';

type Listed = CellCoverage['resources'][number];

const resourceBytes = new WeakMap<Listed, Buffer>();
const comma = Buffer.from(',');

function bytesOfResource(resource: Listed): Buffer {
  let bytes = resourceBytes.get(resource);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(resource));
    resourceBytes.set(resource, bytes);
  }
  return bytes;
}

/**
 * Appends an object's JSON to `parts`, member by member in its own order as JSON.stringify writes them,
 * handing the members named in `special` to their writer.
 */
function appendObject(
  value: object,
  parts: Buffer[],
  special: Record<string, (member: never, parts: Buffer[]) => void>,
): void {
  let text = '{';
  let first = true;
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined) continue;
    text += `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    const write = special[key];
    if (write) {
      parts.push(Buffer.from(text));
      write(member as never, parts);
      text = '';
    } else text += JSON.stringify(member);
  }
  parts.push(Buffer.from(`${text}}`));
}

function appendList<T>(list: readonly T[], parts: Buffer[], append: (item: T, parts: Buffer[]) => void) {
  parts.push(Buffer.from('['));
  list.forEach((item, i) => {
    if (i > 0) parts.push(comma);
    append(item, parts);
  });
  parts.push(Buffer.from(']'));
}

export function coverageReportJson(report: CoverageReport): Buffer {
  // A cell in `gaps` is the same object as in `cells`: its bytes are made once.
  const cellBytes = new Map<CellCoverage, Buffer>();
  const appendCell = (cell: CellCoverage, parts: Buffer[]) => {
    let bytes = cellBytes.get(cell);
    if (bytes === undefined) {
      const own: Buffer[] = [];
      appendObject(cell, own, {
        resources: (resources: readonly Listed[], into: Buffer[]) =>
          appendList(resources, into, (resource, list) => list.push(bytesOfResource(resource))),
      });
      bytes = Buffer.concat(own);
      cellBytes.set(cell, bytes);
    }
    parts.push(bytes);
  };
  const parts: Buffer[] = [];
  const cells = (list: readonly CellCoverage[], into: Buffer[]) => appendList(list, into, appendCell);
  appendObject(report, parts, { cells, gaps: cells });
  return Buffer.concat(parts);
}
