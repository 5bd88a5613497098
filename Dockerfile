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
# Everything that needs no database: npm packages, the pulumi bin dir, the Prisma client.
RUN bash scripts/gantry.sh install

ENV HOST=0.0.0.0 PORT=8080
EXPOSE 8080
CMD ["bash", "scripts/gantry.sh", "start"]
