// What the stacks service needs and what its changes take and answer: its contract with the HTTP
// routes and the Kubernetes controller, apart from how it keeps it (stacks-service.ts).
import type { Db, OperationModel as Operation } from "@gantry/db";
import type { KindRegistry } from "../kinds/kind-registry.ts";
import type { PolicyChecker } from "../policy/policy-check.ts";
import type { LoadedStack } from "./stack-view.ts";

export interface StacksDeps {
  db: Pick<Db, "stack" | "$transaction" | "$queryRaw" | "pool">;
  kinds: Pick<KindRegistry, "getKind" | "parseSpec" | "mergeSpec" | "dependencyIssues">;
  policy: Pick<PolicyChecker, "enforce" | "approvalRules">;
  /** Seals secret input values for the worker; without it, specs carrying them are refused. */
  secretInputKey?: Buffer | undefined;
}

/** A change of a stack: a patch of its spec and, when given, its whole new dependsOn. */
export interface StackChange {
  /** JSON Merge Patch on the current spec. */
  spec: Record<string, unknown>;
  /** Names or ids of the stacks it depends on from now on; absent: the ones it has. */
  dependsOn?: readonly string[] | undefined;
  blueprintVersion?: number | "latest" | undefined;
}

export interface Accepted {
  stack: LoadedStack;
  operation: Operation;
}
