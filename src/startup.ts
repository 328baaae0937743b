// What the server says once it listens: where, on which database, with how many resources, and where the
// documentation and the coverage page are. Text for a person at a terminal, one JSON log line otherwise.
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';

export interface StartupSummary {
  /** Every address the server listens on, as a URL. */
  listening: string[];
  /** The database in use: the SQLite file as an absolute path, or the PostgreSQL URL without its password. */
  database: string;
  /** Whether the curated dataset was loaded into the empty database on this start. */
  curatedDatasetLoaded: boolean;
  /** Resources the database holds, of every status. */
  resources: number;
  docs: string;
  coverage: string;
}

/** A URL for an address (a socket path stays as it is); the wildcard addresses are reached through loopback. */
function urlOf(bound: string | { address: string; family: string; port: number }): string {
  if (typeof bound === 'string') return bound;
  const { address, family, port } = bound;
  const host = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '::1' : address;
  return family === 'IPv6' ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

export async function startupSummary(app: FastifyInstance, config: Config): Promise<StartupSummary> {
  const listening = app.addresses().map(urlOf);
  const base = listening[0] ?? `http://${config.host}:${config.port}`;
  return {
    listening,
    database:
      app.store.engine !== 'sqlite' || app.store.location === ':memory:'
        ? app.store.location
        : resolve(app.store.location),
    curatedDatasetLoaded: app.seededOnStart,
    resources: await app.resources.countResources(),
    docs: `${base}/docs`,
    coverage: `${base}/coverage`,
  };
}

/** The summary for a person: a few aligned lines. */
export function startupText(summary: StartupSummary): string {
  const dataset = summary.curatedDatasetLoaded
    ? 'the curated dataset, loaded just now into the empty database'
    : 'already in the database';
  return [
    `Stödkartan is listening at ${summary.listening.join(', ')}`,
    `  database   ${summary.database}`,
    `  resources  ${summary.resources} (${dataset})`,
    `  docs       ${summary.docs}`,
    `  coverage   ${summary.coverage}`,
    'Stop it with Ctrl+C. Requests are logged below as JSON lines.',
    '',
  ].join('\n');
}

/** Text on a terminal unless LOG_FORMAT says otherwise. */
export const startupFormat = (config: Config, stdoutIsTTY: boolean): 'json' | 'text' =>
  config.logFormat === 'auto' ? (stdoutIsTTY ? 'text' : 'json') : config.logFormat;
