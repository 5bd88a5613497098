// The console's static files at /ui: served without a token under the API's security headers,
// hashed assets cached for good and index.html revalidated, nothing else of the directory
// reachable, and a clear 404 when the console has not been built.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, expectErrorShape, startApi, type TestApi } from "./support.ts";

let dir: string;
let api: TestApi;
let unbuilt: TestApi;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gantry-console-"));
  await mkdir(join(dir, "assets"));
  await writeFile(
    join(dir, "index.html"),
    '<!doctype html><script type="module" src="/ui/assets/app-1a2b.js"></script>',
  );
  await writeFile(join(dir, "assets", "app-1a2b.js"), "console.log('console');");
  await writeFile(join(dir, ".gantry-src-hash"), "abc");
  [api, unbuilt] = await Promise.all([
    startApi({ consoleDir: dir }),
    startApi({ consoleDir: join(dir, "none") }),
  ]);
});

afterAll(async () => {
  await Promise.all([api?.close(), unbuilt?.close()]);
  await rm(dir, { recursive: true, force: true });
});

describe("/ui", () => {
  it("moves /ui to /ui/ and serves index.html there without a token, revalidated, under a strict CSP", async () => {
    const moved = await call(api.app, "GET", "/ui");
    expect(moved.status).toBe(302);
    expect(moved.headers.location).toBe("/ui/");
    const index = await call(api.app, "GET", "/ui/");
    expect(index.status).toBe(200);
    expect(index.body).toContain("/ui/assets/app-1a2b.js");
    expect(index.headers["cache-control"]).toBe("no-cache");
    const csp = String(index.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-eval");
  });

  it("caches hashed assets for good and refuses dotfiles and unknown paths", async () => {
    const asset = await call(api.app, "GET", "/ui/assets/app-1a2b.js");
    expect(asset.status).toBe(200);
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect((await call(api.app, "GET", "/ui/.gantry-src-hash")).status).toBe(403);
    expect((await call(api.app, "GET", "/ui/../package.json")).status).toBe(404);
    const missing = await call(api.app, "GET", "/ui/assets/nothing.js");
    expect(missing.status).toBe(404);
    expectErrorShape(missing.body);
  });

  it("is not part of the OpenAPI document", async () => {
    const spec = await call(api.app, "GET", "/openapi.json");
    expect(Object.keys(spec.body.paths).filter((path) => path.startsWith("/ui"))).toEqual([]);
  });

  it("says how to build the console when there is no build", async () => {
    for (const path of ["/ui", "/ui/", "/ui/assets/app.js"]) {
      const answer = await call(unbuilt.app, "GET", path);
      expect(answer.status).toBe(404);
      expectErrorShape(answer.body);
      expect(answer.body.message).toContain("npm run build -w @gantry/console");
    }
  });
});
