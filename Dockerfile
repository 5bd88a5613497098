# Gantry's API and worker, for docker-compose.yml. The image runs the same scripts as a developer
# machine; Postgres and Redis come from compose (DATABASE_URL, REDIS_URL), so setup starts none.
FROM node:24-bookworm

# The pulumi CLI of setup's pinned version (≥ 3.176 for the Postgres state backend), with the
# Node.js language host of its release, which also runs programs of the older npm @pulumi/pulumi;
# setup finds it on PATH and builds nothing. (Offline machines build both from Go modules, the
# host at the npm version: scripts/setup/pulumi.sh.)
ARG PULUMI_CLI_VERSION=3.276.0
RUN curl -fsSL https://get.pulumi.com | sh -s -- --version "$PULUMI_CLI_VERSION"
ENV PATH=/root/.pulumi/bin:$PATH

WORKDIR /app
COPY . .
# The resource plugins the AWS and Kubernetes kinds load, at the versions the locked npm packages
# ask for, baked in as the tarballs an air-gapped operator would put in GANTRY_PLUGIN_DIR: setup
# installs them from there into the engine's Pulumi home in the data volume (at build time below,
# and again by the `setup` service when a newer image meets an older volume). Written without a
# Docker engine at hand: not yet built here.
ENV GANTRY_PLUGIN_DIR=/opt/gantry/plugins
RUN mkdir -p "$GANTRY_PLUGIN_DIR" && for name in aws kubernetes; do \
      version="$(node -p "require('./package-lock.json').packages['node_modules/@pulumi/$name'].version")" \
      && file="pulumi-resource-$name-v$version-linux-amd64.tar.gz" \
      && curl -fsSL -o "$GANTRY_PLUGIN_DIR/$file" "https://get.pulumi.com/releases/plugins/$file" || exit 1; \
    done
# Everything that needs no database: npm packages, the pulumi bin dir and plugins, the Prisma client.
RUN bash scripts/gantry.sh install

ENV HOST=0.0.0.0 PORT=8080
EXPOSE 8080
CMD ["bash", "scripts/gantry.sh", "start"]
