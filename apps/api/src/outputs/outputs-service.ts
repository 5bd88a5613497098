// A stack's outputs. Secret values live only in the encrypted Pulumi state: they are read from it
// on an explicit reveal by an admin, through the injected reader (the engine), and never stored.
import type { Logger } from "@gantry/core";
import type { Db } from "@gantry/db";
import { type Caller, requireRole } from "../auth/roles.ts";
import { isUuid } from "../http/common-schemas.ts";
import { ApiError, ConflictError, NotFoundError, ServiceUnavailableError } from "../http/errors.ts";
import type { KindRegistry } from "../kinds/kind-registry.ts";
import { declaredSecrets, redactedOutputs } from "../stacks/stack-view.ts";
import type { OutputsView } from "./outputs-schemas.ts";

export type RevealedOutputs = Record<string, { value: unknown; secret: boolean }>;

/** Reads a stack's outputs with secret values from its state (`@gantry/engine`'s readStackOutputs). */
export type ReadStackOutputs = (stack: {
  id: string;
  kind: string;
  name: string;
  teamName: string;
  /** The stored spec: whether a run of it needs the cloud's credentials. */
  spec: unknown;
}) => Promise<RevealedOutputs>;

export interface OutputsDeps {
  db: Pick<Db, "stack">;
  kinds: Pick<KindRegistry, "getKind">;
  readStackOutputs: ReadStackOutputs;
  logger: Logger;
}

export function createOutputsService(deps: OutputsDeps) {
  return {
    async get(caller: Caller, id: string, reveal: boolean): Promise<OutputsView> {
      if (reveal) requireRole(caller, "admin", "revealing secret outputs");
      const stack = isUuid(id)
        ? await deps.db.stack.findFirst({ where: { id, teamId: caller.teamId } })
        : null;
      if (!stack) throw new NotFoundError("stack", id);
      const declared = declaredSecrets(stack.kind, deps.kinds);
      if (!reveal) {
        const { outputs, secretOutputs } = redactedOutputs(stack.outputs, stack.secretOutputs, declared);
        return { stackId: stack.id, outputs, secretOutputs, revealed: false };
      }

      if (stack.status === "pending" || stack.status === "destroyed") {
        throw new ConflictError(
          "no_outputs",
          `stack "${stack.name}" is ${stack.status}: it has no outputs to reveal`,
        );
      }
      let values: RevealedOutputs;
      try {
        values = await deps.readStackOutputs({
          id: stack.id,
          kind: stack.kind,
          name: stack.name,
          teamName: caller.teamName,
          spec: stack.spec,
        });
      } catch (err) {
        if (err instanceof ApiError) throw err;
        deps.logger.error({ err, stackId: stack.id }, "could not read outputs from the stack's state");
        throw new ServiceUnavailableError(
          "the stack's outputs could not be read from its state; try again later",
        );
      }
      const secretOutputs = Object.keys(values).filter((name) => values[name]?.secret || declared.has(name));
      // Which secrets (names only): the audit log has who, when and the result.
      deps.logger.info(
        { stackId: stack.id, tokenId: caller.tokenId, secretOutputs },
        "secret outputs revealed",
      );
      return {
        stackId: stack.id,
        outputs: Object.fromEntries(Object.entries(values).map(([name, output]) => [name, output.value])),
        secretOutputs,
        revealed: true,
      };
    },
  };
}

export type OutputsService = ReturnType<typeof createOutputsService>;
