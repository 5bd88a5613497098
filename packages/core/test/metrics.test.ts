// The metrics helpers on their own: a read cached for its period and shared by concurrent
// scrapes, a failed read retried, gauges filled by one refresh, and the server's answers.
import { describe, expect, it } from "vitest";
import { cachedRead, Gauge, Registry, scrapedGauges, startMetricsServer } from "../src/metrics/index.ts";

describe("cachedRead", () => {
  it("reads once per period, shared by concurrent callers, and again after a failure", async () => {
    let reads = 0;
    let fail = false;
    const read = cachedRead(async () => {
      reads += 1;
      if (fail) throw new Error("database down");
      return reads;
    }, 60_000);
    expect(await Promise.all([read(), read(), read()])).toEqual([1, 1, 1]);
    expect(reads).toBe(1);

    const failing = cachedRead(async () => {
      reads += 1;
      if (fail) throw new Error("database down");
      return reads;
    }, 60_000);
    fail = true;
    await expect(failing()).rejects.toThrow("database down");
    fail = false;
    expect(await failing()).toBe(3);
    expect(await failing()).toBe(3);
  });
});

describe("scrapedGauges", () => {
  it("keeps the last values when a read fails, and says so in its ok gauge", async () => {
    const registry = new Registry();
    const errors: unknown[] = [];
    let fail = false;
    const scraped = scrapedGauges(registry, {
      read: async () => {
        if (fail) throw new Error("down");
        return 7;
      },
      cacheMs: 0,
      onError: (err) => errors.push(err),
      ok: { name: "test_read_ok", help: "ok" },
    });
    const value = scraped.gauge({ name: "test_value", help: "value" });
    scraped.fill((read) => value.set(read));
    expect(await registry.metrics()).toMatch(/^test_value 7$/m);
    fail = true;
    const text = await registry.metrics();
    expect(text).toMatch(/^test_value 7$/m);
    expect(text).toMatch(/^test_read_ok 0$/m);
    expect(errors).toEqual([new Error("down")]);
  });
});

describe("a metrics server", () => {
  it("serves the registry as Prometheus text, one refresh per scrape for gauges that share it", async () => {
    const registry = new Registry();
    let refreshes = 0;
    const scraped = scrapedGauges(registry, {
      read: async () => ++refreshes,
      cacheMs: 0,
      onError: () => {},
      ok: { name: "test_read_ok", help: "ok" },
    });
    const a = scraped.gauge({ name: "test_a", help: "a" });
    const b = scraped.gauge({ name: "test_b", help: "b" });
    scraped.fill((value) => {
      a.set(value);
      b.set(value * 10);
    });
    const server = await startMetricsServer(registry, { host: "127.0.0.1", port: 0 });
    try {
      const url = `http://127.0.0.1:${server.port}`;
      const first = await fetch(`${url}/metrics`);
      expect(first.status).toBe(200);
      expect(first.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await first.text();
      expect(text).toMatch(/^test_a 1$/m);
      expect(text).toMatch(/^test_b 10$/m);
      expect(text).toMatch(/^test_read_ok 1$/m);
      expect(refreshes).toBe(1);
      expect(await (await fetch(`${url}/metrics?x=1`)).text()).toMatch(/^test_b 20$/m);
      expect((await fetch(`${url}/`)).status).toBe(404);
      expect((await fetch(`${url}/metrics`, { method: "POST" })).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it("answers 500 without details when collecting fails, and says why to its caller", async () => {
    const registry = new Registry();
    new Gauge({
      name: "test_broken",
      help: "broken",
      registers: [registry],
      collect: () => Promise.reject(new Error("redis://:hunter2@cache unreachable")),
    });
    const errors: unknown[] = [];
    const server = await startMetricsServer(registry, {
      host: "127.0.0.1",
      port: 0,
      onError: (err) => errors.push(err),
    });
    try {
      const answer = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(answer.status).toBe(500);
      expect(await answer.text()).not.toContain("hunter2");
      expect(errors).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
