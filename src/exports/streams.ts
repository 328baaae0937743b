// The exports as streams: the dataset is read a batch at a time while the client downloads, so memory stays
// flat however many resources there are.
import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { ResourceStore } from '../db/store.js';
import { csvHeader, csvRecord, geojsonFeatures, ndjsonLine } from './formats.js';
import { resourcesInIdOrder } from './repository.js';

/**
 * UTF-8 with a byte order mark so that Excel reads å, ä and ö right, CRLF line ends (RFC 4180), one row
 * per resource of every status, fields separated by `delimiter` (`,` or `;`).
 */
/** What the streams read: resources in id order, a batch at a time. */
type Source = Pick<ResourceStore, 'resourcesAfter'>;

export function csvStream(source: Source, delimiter = ','): Readable {
  async function* records() {
    yield csvHeader;
    for await (const batch of resourcesInIdOrder(source))
      for (const resource of batch) yield csvRecord(resource);
  }
  // pipeline, not pipe: a failure while reading destroys the response instead of leaving it hanging.
  return pipeline(
    Readable.from(records()),
    stringify({ bom: true, record_delimiter: 'windows', delimiter }),
    () => {},
  );
}

/** A GeoJSON FeatureCollection written piece by piece: the opening, the features batch by batch, the close. */
export function geojsonStream(source: Source): Readable {
  async function* chunks() {
    yield '{"type":"FeatureCollection","features":[';
    let separator = '';
    for await (const batch of resourcesInIdOrder(source)) {
      const features = batch.flatMap(geojsonFeatures).map((feature) => JSON.stringify(feature));
      if (features.length === 0) continue;
      yield separator + features.join(',');
      separator = ',';
    }
    yield ']}\n';
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** Newline-delimited JSON, one resource per line. */
export function ndjsonStream(source: Source): Readable {
  async function* chunks() {
    for await (const batch of resourcesInIdOrder(source))
      if (batch.length > 0) yield batch.map(ndjsonLine).join('');
  }
  return Readable.from(chunks(), { objectMode: false });
}
