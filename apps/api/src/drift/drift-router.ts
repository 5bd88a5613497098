// Drift reports and settings: GET /v1/stacks/:id/drift, GET /v1/drift, PUT /v1/stacks/:id/drift-settings.
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { callerOf } from "../auth/auth-plugin.ts";
import { requireRole } from "../auth/roles.ts";
import { authErrors, ErrorBody, IdParams } from "../http/common-schemas.ts";
import {
  DriftHistoryQuery,
  DriftSettings,
  DriftSettingsBody,
  FleetDrift,
  FleetDriftQuery,
  StackDrift,
} from "./drift-schemas.ts";
import type { DriftService } from "./drift-service.ts";

export const driftRouter: FastifyPluginAsyncZod<{ drift: DriftService }> = async (app, { drift }) => {
  app.get(
    "/v1/stacks/:id/drift",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["drift"],
        summary: "A stack's drift: status, latest report with per-resource diffs, history, settings",
        params: IdParams,
        querystring: DriftHistoryQuery,
        response: { 200: StackDrift, ...authErrors, 404: ErrorBody },
      },
    },
    async (request) => drift.stackDrift(callerOf(request), request.params.id, request.query),
  );

  app.get(
    "/v1/drift",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["drift"],
        summary: "The team's fleet: stacks per drift status, and the drifted ones with when and what",
        querystring: FleetDriftQuery,
        response: { 200: FleetDrift, ...authErrors },
      },
    },
    async (request) => drift.fleet(callerOf(request), request.query.limit),
  );

  app.put(
    "/v1/stacks/:id/drift-settings",
    {
      config: { access: "operator", audit: "stack.drift-settings" },
      schema: {
        tags: ["drift"],
        summary: "Set how often the stack is checked for drift, and whether drift is put right on detection",
        params: IdParams,
        body: DriftSettingsBody,
        response: { 200: DriftSettings, ...authErrors, 404: ErrorBody },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      // Turning auto-remediation on lets the platform remediate without asking: admins' decision,
      // like a remediation itself.
      if (request.body.autoRemediate !== undefined) requireRole(caller, "admin", "setting autoRemediate");
      return drift.updateSettings(caller, request.params.id, request.body);
    },
  );
};
