// `npm start`: builds dist/ if src/ changed since the last build, then runs the bundled server in this same
// process (one Node.js start instead of two).
import { build, serverBundle } from './build.mjs';
import { pathToFileURL } from 'node:url';

await build({ ifStale: true });
await import(pathToFileURL(serverBundle).href);
