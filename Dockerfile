# syntax=docker/dockerfile:1
# Stödkartan on Node.js 22, an LTS line (package.json still allows Node 20 or later for development). Not 24:
# better-sqlite3 12 aborts the process there (SIGABRT, "Assertion failed: (env) != nullptr" in
# RemoveEnvironmentCleanupHook from Statement::~Statement when a statement is garbage-collected), which the
# test suite hit on Node 24.21.0; move to 24 together with a better-sqlite3 that fixes it, and run .ci/run.
#
#   docker build -t stodkartan .
#   docker run -d --name stodkartan -p 3000:3000 -v stodkartan-data:/data stodkartan
#
# A write token, created inside the running container against its database (printed once; only its hash is
# stored):
#
#   docker exec stodkartan node dist/cli/token.js create --name anna --scope county:06
#   docker exec stodkartan node dist/cli/token.js list
#   docker exec stodkartan node dist/cli/token.js revoke --name anna
#
# Without a running container, the same against the volume:
#
#   docker run --rm -v stodkartan-data:/data stodkartan node dist/cli/token.js create --name anna --scope admin
#
# PostgreSQL instead of SQLite (many replicas, README "Running more than one replica", compose.yaml): set
# DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DB. The image needs nothing else: the server reads it at start,
# DATABASE_PATH and the /data volume are then unused (Docker still creates an anonymous volume for /data; it stays
# empty), and `pg` is bundled into dist/server.bundle.js (and kept in node_modules for the tools in dist/cli/).
# Each start applies migrations-pg/ under an advisory lock; a deployment runs them first, as a one-shot container:
#
#   docker run --rm -e DATABASE_URL stodkartan node dist/cli/migrate.js
#
# The image has no pg_dump: back up with the database's own (`pg_dump --format=custom`, the server's major
# version or newer), e.g. from the postgis container in compose.yaml.

# Build stage: compiles the native SQLite module and the TypeScript sources, and bundles the server into one
# file (dist/server.bundle.js, scripts/build.mjs) that starts in a fraction of the time of dist/server.js.
FROM node:22-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Runtime stage: only what the service needs, as a non-root user, the database on a volume.
FROM node:22-bookworm-slim
# Set PUBLIC_BASE_URL (e.g. -e PUBLIC_BASE_URL=https://stodkartan.se) to the address clients use: it is the base
# of the absolute links in /v1/api-info, /v1/dataset and HSDS; without it they point at localhost.
# NODE_COMPILE_CACHE (Node 22.1 and later): compiled modules kept on disk, so a restart loads them faster.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATABASE_PATH=/data/stodkartan.db LOG_FORMAT=json \
    NODE_COMPILE_CACHE=/tmp/node-compile-cache
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY migrations ./migrations
# PostgreSQL's migrations, read at run time from beside dist/ (src/paths.ts: projectRoot).
COPY migrations-pg ./migrations-pg
COPY seed ./seed
COPY src/pages ./src/pages
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Liveness: /health is never shed or rate limited. An orchestrator's readiness probe should use /ready, which
# answers 503 while the instance sheds load.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/server.bundle.js"]
