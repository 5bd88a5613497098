// Gantry as its users run it, for end-to-end tests: the real API and worker processes on a fresh
// database, a queue prefix and a data directory of their own, and tokens of a fresh team.
import { expect, vi } from "vitest";
import { launchGantry } from "./launch.ts";

export interface ApiAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered
  body: any;
}

export interface Gantry {
  baseUrl: string;
  adminToken: string;
  viewerToken: string;
  call(method: string, path: string, body?: unknown, token?: string): Promise<ApiAnswer>;
  /** Waits until an operation has finished, whatever its outcome, and returns it. */
  finished(operationId: string): Promise<ApiAnswer["body"]>;
  stop(): Promise<void>;
}

export async function startGantry(extraEnv: Record<string, string> = {}): Promise<Gantry> {
  const launched = await launchGantry(extraEnv);
  const { baseUrl } = launched;
  const adminToken = await launched.token("admin");
  const viewerToken = await launched.token("viewer");

  const call = async (method: string, path: string, body?: unknown, as = adminToken): Promise<ApiAnswer> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${as}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  return {
    baseUrl,
    adminToken,
    viewerToken,
    call,
    async finished(operationId) {
      let op: ApiAnswer["body"];
      await vi.waitFor(
        async () => {
          op = (await call("GET", `/v1/operations/${operationId}`)).body;
          expect(["succeeded", "failed", "cancelled", "interrupted"]).toContain(op?.status);
        },
        { timeout: 240_000, interval: 50 },
      );
      return op;
    },
    stop: () => launched.stop(),
  };
}
