# Tavolo container image (README: "Container"). Multi-stage: the build stage has the dev dependencies (Vite,
# TypeScript) and builds dist/; the runtime stage has only the runtime dependencies and the build, runs as a non-root
# user, and keeps the database in the /data volume.
#   docker build -t tavolo .
#   docker run -d -p 8080:8080 -v tavolo-data:/data -e ADMIN_TOKEN=... -e PUBLIC_URL=https://... tavolo
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production DATA_DIR=/data HOST=0.0.0.0 PORT=8080
WORKDIR /app
# From the build context, not the build stage: the stamp hashed these files before `npm prune` could touch them.
COPY package.json package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/scripts ./scripts
# The build stamp hashes these sources: with them present, `npm start` checks the build and runs it as is.
COPY --from=build /app/client ./client
COPY --from=build /app/server ./server
COPY --from=build /app/shared ./shared
COPY --from=build /app/tsconfig.json /app/tsconfig.build.json ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# node directly (not npm) so that SIGTERM from `docker stop` reaches the server and it shuts down cleanly.
CMD ["node", "scripts/start.mjs"]
