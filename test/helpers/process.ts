// Runs the project's own entry points as child processes, as `npm start` and the npm scripts do.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * How a child loads TypeScript: with the loader this test process runs under (tap's), so that it compiles
 * src/ to exactly the code the test process runs. Coverage depends on it: tap's report (c8) merges the V8
 * counts of every process by file URL and then maps them through one source map per file, the last one it
 * reads. tsx always emits whitespace-minified code, so when a tsx child's record happened to come last, each
 * src file it had loaded was mapped as one statement, fully covered, and the report left it out: the report
 * kept only a few files and failed its threshold, at random (records are named by random UUIDs). Outside tap
 * (no loader of its own), tsx.
 */
export const typescriptLoader: string[] = (() => {
  const tapLoader = process.execArgv.filter((option) => option.includes('@tapjs/typescript'));
  return tapLoader.length > 0 ? tapLoader : ['--import', 'tsx'];
})();

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runScript(script: string, args: string[], env: Record<string, string>): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...typescriptLoader, script, ...args], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts src/server.ts on an ephemeral loopback port and resolves with its base URL once it listens. */
export function startServer(
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess; logs: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...typescriptLoader, 'src/server.ts'], {
      cwd: root,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        MAX_EVENT_LOOP_DELAY_MS: '0',
        ...env,
      },
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within 30 s:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      // fastify's JSON line, or the start-up message in text (LOG_FORMAT=text).
      const match = /(?:Server|Stödkartan is) listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ url: match[1], child, logs: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}
