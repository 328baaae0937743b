// The coverage report as UTF-8 JSON, assembled from pieces made once. At scale a county's report lists tens
// of thousands of resources (each one serving a cell, again for every cell it serves) and `gaps` repeats
// cells whole: several MB, whose serialisation cost more than computing the report. Each listed resource's
// bytes are made once, with its summary (support-index.ts); everything else is JSON.stringify's. The pieces
// are laid out first and copied once into a buffer of the right length, a cell that `gaps` repeats copied
// from where it was written: joining them as strings and encoding the result cost three times as much, and
// Buffer.concat of a hundred thousand pieces twice. The result is byte for byte JSON.stringify(report).
import type { CellCoverage, CoverageReport } from './compute.js';
import { summaryBytesAfterComma } from './support-index.js';

type Listed = CellCoverage['resources'][number];

const comma = Buffer.from(',');
const open = Buffer.from('[');
const close = Buffer.from(']');

/** Bytes to copy, or a range of the output written before to copy again. */
type Piece = Buffer | { from: number; to: number };

/** The pieces of the output, in order, and its length so far. */
class Layout {
  readonly pieces: Piece[] = [];
  length = 0;

  push(bytes: Buffer): void {
    this.pieces.push(bytes);
    this.length += bytes.length;
  }

  /** The output's bytes `from` … `to` − 1 again. */
  repeat(from: number, to: number): void {
    this.pieces.push({ from, to });
    this.length += to - from;
  }

  bytes(): Buffer {
    const bytes = Buffer.allocUnsafe(this.length);
    let at = 0;
    for (const piece of this.pieces) {
      if (Buffer.isBuffer(piece)) {
        bytes.set(piece, at);
        at += piece.length;
      } else {
        bytes.copyWithin(at, piece.from, piece.to);
        at += piece.to - piece.from;
      }
    }
    return bytes;
  }
}

/**
 * Lays out an object's JSON, member by member in its own order as JSON.stringify writes them, handing the
 * members named in `special` to their writer.
 */
function layObject(
  value: object,
  layout: Layout,
  special: Record<string, (member: never, layout: Layout) => void>,
): void {
  let text = '{';
  let first = true;
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined) continue;
    text += `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    const write = special[key];
    if (write) {
      layout.push(Buffer.from(text, 'utf8'));
      write(member as never, layout);
      text = '';
    } else text += JSON.stringify(member);
  }
  layout.push(Buffer.from(`${text}}`, 'utf8'));
}

function layResources(resources: readonly Listed[], layout: Layout): void {
  layout.push(open);
  resources.forEach((resource, i) => {
    const bytes = summaryBytesAfterComma(resource);
    layout.push(i === 0 ? bytes.subarray(1) : bytes);
  });
  layout.push(close);
}

export function coverageReportJson(report: CoverageReport): Buffer {
  // A cell in `gaps` is the same object as in `cells`: its bytes are copied from where they were written.
  const written = new Map<CellCoverage, { from: number; to: number }>();
  const layCell = (cell: CellCoverage, layout: Layout) => {
    const range = written.get(cell);
    if (range) return layout.repeat(range.from, range.to);
    const from = layout.length;
    layObject(cell, layout, { resources: layResources });
    written.set(cell, { from, to: layout.length });
  };
  const layCells = (cells: readonly CellCoverage[], layout: Layout) => {
    layout.push(open);
    cells.forEach((cell, i) => {
      if (i > 0) layout.push(comma);
      layCell(cell, layout);
    });
    layout.push(close);
  };
  const layout = new Layout();
  layObject(report, layout, { cells: layCells, gaps: layCells });
  return layout.bytes();
}
