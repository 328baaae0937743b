// The resources' public JSON, held as interned members: most members of a resource's JSON (its kind,
// status, flags, cells, organisation, source, the import's timestamps) are the same text as in thousands
// of others, so each distinct `"name":value` text is held once and a resource is a list of member numbers.
// At 100 000 synthetic resources this holds the JSON in less than half the memory of one string each, and
// putting a page of 20 back together costs microseconds. Member texts are held as UTF-8 in one Buffer, outside
// the JavaScript heap: a string would be two bytes a character as soon as one member held a character beyond
// Latin-1 (an en dash, which the curated data has), and a heap of a hundred MB lets garbage grow in proportion.

/** `"name":` for each member name seen: names are few, their JSON is made once. */
const prefixes = new Map<string, string>();

/** The members of an object's JSON, `"name":value` each, in the order JSON.stringify gives them. */
export function jsonMembers(value: object): string[] {
  const members: string[] = [];
  for (const name of Object.keys(value)) {
    // As JSON.stringify: members whose value has no JSON form are left out.
    const json = JSON.stringify((value as Record<string, unknown>)[name]) as string | undefined;
    if (json === undefined) continue;
    let prefix = prefixes.get(name);
    if (prefix === undefined) {
      prefix = `${JSON.stringify(name)}:`;
      if (prefixes.size < 1_000) prefixes.set(name, prefix);
    }
    members.push(prefix + json);
  }
  return members;
}

/** An object's JSON from its members: the same text as JSON.stringify of the object. */
export const jsonOfMembers = (members: readonly string[]): string => `{${members.join(',')}}`;

/** Collects documents, numbered in the order added; `build()` drops what only adding needs. */
export class DocumentsBuilder {
  private readonly numbers = new Map<string, number>();
  private readonly texts: string[] = [];
  private memberIds: Uint32Array = new Uint32Array(1 << 16);
  private used = 0;
  private readonly starts: number[] = [0];

  add(members: readonly string[]): void {
    if (this.used + members.length > this.memberIds.length) {
      const grown = new Uint32Array(Math.max(this.memberIds.length * 2, this.used + members.length));
      grown.set(this.memberIds.subarray(0, this.used));
      this.memberIds = grown;
    }
    for (const member of members) {
      let id = this.numbers.get(member);
      if (id === undefined) {
        id = this.texts.length;
        this.texts.push(member);
        this.numbers.set(member, id);
      }
      this.memberIds[this.used++] = id;
    }
    this.starts.push(this.used);
  }

  build(): Documents {
    // One Buffer for every distinct member, cut by byte offsets (a string or Buffer per member would cost its
    // own header), followed by room for the longest document, where a document is put together.
    const textStart = new Uint32Array(this.texts.length + 1);
    let at = 0;
    this.texts.forEach((text, i) => {
      at += Buffer.byteLength(text, 'utf8');
      textStart[i + 1] = at;
    });
    const starts = Uint32Array.from(this.starts);
    const memberIds = this.memberIds.slice(0, this.used);
    let longest = 2;
    for (let n = 0; n + 1 < starts.length; n++)
      longest = Math.max(longest, documentLength(textStart, memberIds, starts, n));
    const text = Buffer.alloc(at + longest);
    this.texts.forEach((member, i) => {
      text.write(member, textStart[i] as number, 'utf8');
    });
    return new Documents(text, textStart, memberIds, starts);
  }
}

/** The length in bytes of document n's JSON. */
function documentLength(
  textStart: Uint32Array,
  memberIds: Uint32Array,
  starts: Uint32Array,
  n: number,
): number {
  const first = starts[n] as number;
  const end = starts[n + 1] as number;
  let length = 2 + Math.max(0, end - first - 1);
  for (let m = first; m < end; m++) {
    const t = memberIds[m] as number;
    length += (textStart[t + 1] as number) - (textStart[t] as number);
  }
  return length;
}

/** A `Documents`' contents as plain values: what a saved model (snapshot.ts) holds of it. */
export interface DocumentsParts {
  /**
   * Every distinct member's JSON as UTF-8, member t at bytes textStart[t] … textStart[t + 1] − 1, then
   * room (zeros) for the longest document.
   */
  text: Uint8Array;
  textStart: Uint32Array;
  memberIds: Uint32Array;
  starts: Uint32Array;
}

export class Documents {
  private readonly text: Buffer;
  /** Where the members end and the room to put a document together begins. */
  private readonly room: number;

  constructor(
    text: Uint8Array,
    private readonly textStart: Uint32Array,
    private readonly memberIds: Uint32Array,
    private readonly starts: Uint32Array,
  ) {
    this.text = Buffer.isBuffer(text) ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
    this.room = textStart[textStart.length - 1] as number;
    // Checked once here, not per document: the room must hold every document.
    for (let n = 0; n + 1 < starts.length; n++)
      if (this.room + documentLength(textStart, memberIds, starts, n) > this.text.length)
        throw new RangeError(`no room to put document ${n} together`);
  }

  static fromParts(parts: DocumentsParts): Documents {
    return new Documents(parts.text, parts.textStart, parts.memberIds, parts.starts);
  }

  toParts(): DocumentsParts {
    // The room holds the last document put together: saved as zeros, as built.
    this.text.fill(0, this.room);
    return { text: this.text, textStart: this.textStart, memberIds: this.memberIds, starts: this.starts };
  }

  get size(): number {
    return this.starts.length - 1;
  }

  /**
   * Document n's JSON: its members' bytes copied together after the members (copyWithin: no object per
   * member, where Buffer#copy makes a view of each) and decoded once: about 5 µs a document, 1 µs more than
   * slicing the one flat string this replaced (measured when it was written, 2026-12-01).
   */
  json(n: number): string {
    const { text, textStart, memberIds } = this;
    const first = this.starts[n] as number;
    const end = this.starts[n + 1] as number;
    let at = this.room;
    text[at++] = 0x7b; // {
    for (let m = first; m < end; m++) {
      const t = memberIds[m] as number;
      if (m > first) text[at++] = 0x2c; // ,
      const from = textStart[t] as number;
      const to = textStart[t + 1] as number;
      text.copyWithin(at, from, to);
      at += to - from;
    }
    text[at++] = 0x7d; // }
    return text.toString('utf8', this.room, at);
  }
}
