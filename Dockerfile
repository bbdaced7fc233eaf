# The image the CronJob in deploy/kube-preflight.yaml runs:
#   docker build -t ghcr.io/kube-preflight/kube-preflight:0.1.0 .
# Debian's Chromium is included for PDF reports (no browser is downloaded at install).
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src src
COPY checks checks
COPY bench bench
# bench/live-server.ts (compiled with the rest) serves a dump through the tests' API server.
COPY test/support test/support
# The build generates the report schema's validators and the index of built-in checks, and bundles
# the CLI (scripts/report-validators.js, scripts/checks-index.js, scripts/bundle.js, and
# scripts/generated-file.js, which the first two share).
COPY schema schema
COPY scripts/report-validators.js scripts/checks-index.js scripts/bundle.js scripts/generated-file.js scripts/
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends chromium fonts-dejavu-core ca-certificates \
  && rm -rf /var/lib/apt/lists/*
ENV PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium NODE_ENV=production
WORKDIR /opt/kube-preflight
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules node_modules
COPY --from=build /src/dist dist
COPY bin bin
COPY templates templates
COPY schema schema
COPY checks/versions/data/releases.json checks/versions/data/
COPY checks/apis/data/deprecated-apis.json checks/apis/data/
USER 65532:65532
ENTRYPOINT ["node", "/opt/kube-preflight/bin/kube-preflight.js"]
CMD ["--help"]
