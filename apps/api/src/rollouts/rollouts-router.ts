// Fleet rollouts (README, Rollouts): start one, follow its per-stack progress, pause, resume, cancel.
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { callerOf } from "../auth/auth-plugin.ts";
import { authErrors, ErrorBody, IdParams } from "../http/common-schemas.ts";
import { CreateRolloutBody, Rollout, RolloutList } from "./rollouts-schemas.ts";
import type { LoadedRollout, RolloutsService } from "./rollouts-service.ts";

type RolloutView = z.output<typeof Rollout>;

function toRolloutView(row: LoadedRollout): RolloutView {
  const progress: Record<string, number> = {};
  for (const entry of row.stacks) progress[entry.state] = (progress[entry.state] ?? 0) + 1;
  return {
    id: row.id,
    kind: row.kind,
    targetVersion: row.targetVersion,
    status: row.status as RolloutView["status"],
    waves: row.waves,
    currentWave: row.currentWave,
    pausedReason: row.pausedReason,
    requestedBy: row.requestedBy,
    progress,
    stacks: row.stacks.map((entry) => ({
      stackId: entry.stackId,
      name: entry.stack.name,
      wave: entry.wave,
      state: entry.state as RolloutView["stacks"][number]["state"],
      fromVersion: entry.fromVersion,
      previewOperationId: entry.previewOperationId,
      upOperationId: entry.upOperationId,
      error: entry.error,
    })),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    finishedAt: row.finishedAt,
  };
}

export const rolloutsRouter: FastifyPluginAsyncZod<{ rollouts: RolloutsService }> = async (
  app,
  { rollouts },
) => {
  app.post(
    "/v1/rollouts",
    {
      config: { access: "admin", audit: "rollout.create" },
      schema: {
        tags: ["rollouts"],
        summary: "Roll a blueprint version out to the kind's stacks: previews first, then wave by wave",
        body: CreateRolloutBody,
        response: { 202: Rollout, ...authErrors, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request, reply) => {
      const rollout = await rollouts.create(callerOf(request), request.body);
      request.auditTarget = rollout.id;
      return reply.code(202).send(toRolloutView(rollout));
    },
  );

  app.get(
    "/v1/rollouts",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["rollouts"],
        summary: "The team's rollouts, newest first",
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
        response: { 200: RolloutList, ...authErrors },
      },
    },
    async (request) => ({
      rollouts: (await rollouts.list(callerOf(request), request.query.limit)).map((row) => {
        const { stacks: _stacks, ...rest } = toRolloutView(row);
        return rest;
      }),
    }),
  );

  app.get(
    "/v1/rollouts/:id",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["rollouts"],
        summary: "A rollout with each stack's wave, state and operations",
        params: IdParams,
        response: { 200: Rollout, ...authErrors, 404: ErrorBody },
      },
    },
    async (request) => toRolloutView(await rollouts.get(callerOf(request), request.params.id)),
  );

  for (const action of ["pause", "resume", "cancel"] as const) {
    app.post(
      `/v1/rollouts/:id/${action}`,
      {
        config: { access: "admin", audit: `rollout.${action}` },
        schema: {
          tags: ["rollouts"],
          summary: `${action[0]?.toUpperCase()}${action.slice(1)} a rollout`,
          params: IdParams,
          response: { 200: Rollout, ...authErrors, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request) => toRolloutView(await rollouts[action](callerOf(request), request.params.id)),
    );
  }
};
