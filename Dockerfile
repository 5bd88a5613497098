# syntax=docker/dockerfile:1
# Gantry's API and worker image (docker-compose.yml, the Helm chart in deploy/helm/gantry). The
# image runs the same scripts as a developer machine; Postgres and Redis come from outside
# (DATABASE_URL, REDIS_URL), so setup starts none. It runs as the unprivileged `node` user, and
# nothing fetched from the network is run by a shell: downloads are files, checked, then unpacked.

# --- Downloads: the pulumi CLI and the resource plugins, kept apart so code changes never refetch them.
FROM node:24-bookworm AS downloads
# The pulumi CLI of setup's pinned version (≥ 3.176 for the Postgres state backend), with the
# Node.js language host of its release beside it (which also runs programs of the older npm
# @pulumi/pulumi); setup finds it on PATH and builds nothing. The tarball is checked against the
# release's published SHA-256 sums. (Offline machines build both from Go modules: scripts/setup/pulumi.sh.)
ARG PULUMI_CLI_VERSION=3.276.0
WORKDIR /downloads
RUN release="https://github.com/pulumi/pulumi/releases/download/v${PULUMI_CLI_VERSION}" \
    && file="pulumi-v${PULUMI_CLI_VERSION}-linux-x64.tar.gz" \
    && curl -fsSL -o "$file" "$release/$file" \
    && curl -fsSL -o sums.txt "$release/pulumi-${PULUMI_CLI_VERSION}-checksums.txt" \
    && grep " $file\$" sums.txt | sha256sum -c - \
    && mkdir -p /opt/pulumi && tar -xzf "$file" -C /opt/pulumi --strip-components=1 \
    && /opt/pulumi/pulumi version
# The resource plugins the AWS and Kubernetes kinds load, at the versions the locked npm packages
# ask for, as the tarballs an air-gapped operator would put in GANTRY_PLUGIN_DIR: setup installs
# them from there into the engine's Pulumi home in the data dir (README, Resource plugins).
COPY package-lock.json ./
RUN mkdir -p /opt/gantry/plugins && for name in aws kubernetes; do \
      version="$(node -p "require('./package-lock.json').packages['node_modules/@pulumi/$name'].version")" \
      && file="pulumi-resource-$name-v$version-linux-amd64.tar.gz" \
      && curl -fsSL -o "/opt/gantry/plugins/$file" "https://get.pulumi.com/releases/plugins/$file" \
      && tar -tzf "/opt/gantry/plugins/$file" >/dev/null || exit 1; \
    done

# --- The image.
FROM node:24-bookworm
ENV GANTRY_PLUGIN_DIR=/opt/gantry/plugins \
    GANTRY_DATA_DIR=/data \
    PATH=/opt/pulumi:$PATH \
    HOST=0.0.0.0 PORT=8080
COPY --from=downloads /opt/pulumi /opt/pulumi
COPY --from=downloads /opt/gantry/plugins /opt/gantry/plugins
RUN mkdir -p /app /data && chown node:node /app /data
WORKDIR /app
USER node

# npm packages first, from the manifests alone: this layer is rebuilt only when they change.
# Install scripts stay off, as in setup (scripts/setup/deps.sh); its stamp says the tree matches the lock.
COPY --chown=node:node package.json package-lock.json ./
COPY --chown=node:node apps/api/package.json apps/api/
COPY --chown=node:node apps/worker/package.json apps/worker/
COPY --chown=node:node packages/core/package.json packages/core/
COPY --chown=node:node packages/db/package.json packages/db/
COPY --chown=node:node packages/engine/package.json packages/engine/
COPY --chown=node:node packages/stacks/package.json packages/stacks/
COPY --chown=node:node bench/package.json bench/
RUN npm ci --ignore-scripts --no-audit --no-fund \
    && sha256sum <package-lock.json | cut -d' ' -f1 >node_modules/.gantry-lock-hash

# Then the code, and everything that needs no database: the pulumi bin dir, the plugins in the
# data dir's Pulumi home, the Prisma client (scripts/gantry.sh install).
COPY --chown=node:node . .
RUN bash scripts/gantry.sh install

EXPOSE 8080 9464 9465
# Runs setup (migrations under their advisory lock, plugins into a fresh data dir) then the API and
# the worker; `start api` or `start worker` runs one (compose and the Helm chart do).
CMD ["bash", "scripts/gantry.sh", "start"]
