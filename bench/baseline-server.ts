// The benchmark's baseline: a minimal fastify 5 server answering GET /baseline with precomputed bytes
// (the real server's nearby answer, read from BASELINE_BODY_FILE). Started as a child process exactly
// like the real server (node + tsx loader, loopback, PORT=0, pino at the same level), it measures what
// the framework alone can serve on this machine in this run: the ceiling the scenarios are compared with.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const bodyFile = process.env.BASELINE_BODY_FILE;
if (!bodyFile) throw new Error('BASELINE_BODY_FILE must name the file holding the answer to serve');
const body = readFileSync(bodyFile);

const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'info' } });
app.get('/baseline', (_request, reply) => {
  reply.type('application/json; charset=utf-8').send(body);
});
app.get('/health', async () => ({ status: 'ok' }));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' });
