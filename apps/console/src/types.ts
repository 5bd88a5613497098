// The shapes the console reads, as the API's response schemas define them (GET /openapi.json).

export interface ErrorBody {
  error: string;
  message: string;
  requestId?: string;
  issues?: { path: string; message: string }[];
}

export interface ChangeSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
  same: number;
}

export interface PlanResource {
  urn: string;
  type: string;
  op: "create" | "update" | "replace" | "delete";
  properties?: { path: string; change: string; before?: unknown; after?: unknown }[];
}

export interface Operation {
  id: string;
  stackId: string;
  kind: string;
  status: string;
  requestedBy: string;
  spec: Record<string, unknown>;
  summary: ChangeSummary | null;
  diff: unknown;
  error: { message: string; retryable: boolean } | null;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface Stack {
  id: string;
  kind: string;
  name: string;
  status: string;
  spec: Record<string, unknown>;
  outputs: Record<string, unknown>;
  secretOutputs: string[];
  driftStatus: string;
  driftCheckedAt: string | null;
  dependsOn: { id: string; name: string; kind: string }[];
  lastOperation: Operation | null;
  createdAt: string;
  updatedAt: string;
}

export interface Kind {
  name: string;
  title: string;
  description: string;
  dependsOn: string[];
  outputs: { name: string; description: string; secret: boolean }[];
  specSchema: Record<string, unknown>;
}

export interface EngineEvent {
  seq: number;
  type: string;
  payload: unknown;
  createdAt: string;
}

export interface DriftedResource {
  urn: string;
  type: string;
  change: "changed" | "deleted";
  properties: { name: string; expected: unknown; actual: unknown }[];
}

export interface FleetDrift {
  counts: Record<string, number>;
  drifted: {
    stack: { id: string; name: string; kind: string };
    driftCheckedAt: string | null;
    remediationNeedsApproval: boolean;
    resources: DriftedResource[];
  }[];
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  role: string | null;
  action: string;
  method: string;
  route: string;
  targetId: string | null;
  statusCode: number;
  result: string;
}
