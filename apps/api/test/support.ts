// What every API test file needs: a real database (DATABASE_URL), the app built on it, and teams
// with tokens of each role. Names are unique per run, so the suite can run twice on one database.
import { randomBytes } from "node:crypto";
import type { Role } from "@gantry/core";
import { createLogger } from "@gantry/core";
import { createDb, type Db } from "@gantry/db";
import { createRegistry, defineKind, getKind } from "@gantry/stacks";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll } from "vitest";
import { z } from "zod";
import { createTestDatabase } from "../../../tests/support/test-database.ts";
import { type AppDeps, buildApp } from "../src/app.ts";
import { createTokensService } from "../src/auth/tokens-service.ts";
import type { ReadStackOutputs } from "../src/outputs/outputs-service.ts";

/**
 * A migrated database for one test file: a fresh one from the shared harness when the test server
 * is known (`npm test`), else the one DATABASE_URL names (already migrated; rows are namespaced
 * by unique team names, so runs can repeat).
 */
async function testDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (process.env.GANTRY_TEST_PG_SERVER_URL) return createTestDatabase();
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error("no database: run `npm test`, or set DATABASE_URL to a migrated Postgres database");
  }
  return { url, drop: async () => undefined };
}

export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/** A kind that may depend on pg-database, to exercise dependencies; its program never runs here. */
const testApp = defineKind({
  name: "test-app",
  title: "Test application",
  description: "An application that uses a database (tests only).",
  specSchema: z.strictObject({ replicas: z.int().min(1).max(10).default(1) }),
  dependsOn: ["pg-database"],
  outputs: [
    { name: "url", description: "Where it answers.", secret: false },
    { name: "apiKey", description: "Its API key.", secret: true },
  ],
  engineEnv: () => ({}),
  program: async () => ({ url: "http://example.invalid", apiKey: "k" }),
});

const pgDatabase = getKind("pg-database");
if (!pgDatabase) throw new Error("the pg-database kind is not registered");
/** The real registry code with the real pg-database kind, plus test-app. */
export const testKinds = createRegistry([pgDatabase, testApp]);

export interface TestApi {
  app: FastifyInstance;
  db: Db;
  /** URL of the test database, for direct connections (LISTEN, triggers). */
  url: string;
  close: () => Promise<void>;
}

export async function startApi(overrides: Partial<AppDeps> = {}): Promise<TestApi> {
  const database = await testDatabase();
  const db = overrides.db ?? createDb(database.url, { poolSize: 4 });
  const notConfigured: ReadStackOutputs = async () => {
    throw new Error("no reader in this test");
  };
  const app = await buildApp({
    db,
    databaseUrl: database.url,
    kinds: testKinds,
    readStackOutputs: notConfigured,
    logger: createLogger({ name: "api-test", level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    ...overrides,
  });
  await app.ready();
  return {
    app,
    db,
    url: database.url,
    close: async () => {
      await app.close();
      await db.$disconnect();
      await database.drop();
    },
  };
}

export interface TestTeam {
  name: string;
  id: string;
  tokens: Record<Role, string>;
}

/** A new team with one token of each role. */
export async function createTeam(db: Db, prefix = "team"): Promise<TestTeam> {
  const name = unique(prefix);
  const service = createTokensService({ db });
  const tokens = {} as Record<Role, string>;
  let id = "";
  for (const role of ["viewer", "operator", "admin"] as const) {
    const created = await service.create({ teamName: name, role, name: `${role} token` });
    tokens[role] = created.token;
    id = created.teamId;
  }
  return { name, id, tokens };
}

/**
 * The API (built with `overrides`) and a team named after `prefix` for one test file: started
 * before its tests, closed after them. Meant to be destructured at the top of the file
 * (`const { api, team } = useApi("auth")`), before beforeAll has run: so `api` and `team` are
 * stand-ins whose fields look the real values up when a test or a later hook reads them.
 */
export function useApi(
  prefix: string,
  overrides: Partial<AppDeps> = {},
): { api: Omit<TestApi, "close">; team: TestTeam } {
  let api: TestApi | undefined;
  let team: TestTeam | undefined;
  beforeAll(async () => {
    api = await startApi(overrides);
    team = await createTeam(api.db, prefix);
  });
  afterAll(() => api?.close());
  return {
    api: readThrough(() => api, ["app", "db", "url"]),
    team: readThrough(() => team, ["name", "id", "tokens"]),
  };
}

/** A stand-in for a value made later: each of `keys` is a getter that reads it from `current()`. */
function readThrough<T extends object, K extends keyof T>(
  current: () => T | undefined,
  keys: K[],
): Pick<T, K> {
  const view = {} as Pick<T, K>;
  for (const key of keys) {
    Object.defineProperty(view, key, {
      enumerable: true,
      get: () => {
        const value = current();
        if (value === undefined) throw new Error(`useApi: ${String(key)} is read before beforeAll has run`);
        return value[key];
      },
    });
  }
  return view;
}

export interface CallOptions {
  token?: string | undefined;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One request through inject(); the JSON body parsed. */
export async function call(app: FastifyInstance, method: string, url: string, options: CallOptions = {}) {
  const response = await app.inject({
    method: method as "GET",
    url,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
  const body: any = response.headers["content-type"]?.includes("json")
    ? JSON.parse(response.body)
    : response.body;
  return { status: response.statusCode, body, headers: response.headers };
}

/** Every error answer has the same shape. */
export function expectErrorShape(body: unknown): void {
  const value = body as Record<string, unknown>;
  if (
    typeof value?.error !== "string" ||
    typeof value.message !== "string" ||
    typeof value.requestId !== "string"
  ) {
    throw new Error(`not an error body: ${JSON.stringify(body)}`);
  }
}
