// The AWS credential chain as documented, through the engine's own environment: each source is
// given to a worker environment, engineEnvironment builds the engine's from it, and a real child
// process started with exactly that environment asks the AWS SDK's chain (as the engine does before
// an AWS run). Sources that cannot run here are real local stand-ins: files, a credential_process,
// and HTTP servers for STS, the container credentials endpoint and the instance metadata service.
import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { NO_AWS_CREDENTIALS } from "@gantry/stacks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEngineSettings } from "../src/config.ts";
import { engineEnvironment, engineSecrets } from "../src/settings.ts";
import { runEngineProcess } from "../src/spawn.ts";
import {
  closedEndpoint,
  type FakeCredentials,
  type FakeEndpoint,
  fakeContainerEndpoint,
  fakeInstanceMetadata,
  fakeSts,
} from "./support/fake-aws-endpoints.ts";
import { installStandInPlugins } from "./support/stand-in-plugins.ts";

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const FIND = fileURLToPath(new URL("./support/find-aws-credentials.ts", import.meta.url));

let work: string;
const endpoints: FakeEndpoint[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "gantry-aws-chain-"));
  // The engine checks the aws plugin is installed before anything else of a run (plugins.test.ts).
  await installStandInPlugins(join(work, "data", "pulumi-home"));
});
afterAll(async () => {
  await Promise.all(endpoints.map((endpoint) => endpoint.close()));
  await rm(work, { recursive: true, force: true });
});

function credentials(name: string): FakeCredentials {
  return {
    accessKeyId: `AKIA${name.toUpperCase()}`,
    secretAccessKey: `secret-${name}-wJalrXUtnFEMI`,
    sessionToken: `token-${name}-FwoGZXIvYXdzE`,
  };
}

/** A worker's home of its own for one test, with these files under it. */
async function workerHome(files: Record<string, string> = {}): Promise<string> {
  const home = await mkdtemp(join(work, "home-"));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(home, path, ".."), { recursive: true });
    await writeFile(join(home, path), text);
  }
  return home;
}

/** What the worker would be started with: Gantry's engine settings, a region, and `aws`. */
function workerEnv(home: string, aws: Record<string, string>): Record<string, string | undefined> {
  return {
    GANTRY_DATA_DIR: join(work, "data"),
    PATH: process.env.PATH,
    PULUMI_CONFIG_PASSPHRASE: "aws-chain-test-passphrase",
    HOME: home,
    AWS_REGION: "eu-west-1",
    ...aws,
  };
}

/** Asks the chain in a child process whose environment is exactly the engine's for an AWS kind. */
async function findInEngine(env: Record<string, string | undefined>) {
  const engineEnv = engineEnvironment(loadEngineSettings(env), "network");
  const { stdout } = await promisify(execFile)(process.execPath, [FIND], {
    cwd: PACKAGE_DIR,
    env: engineEnv,
  });
  return JSON.parse(stdout) as { found?: Partial<FakeCredentials>; error?: string };
}

async function started<T extends FakeEndpoint>(endpoint: Promise<T>): Promise<T> {
  const ready = await endpoint;
  endpoints.push(ready);
  return ready;
}

const ini = (sections: Record<string, Record<string, string>>) =>
  Object.entries(sections)
    .map(
      ([name, keys]) =>
        `[${name}]\n${Object.entries(keys)
          .map(([k, v]) => `${k} = ${v}\n`)
          .join("")}`,
    )
    .join("\n");

const keysOf = (c: FakeCredentials) => ({
  aws_access_key_id: c.accessKeyId,
  aws_secret_access_key: c.secretAccessKey,
  aws_session_token: c.sessionToken,
});

describe("the AWS credential chain in the engine's environment", () => {
  it("finds the default profile of the worker's ~/.aws/credentials, with nothing else set", async () => {
    const base = credentials("default");
    const home = await workerHome({ ".aws/credentials": ini({ default: keysOf(base) }) });
    const engineEnv = engineEnvironment(loadEngineSettings(workerEnv(home, {})), "network");
    // The engine's HOME stays the Pulumi home; the worker's files reach it by path.
    expect(engineEnv.HOME).not.toBe(home);
    expect(engineEnv.AWS_SHARED_CREDENTIALS_FILE).toBe(join(home, ".aws/credentials"));
    expect(engineEnv.AWS_CONFIG_FILE).toBe(join(home, ".aws/config"));
    expect(await findInEngine(workerEnv(home, {}))).toEqual({ found: base });
  });

  it("finds a named profile (AWS_PROFILE) in an explicit AWS_SHARED_CREDENTIALS_FILE", async () => {
    const ci = credentials("ci");
    const home = await workerHome({
      "elsewhere/credentials": ini({ default: keysOf(credentials("other")), ci: keysOf(ci) }),
    });
    const env = workerEnv(home, {
      AWS_PROFILE: "ci",
      AWS_SHARED_CREDENTIALS_FILE: join(home, "elsewhere/credentials"),
    });
    expect(await findInEngine(env)).toEqual({ found: ci });
  });

  it("runs a config file profile's credential_process", async () => {
    const tools = credentials("process");
    const home = await workerHome();
    const helper = join(home, "bin/credential-helper");
    await mkdir(join(home, "bin"));
    const json = JSON.stringify({
      Version: 1,
      AccessKeyId: tools.accessKeyId,
      SecretAccessKey: tools.secretAccessKey,
      SessionToken: tools.sessionToken,
    });
    await writeFile(helper, `#!/bin/sh\nprintf '%s' '${json}'\n`);
    await chmod(helper, 0o755);
    await writeFile(join(home, ".aws-config"), ini({ "profile tools": { credential_process: helper } }));
    const env = workerEnv(home, { AWS_PROFILE: "tools", AWS_CONFIG_FILE: join(home, ".aws-config") });
    expect(await findInEngine(env)).toEqual({ found: tools });
  });

  it("assumes a config file profile's role with its source_profile's keys (STS)", async () => {
    const [base, assumed] = [credentials("base"), credentials("assumed")];
    const sts = await started(fakeSts(assumed));
    const roleArn = "arn:aws:iam::123456789012:role/gantry-deploy";
    const home = await workerHome({
      ".aws/credentials": ini({ base: keysOf(base) }),
      ".aws/config": ini({ "profile deploy": { role_arn: roleArn, source_profile: "base" } }),
    });
    const env = workerEnv(home, { AWS_PROFILE: "deploy", AWS_ENDPOINT_URL_STS: sts.url });
    expect(await findInEngine(env)).toEqual({ found: assumed });
    const request = sts.requests.at(-1);
    expect(new URLSearchParams(request?.body).get("Action")).toBe("AssumeRole");
    expect(new URLSearchParams(request?.body).get("RoleArn")).toBe(roleArn);
    // Signed with the source profile's keys.
    expect(request?.headers.authorization).toContain(`Credential=${base.accessKeyId}/`);
  });

  it("exchanges a web identity token (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE) at STS", async () => {
    const assumed = credentials("webidentity");
    const sts = await started(fakeSts(assumed));
    const home = await workerHome({ "token/jwt": "eyJhbGciOiJSUzI1NiJ9.fake.jwt" });
    const roleArn = "arn:aws:iam::123456789012:role/gantry-irsa";
    const env = workerEnv(home, {
      AWS_ROLE_ARN: roleArn,
      AWS_WEB_IDENTITY_TOKEN_FILE: join(home, "token/jwt"),
      AWS_ENDPOINT_URL_STS: sts.url,
    });
    expect(await findInEngine(env)).toEqual({ found: assumed });
    const asked = new URLSearchParams(sts.requests.at(-1)?.body);
    expect(asked.get("Action")).toBe("AssumeRoleWithWebIdentity");
    expect(asked.get("RoleArn")).toBe(roleArn);
    expect(asked.get("WebIdentityToken")).toBe("eyJhbGciOiJSUzI1NiJ9.fake.jwt");
  });

  it.each([
    ["an ECS task role (AWS_CONTAINER_AUTHORIZATION_TOKEN)", "env"],
    ["EKS Pod Identity (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)", "file"],
  ])("reads container credentials: %s", async (_name, tokenFrom) => {
    const task = credentials(`container${tokenFrom}`);
    const token = `container-auth-${tokenFrom}`;
    const endpoint = await started(fakeContainerEndpoint(task, token));
    const home = await workerHome({ "pod-identity/token": token });
    const env = workerEnv(home, {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${endpoint.url}/v1/credentials`,
      ...(tokenFrom === "env"
        ? { AWS_CONTAINER_AUTHORIZATION_TOKEN: token }
        : { AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(home, "pod-identity/token") }),
    });
    expect(await findInEngine(env)).toEqual({ found: task });
    expect(endpoint.requests.at(-1)).toMatchObject({ method: "GET", path: "/v1/credentials" });
  });

  it("reads an instance profile's credentials from instance metadata with an IMDSv2 token", async () => {
    const instance = credentials("instance");
    const imds = await started(fakeInstanceMetadata(instance, "gantry-worker"));
    const env = workerEnv(await workerHome(), { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url });
    // Only a region and the metadata service: the AWS kinds are offered.
    expect(loadEngineSettings(env).aws?.region).toBe("eu-west-1");
    expect(await findInEngine(env)).toEqual({ found: instance });
    expect(imds.requests[0]).toMatchObject({ method: "PUT", path: "/latest/api/token" });
    expect(
      imds.requests.every((r) => r.path === "/latest/api/token" || r.headers["x-aws-ec2-metadata-token"]),
    ).toBe(true);
  });
});

describe("an AWS operation without credentials", () => {
  const request = {
    verb: "up" as const,
    stack: { id: "stack-aws-none", kind: "network", name: "net", teamName: "platform" },
    spec: {},
    dependencies: [],
  };

  it("fails at once, started nowhere, when no source can exist (no files, metadata turned off)", async () => {
    const env = workerEnv(await workerHome(), { AWS_EC2_METADATA_DISABLED: "true" });
    const settings = loadEngineSettings(env);
    expect(settings.aws).toBeUndefined();
    const result = await runEngineProcess(request, settings);
    expect(result).toMatchObject({ ok: false, error: { message: NO_AWS_CREDENTIALS, retryable: false } });
  });

  it("fails in the engine before Pulumi when the chain finds none, showing no secret value", async () => {
    // Pieces of sources, none complete, with secret values the engine must never show.
    const secrets = {
      AWS_SECRET_ACCESS_KEY: "secret-without-key-id-wJalrXUtnFEMI",
      AWS_SESSION_TOKEN: "session-token-FwoGZXIvYXdzEJr",
      AWS_CONTAINER_AUTHORIZATION_TOKEN: "container-auth-token-a1b2c3",
    };
    const env = workerEnv(await workerHome(), {
      ...secrets,
      AWS_EC2_METADATA_SERVICE_ENDPOINT: await closedEndpoint(),
    });
    const settings = loadEngineSettings(env);
    expect(engineSecrets(settings)).toEqual(expect.arrayContaining(Object.values(secrets)));
    const events: unknown[] = [];
    const logged: unknown[] = [];
    const logger = { error: (...args: unknown[]) => logged.push(args) };
    const result = await runEngineProcess(request, settings, {
      onEvent: (event) => events.push(event),
      logger: logger as never,
    });
    expect(result.ok).toBe(false);
    expect(result.error?.retryable).toBe(false);
    expect(result.error?.message).toMatch(
      /^no AWS credentials were found: the AWS SDK's credential chain found none in the engine's environment \(.+\); give the worker one credential source: /,
    );
    const shown = JSON.stringify({ result, events, logged });
    for (const value of Object.values(secrets)) expect(shown).not.toContain(value);
  });
});
