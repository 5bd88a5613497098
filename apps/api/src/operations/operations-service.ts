// Reading operations, always within the caller's team.
import type { Db, OperationModel as Operation } from "@gantry/db";
import type { Caller } from "../auth/roles.ts";
import { isUuid } from "../http/common-schemas.ts";
import { NotFoundError } from "../http/errors.ts";

export interface OperationsDeps {
  db: Pick<Db, "operation">;
}

export function createOperationsService(deps: OperationsDeps) {
  return {
    async get(caller: Caller, id: string): Promise<Operation> {
      const row = isUuid(id)
        ? await deps.db.operation.findFirst({ where: { id, teamId: caller.teamId } })
        : null;
      if (!row) throw new NotFoundError("operation", id);
      return row;
    },
  };
}

export type OperationsService = ReturnType<typeof createOperationsService>;
