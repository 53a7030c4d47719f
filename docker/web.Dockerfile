# The web app: Nuxt 4 server-rendered site. Build context: the repository root.
FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV NUXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY nuxt.config.ts tsconfig.json ./
COPY scripts ./scripts
COPY libs ./libs
COPY apps/web ./apps/web
RUN node scripts/build-web.mjs

FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/.output ./.output
USER node
EXPOSE 3000
CMD ["node", ".output/server/index.mjs"]
