// A list of strings held as UTF-8 in one buffer, outside the JavaScript heap: 100 000 ids or names as strings
// are 100 000 heap objects (6 MB each list), which every full collection walks and against which V8 lets the
// heap grow (about three times what it holds). A string is decoded when asked for.

/** A `StringList`'s contents as plain values: what a saved model (snapshot.ts) holds of it. */
export interface StringListParts {
  /** String i is bytes starts[i] … starts[i + 1] − 1. */
  bytes: Uint8Array;
  starts: Uint32Array;
}

export class StringList {
  private readonly bytes: Buffer;
  private readonly starts: Uint32Array;

  constructor({ bytes, starts }: StringListParts) {
    this.bytes = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.starts = starts;
  }

  static of(strings: readonly string[]): StringList {
    const starts = new Uint32Array(strings.length + 1);
    let at = 0;
    strings.forEach((text, i) => {
      at += Buffer.byteLength(text, 'utf8');
      starts[i + 1] = at;
    });
    const bytes = Buffer.allocUnsafeSlow(at);
    strings.forEach((text, i) => {
      bytes.write(text, starts[i] as number, 'utf8');
    });
    return new StringList({ bytes, starts });
  }

  toParts(): StringListParts {
    return { bytes: this.bytes, starts: this.starts };
  }

  get length(): number {
    return this.starts.length - 1;
  }

  /** String i. */
  at(i: number): string {
    return this.bytes.toString('utf8', this.starts[i], this.starts[i + 1]);
  }

  /** The first position of a string, or −1: a scan, for tests and tools. */
  indexOf(text: string): number {
    for (let i = 0; i < this.length; i++) if (this.at(i) === text) return i;
    return -1;
  }

  /** Whether string i has exactly these UTF-8 bytes. */
  equalsBytes(i: number, bytes: Uint8Array): boolean {
    const start = this.starts[i] as number;
    const end = this.starts[i + 1] as number;
    return end - start === bytes.length && this.bytes.compare(bytes, 0, bytes.length, start, end) === 0;
  }

  /** A 32-bit FNV-1a hash of string i's bytes (`hashOfBytes` of them). */
  hash(i: number): number {
    return hashOfBytes(this.bytes, this.starts[i] as number, this.starts[i + 1] as number);
  }
}

/** A 32-bit FNV-1a hash of bytes start … end − 1. */
export function hashOfBytes(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
  return hash >>> 0;
}

/**
 * The position of each string of a list by its text, in typed arrays (open addressing): a Map of 100 000
 * strings would hold them all on the heap again.
 */
export class StringPositions {
  private readonly table: Int32Array;
  private readonly mask: number;

  constructor(private readonly list: StringList) {
    let size = 16;
    while (size < list.length * 2) size *= 2;
    this.table = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let i = 0; i < list.length; i++) {
      let at = list.hash(i) & this.mask;
      // The first of equal strings is found first: a later one goes after it.
      while (this.table[at] !== -1) at = (at + 1) & this.mask;
      this.table[at] = i;
    }
  }

  /** The first position of `text` in the list, or undefined. */
  get(text: string): number | undefined {
    const bytes = Buffer.from(text, 'utf8');
    for (let at = hashOfBytes(bytes) & this.mask; ; at = (at + 1) & this.mask) {
      const i = this.table[at] as number;
      if (i === -1) return undefined;
      if (this.list.equalsBytes(i, bytes)) return i;
    }
  }
}
