// Runs a kind's program under Pulumi's own mocks (pulumi.runtime.setMocks): AWS cannot be reached
// from tests, so these assert what the program asks the providers for. Every resource the program
// registers is recorded with its inputs; dependencies are served as stack references.
import * as pulumi from "@pulumi/pulumi";
import {
  type AnyKind,
  type DependencyRef,
  parseSpec,
  physicalName,
  readDependencies,
} from "../../src/index.ts";
import { getKind } from "../../src/programs.ts";

export const ACCOUNT_ID = "123456789012";
export const REGION = "us-east-1";
export const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"];

export interface MockedResource {
  type: string;
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: inputs are whatever the provider schema says
  inputs: Record<string, any>;
  /** The URN of the explicit provider, when the resource has one. */
  provider: string | undefined;
}

/** A dependency for a program run: its kind, its name, and the outputs its stack would hold. */
export interface MockDependency {
  name: string;
  kind: string;
  outputs: Record<string, unknown>;
}

export interface ProgramRun {
  resources: MockedResource[];
  /** Stack outputs, resolved. */
  outputs: Record<string, unknown>;
  /** Names of the stack outputs that are Pulumi secrets. */
  secretOutputs: string[];
  /** Every resource of a type (e.g. "aws:ec2/subnet:Subnet"). */
  ofType(type: string): MockedResource[];
  /** The one resource of a type; fails when there are none or several. */
  one(type: string): MockedResource;
}

export interface RunOptions {
  dependencies?: MockDependency[];
  stack?: { name?: string; teamName?: string };
  /** Extra state a mocked resource reports back (computed outputs), by resource type. */
  // biome-ignore lint/suspicious/noExplicitAny: mocked provider state
  state?: (resource: MockedResource) => Record<string, any> | undefined;
  /** Answers to provider function calls (e.g. fewer availability zones), before the defaults below. */
  // biome-ignore lint/suspicious/noExplicitAny: mocked provider function results
  call?: (token: string, inputs: Record<string, any>) => Record<string, any> | undefined;
}

/** Parses `input` as the API would (defaults applied), then runs the kind's program under mocks. */
export async function runProgram(
  kindName: string,
  input: unknown,
  options: RunOptions = {},
): Promise<ProgramRun> {
  const parsed = parseSpec(kindName, input);
  if (!parsed.ok) throw new Error(`invalid spec: ${JSON.stringify(parsed.issues)}`);
  const kind = getKind(kindName) as AnyKind;
  const stack = {
    id: "00000000-0000-4000-8000-000000000001",
    name: options.stack?.name ?? "demo",
    teamName: options.stack?.teamName ?? "payments",
  };
  const dependencies = options.dependencies ?? [];
  const byReference = new Map<string, MockDependency>(
    dependencies.map((d, index) => [`organization/gantry-${d.kind}/dep-${index}`, d]),
  );
  const refs: DependencyRef[] = dependencies.map((d, index) => ({
    id: `dep-${index}`,
    name: d.name,
    kind: d.kind,
  }));

  const resources: MockedResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const resource: MockedResource = {
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          provider: args.provider,
        };
        resources.push(resource);
        if (args.type === "pulumi:pulumi:StackReference") {
          const dependency = byReference.get(args.inputs.name as string);
          if (!dependency) throw new Error(`no mocked stack ${args.inputs.name}`);
          const secretNames = (getKind(dependency.kind)?.outputs ?? [])
            .filter((o) => o.secret)
            .map((o) => o.name);
          return {
            id: args.inputs.name as string,
            state: { name: args.inputs.name, outputs: dependency.outputs, secretOutputNames: secretNames },
          };
        }
        const arn = `arn:aws:${args.type.split(":")[1] ?? "mock"}:${REGION}:${ACCOUNT_ID}:${args.name}`;
        return {
          id: `${args.name}-id`,
          state: { arn, ...autoName(args.type, args.name), ...args.inputs, ...options.state?.(resource) },
        };
      },
      call(args) {
        const answer = options.call?.(args.token, args.inputs);
        if (answer) return answer;
        switch (args.token) {
          case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return { names: ZONES, zoneIds: ZONES.map((_, i) => `use1-az${i + 1}`), state: "available" };
          case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/gantry`, userId: "AIDA" };
          case "aws:index/getRegion:getRegion":
            return { name: REGION, region: REGION, id: REGION };
          case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com" };
          default:
            return args.inputs;
        }
      },
    },
    "gantry-test",
    stack.id,
    false,
  );

  const program = await kind.program({
    spec: parsed.spec,
    // As the engine hands them over: the values given with the spec, as Pulumi secrets.
    secretInputs: Object.fromEntries(
      Object.entries(parsed.secrets ?? {}).map(([name, value]) => [name, pulumi.secret(value)]),
    ),
    stack,
    physicalName: physicalName(stack.teamName, stack.name),
    dependencies: await readDependencies(refs, getKind),
  });
  const outputs: Record<string, unknown> = {};
  const secretOutputs: string[] = [];
  for (const [name, value] of Object.entries(program)) {
    const output = pulumi.output(value) as pulumi.Output<unknown>;
    outputs[name] = await resolved(output);
    // biome-ignore lint/suspicious/noExplicitAny: isSecret is internal to Output
    if (await (output as any).isSecret) secretOutputs.push(name);
  }
  // Resources the outputs do not depend on (route tables, associations) may still be registering:
  // wait for every outstanding resource operation, or they would be missing from `resources`.
  await pulumi.runtime.disconnect();

  const ofType = (type: string) => resources.filter((r) => r.type === type);
  return {
    resources,
    outputs,
    secretOutputs,
    ofType,
    one(type) {
      const found = ofType(type);
      if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
      return found[0] as MockedResource;
    },
  };
}

/**
 * The name an unnamed IAM role reports: Pulumi auto-names it (resource name and a random suffix)
 * in the provider's check, which mocks skip, so without this `role.name` would be undefined and
 * every policy attachment would point at no role.
 */
function autoName(type: string, name: string): { name?: string } {
  return type === "aws:iam/role:Role" ? { name } : {};
}

/** Resolves a Pulumi Input (as recorded in mocked inputs or outputs) to its value. */
export function resolved<T>(value: pulumi.Input<T>): Promise<T> {
  const output = pulumi.output(value) as pulumi.Output<unknown>;
  return new Promise((resolve) => output.apply((v) => resolve(v as T)));
}
