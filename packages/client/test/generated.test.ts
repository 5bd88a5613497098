// The checked-in client must be what the API's routes generate today: a route or schema change
// that is not regenerated (`npm run client:generate`) fails here, before it breaks a caller.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { generateClientFiles } from "../scripts/generate-client.ts";

const generated = (name: string) => readFile(new URL(`../src/generated/${name}`, import.meta.url), "utf8");

describe("the generated client", () => {
  it("matches the API's live OpenAPI document", async () => {
    const fresh = await generateClientFiles();
    const stale = "is stale: run `npm run client:generate` and commit the result";
    expect(fresh.document, `packages/client/src/generated/openapi.json ${stale}`).toBe(
      await generated("openapi.json"),
    );
    expect(fresh.types, `packages/client/src/generated/openapi.ts ${stale}`).toBe(
      await generated("openapi.ts"),
    );
  });

  it("covers every route the API serves", async () => {
    const doc = JSON.parse(await generated("openapi.json")) as { paths: Record<string, unknown> };
    // A sample of each router: if the document lost a router, these go first.
    for (const path of [
      "/v1/stacks",
      "/v1/stacks/{id}",
      "/v1/operations/{id}/events",
      "/v1/kinds",
      "/v1/drift",
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});
