// Graceful shutdown (issue 11, finding 4): every request whose bytes reached the server before SIGTERM gets
// an HTTP answer — slow uploads still under way, and requests on connections the server had not yet
// accepted when the signal came — then the server stops accepting, drains, checkpoints the WAL and exits 0.
import { existsSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { startServer } from '../helpers/process.js';

interface Exchange {
  /** Resolves once the request's bytes so far are handed to the kernel. */
  sent: Promise<void>;
  /** Resolves with what came back when the server closed the connection. */
  answer: Promise<string>;
  write: (text: string) => Promise<void>;
}

/** One request on its own connection, written by hand so a test decides when each byte leaves. */
function exchange(url: string, firstBytes: string): Exchange {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    received += chunk;
  });
  const answer = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(received));
    socket.on('error', () => undefined);
  });
  const write = (text: string) =>
    new Promise<void>((resolve, reject) =>
      socket.write(text, (error) => (error ? reject(error) : resolve())),
    );
  const sent = new Promise<void>((resolve) => socket.once('connect', resolve)).then(() => write(firstBytes));
  return { sent, answer, write };
}

const status = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);

t.test('SIGTERM with slow uploads and fresh connections in flight: all answered, exit 0', async (t) => {
  const path = join(t.testdir({}), 'shutdown.db');
  const server = await startServer({ DATABASE_PATH: path });
  t.teardown(() => server.child.kill('SIGKILL'));
  const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve));

  // Eight searches from slow clients: the headers go out before the signal, the body byte by byte after.
  const body = JSON.stringify({ lat: 57.7, lon: 11.97, radiusKm: 20 });
  const slow = Array.from({ length: 8 }, () =>
    exchange(
      server.url,
      `POST /v1/resources/search HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
    ),
  );
  // Eight reads written in full on new connections the moment before the signal.
  const quick = Array.from({ length: 8 }, (_, i) =>
    exchange(
      server.url,
      `GET /v1/resources?q=v%C3%A5ld&limit=${i + 1} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
    ),
  );
  await Promise.all([...slow, ...quick].map((e) => e.sent));
  server.child.kill('SIGTERM');

  // The uploads go on for about a second after the signal.
  for (let i = 0; i < body.length; i += 4) {
    await Promise.all(slow.map((e) => e.write(body.slice(i, i + 4))));
    await sleep(1000 / (body.length / 4));
  }

  const answers = await Promise.all([...slow, ...quick].map((e) => e.answer));
  t.same(
    answers.map(status),
    Array(16).fill(200),
    'every request whose bytes arrived before SIGTERM is answered in full',
  );
  for (const answer of answers.slice(0, 8)) t.match(answer, /"items":\[/, 'a search answer');
  for (const answer of answers)
    t.match(answer, /\r\nconnection: close\r\n/i, 'and the connection closed after it');

  t.equal(await exited, 0, 'exits 0');
  const wal = `${path}-wal`;
  t.ok(!existsSync(wal) || statSync(wal).size === 0, 'the WAL was checkpointed on close');
  t.match(server.logs(), /"msg":"shut down"/, 'the shutdown ran to its end');

  await t.rejects(fetch(`${server.url}/health`), 'and no longer accepts connections');
});
