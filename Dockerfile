# The Verdict worker image: docker build -t verdict:0.1.0 .  (deploy/ runs it; README "Run in production").
# Stage 1 compiles the TypeScript and pre-bundles the workflows (npm run build); stage 2 installs the
# production dependencies alone; the final image holds those two outputs and runs as a non-root user.
# Debian, not Alpine: Temporal's native core bridge is built against glibc.
ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=build /src/dist dist
COPY package.json ./
COPY bin bin
# The pinned versions file marks the install root (src/sandbox/binaries.ts looks for it).
COPY sandbox/versions.env sandbox/versions.env
# The `node` user of the base image, by number so that runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 9464 8080
ENTRYPOINT ["node", "/app/bin/verdict"]
CMD ["worker"]
