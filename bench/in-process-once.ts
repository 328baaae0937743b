// One series of in-process timings on one database, for before/after comparisons of the read routes:
// `tsx bench/in-process-once.ts PATH [ROUNDS]` builds the production app once (the read model takes
// 15–20 s at 100 000), then times the list, nearby and text scenarios through app.inject, ROUNDS times
// over, and prints each scenario's median per round with the load average. With DIGEST=FILE it also
// writes a SHA-256 of every answer to a spread of read questions (pages, radii, filters, terms), so
// that two versions of the code can be shown to give the same bytes. With PROFILE=FILE, a CPU profile
// (.cpuprofile) of the timed rounds. Not part of `npm test`.

import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { buildApp } from '../src/app.js';
import { sqliteReadModel } from '../src/read-model/plugin.js';
import { inProcessConfig } from './database.js';
import { measureInProcess } from './in-process.js';
import { busiestSeats, type ScenarioId, scenarios } from './scenarios.js';

const [path, roundsArg] = process.argv.slice(2);
if (!path) throw new Error('usage: tsx bench/in-process-once.ts DATABASE [ROUNDS]');
const rounds = Number(roundsArg ?? 3);
const only = (process.env.SCENARIOS ?? 'filtered-list,nearby,nearby-rotating,full-text').split(',');

const app = await buildApp(inProcessConfig(path));
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
try {
  console.log(`built in ${sqliteReadModel(app).stats.lastBuildMs.toFixed(0)} ms; load ${load()}`);
  const seats = busiestSeats(app.places);
  const plan = scenarios({ resourceId: 'none', seats }).filter((s) => only.includes(s.id));

  const digestFile = process.env.DIGEST;
  if (digestFile) {
    const lines: string[] = [];
    const ask = async (url: string, body?: object) => {
      const response = body
        ? await app.inject({ method: 'POST', url, payload: body })
        : await app.inject({ method: 'GET', url });
      const hash = createHash('sha256').update(response.body).digest('hex').slice(0, 16);
      lines.push(`${response.statusCode} ${hash} ${url}${body ? ` ${JSON.stringify(body)}` : ''}`);
    };
    const points = [
      ...seats,
      { lat: 57.7089, lon: 11.9746 },
      { lat: 67.85, lon: 20.22 },
      { lat: 56.0, lon: 15.0 },
    ];
    const filters = [
      '',
      '&area=close-relationship&role=subjected',
      '&group=women',
      '&kind=kvinnojour',
      '&q=stod',
      '&q=stod%20kvinnor',
      '&q=jour&area=honour-related',
      '&age=15',
      '&openAt=2026-06-19T20:00:00%2B02:00',
      '&national=false',
    ];
    for (const [n, point] of points.entries()) {
      for (const radius of [0.3, 1, 5, 20, 50, 200]) {
        for (const filter of filters) {
          for (const page of n < 3 ? [1, 2, 7] : [1]) {
            await ask(
              `/v1/resources/nearby?lat=${point.lat}&lon=${point.lon}&radiusKm=${radius}&page=${page}&limit=20${filter}`,
            );
          }
        }
      }
    }
    await ask('/v1/resources/search', { lat: 59.33, lon: 18.06, radiusKm: 30, group: 'women', limit: 100 });
    for (const q of [
      'stod',
      'stod kvinnor',
      'kvinnojour',
      'va',
      'jour',
      'barn vald',
      'mikamottagningen',
      'xyzzy',
      'ö',
    ]) {
      for (const filter of [
        '',
        '&municipality=1480',
        '&county=14',
        '&area=close-relationship&role=subjected',
      ]) {
        for (const page of [1, 3]) {
          await ask(`/v1/resources?q=${encodeURIComponent(q)}&limit=20&page=${page}${filter}`);
        }
      }
    }
    for (const filter of [
      'municipality=1480',
      'county=14&kind=kast',
      'area=close-relationship&role=subjected',
    ]) {
      await ask(`/v1/resources?${filter}&limit=20`);
    }
    writeFileSync(digestFile, `${lines.join('\n')}\n`);
    console.log(`${lines.length} answers digested into ${digestFile}`);
  }

  // PROFILE=FILE: a CPU profile of the timed rounds alone, without the read model's build.
  const profileFile = process.env.PROFILE;
  const session = profileFile ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
  }
  // Besides wall-clock medians, the process's CPU time per request (mean, warm-up included): on a
  // machine shared with other work, it moves less with the load than wall time does.
  const medians = new Map<ScenarioId, number[]>();
  const cpu = new Map<ScenarioId, number[]>();
  const warmup = 10;
  for (let round = 0; round < rounds; round++) {
    for (const scenario of plan) {
      const before = process.cpuUsage();
      const result = await measureInProcess(app, scenario);
      const used = process.cpuUsage(before);
      if (result.outcome !== 'ok') throw new Error(`${scenario.id}: ${result.note}`);
      medians.set(scenario.id, [...(medians.get(scenario.id) ?? []), result.medianMs as number]);
      const perRequest = (used.user + used.system) / 1000 / (1 + (warmup - 1) + result.samples);
      cpu.set(scenario.id, [...(cpu.get(scenario.id) ?? []), perRequest]);
    }
    console.log(`round ${round + 1}; load ${load()}`);
  }
  if (session && profileFile) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(profileFile, JSON.stringify(profile));
    session.disconnect();
  }
  for (const [id, list] of medians) {
    const perRequest = (cpu.get(id) ?? []).map((ms) => ms.toFixed(2)).join(' ');
    console.log(
      `${id.padEnd(16)} median ${list.map((ms) => ms.toFixed(2)).join(' ')} ms; CPU ${perRequest} ms`,
    );
  }
} finally {
  await app.close();
}
