# The API: NestJS on Node 24. Build context: the repository root.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json .swcrc nest-cli.json ./
COPY scripts ./scripts
COPY libs ./libs
COPY apps/api ./apps/api
RUN node scripts/build-api.mjs && npm prune --omit=dev --no-audit --no-fund
# ffprobe's own install script makes it executable for its owner only; the API runs as "node".
RUN chmod a+x node_modules/@ffprobe-installer/linux-x64/ffprobe node_modules/@ffmpeg-installer/linux-x64/ffmpeg

FROM node:24-bookworm-slim
ENV NODE_ENV=production DATA_DIR=/data API_PORT=3001
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3001
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3001/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/api/apps/api/src/main.js"]
