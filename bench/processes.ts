// Child servers for the benchmark: started the way test/helpers/process.ts starts the real server (node
// with the tsx loader, an ephemeral loopback port, the URL read from fastify's "Server listening at" log
// line), timed to their first healthy answer, measured for peak memory, and always stopped.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../src/paths.js';

export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** performance.now() at spawn. */
  spawnedAt: number;
}

const startTimeoutMs = 60_000;
/** Characters of the child's output kept for error messages. */
const outputKept = 4_000;
const running = new Set<ChildProcess>();

/** Kills whatever is still running if the bench process dies or is interrupted. */
export function stopAllOnExit(): void {
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of running) child.kill('SIGKILL');
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/**
 * Starts a TypeScript entry point on 127.0.0.1 with PORT=0 and resolves with its URL. Logs stay at
 * `info` (the production default, and the level that prints the listening line) and are read and
 * dropped as they come, so that a full pipe never blocks the server.
 */
export function startServer(script: string, env: Record<string, string>): Promise<ChildServer> {
  return new Promise((resolve, reject) => {
    const spawnedAt = performance.now();
    const child = spawn(process.execPath, script.endsWith('.js') ? [script] : ['--import', 'tsx', script], {
      cwd: projectRoot,
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let output = '';
    let url: string | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start within ${startTimeoutMs / 1000} s:\n${output}`));
    }, startTimeoutMs);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-outputKept);
      if (url) return;
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        url = match[1];
        clearTimeout(timer);
        resolve({ url, child, spawnedAt });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      running.delete(child);
      clearTimeout(timer);
      if (!url) reject(new Error(`${script} exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
}

/**
 * Milliseconds from spawn to the first 200 from `path`, polling every 10 ms. Polling can start only once
 * the server has logged its port; fastify logs that line when the app is ready and listening, so the
 * figure is spawn → modules loaded → app built → listening → first answer.
 */
export async function timeToFirstOk(server: ChildServer, path: string, timeoutMs = 30_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    try {
      const response = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - server.spawnedAt;
    } catch {
      // Not answering yet: poll again.
    }
    await sleep(10);
  }
  throw new Error(`${server.url}${path} did not answer 200 within ${timeoutMs / 1000} s`);
}

/**
 * Waits until `path` answers 200 within `quickMs` twice in a row. Requests still queued from the previous
 * scenario (autocannon stops sending, the server still answers what it has read) would otherwise slow the
 * next one. Returns the milliseconds waited.
 */
export async function waitUntilIdle(
  server: ChildServer,
  path: string,
  { quickMs = 50, timeoutMs = 300_000 } = {},
): Promise<number> {
  const started = performance.now();
  let quickInARow = 0;
  while (quickInARow < 2) {
    if (performance.now() - started > timeoutMs) {
      throw new Error(`${server.url} was still busy after ${timeoutMs / 1000} s`);
    }
    const sent = performance.now();
    try {
      const response = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
      await response.arrayBuffer();
      quickInARow = response.status === 200 && performance.now() - sent < quickMs ? quickInARow + 1 : 0;
    } catch {
      quickInARow = 0;
    }
    await sleep(50);
  }
  return performance.now() - started;
}

/**
 * A process's resident memory in bytes from /proc: `VmRSS` now, or `VmHWM`, the peak since it started.
 * null where /proc is not available.
 */
export function residentBytes(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    return match?.[1] ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** SIGTERM (the server closes gracefully), then SIGKILL if it has not exited within five seconds. */
export async function stopServer(server: ChildServer): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
  if (!stopped) {
    child.kill('SIGKILL');
    await exited;
  }
}
