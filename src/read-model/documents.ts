// The resources' public JSON, held as interned members: most members of a resource's JSON (its kind,
// status, flags, cells, organisation, source, the import's timestamps) are the same text as in thousands
// of others, so each distinct `"name":value` text is held once and a resource is a list of member numbers.
// At 100 000 synthetic resources this holds the JSON in less than half the memory of one string each, and
// putting a page of 20 back together costs microseconds. Member texts are held in one flat string.

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
    // One flat string for every distinct member, cut by offsets: a string per member would cost its own
    // header and, made by concatenation, the pieces it was made of.
    const textStart = new Uint32Array(this.texts.length + 1);
    let at = 0;
    this.texts.forEach((text, i) => {
      at += text.length;
      textStart[i + 1] = at;
    });
    return new Documents(
      this.texts.join(''),
      textStart,
      this.memberIds.slice(0, this.used),
      Uint32Array.from(this.starts),
    );
  }
}

/** A `Documents`' contents as plain values: what a saved model (snapshot.ts) holds of it. */
export interface DocumentsParts {
  text: string;
  textStart: Uint32Array;
  memberIds: Uint32Array;
  starts: Uint32Array;
}

export class Documents {
  constructor(
    private readonly text: string,
    private readonly textStart: Uint32Array,
    private readonly memberIds: Uint32Array,
    private readonly starts: Uint32Array,
  ) {}

  static fromParts(parts: DocumentsParts): Documents {
    return new Documents(parts.text, parts.textStart, parts.memberIds, parts.starts);
  }

  toParts(): DocumentsParts {
    return { text: this.text, textStart: this.textStart, memberIds: this.memberIds, starts: this.starts };
  }

  get size(): number {
    return this.starts.length - 1;
  }

  /** Document n's JSON. */
  json(n: number): string {
    let out = '{';
    const first = this.starts[n] as number;
    for (let m = first, end = this.starts[n + 1] as number; m < end; m++) {
      const t = this.memberIds[m] as number;
      if (m > first) out += ',';
      out += this.text.slice(this.textStart[t], this.textStart[t + 1]);
    }
    return `${out}}`;
  }
}
