// The generated CRDs are structural (the API server refuses others, and prunes by them): every
// node typed or explicitly open, no $ref or JSON Schema-only keywords, no properties beside
// additionalProperties; secret inputs are not fields; names follow the kinds.
import { specRegistryFor } from "@gantry/stacks/specs";
import { describe, expect, it } from "vitest";
import { crdFor, resourceKindOf } from "../src/crds.ts";
import { toStructural } from "../src/structural.ts";

const ALLOWED = new Set([
  "type",
  "description",
  "default",
  "enum",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "multipleOf",
  "pattern",
  "format",
  "nullable",
  "properties",
  "required",
  "items",
  "additionalProperties",
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys",
]);

/** Every problem that makes a schema non-structural, with where it is. */
function problems(node: Record<string, unknown>, at: string): string[] {
  const found: string[] = [];
  for (const key of Object.keys(node)) if (!ALLOWED.has(key)) found.push(`${at}: keyword ${key}`);
  if (!node.type && !node["x-kubernetes-preserve-unknown-fields"]) found.push(`${at}: no type`);
  if (node.properties && node.additionalProperties) found.push(`${at}: properties with additionalProperties`);
  for (const [name, sub] of Object.entries(
    (node.properties ?? {}) as Record<string, Record<string, unknown>>,
  ))
    found.push(...problems(sub, `${at}.${name}`));
  if (node.items) found.push(...problems(node.items as Record<string, unknown>, `${at}[]`));
  if (typeof node.additionalProperties === "object")
    found.push(...problems(node.additionalProperties as Record<string, unknown>, `${at}{}`));
  return found;
}

const kinds = specRegistryFor({ benchKinds: false }).listKinds();

describe("CRDs from the kind registry", () => {
  it("names one namespaced kind per Gantry kind, with a status subresource and printer columns", () => {
    expect(kinds.map((k) => resourceKindOf(k.name).kind).sort()).toEqual(
      [
        "EcsService",
        "EksCluster",
        "KubernetesCluster",
        "Network",
        "PgDatabase",
        "RdsDatabase",
        "Workload",
      ].sort(),
    );
    const pgDatabase = kinds.find((k) => k.name === "pg-database");
    if (!pgDatabase) throw new Error("no pg-database kind");
    const crd = crdFor(pgDatabase) as {
      metadata: { name: string };
      spec: {
        scope: string;
        versions: { subresources: unknown; additionalPrinterColumns: { name: string }[] }[];
      };
    };
    expect(crd.metadata.name).toBe("pgdatabases.gantry.dev");
    expect(crd.spec.scope).toBe("Namespaced");
    expect(crd.spec.versions[0]?.subresources).toEqual({ status: {} });
    expect(crd.spec.versions[0]?.additionalPrinterColumns.map((c) => c.name)).toEqual(
      expect.arrayContaining(["Ready", "Synced", "Drifted", "Age"]),
    );
  });

  it.each(kinds.map((k) => [k.name, k] as const))(
    "%s is structural, with descriptions and defaults",
    (_name, kind) => {
      const crd = crdFor(kind) as {
        spec: { versions: { schema: { openAPIV3Schema: Record<string, unknown> } }[] };
      };
      const root = crd.spec.versions[0]?.schema.openAPIV3Schema ?? {};
      const spec = (root.properties as Record<string, Record<string, unknown>>).spec ?? {};
      expect(problems(spec, "spec")).toEqual([]);
      expect(JSON.stringify(spec)).not.toContain("$ref");
      expect(spec.description).toEqual(expect.any(String));
    },
  );

  it("leaves secret inputs out and names the Secret they come from", () => {
    const cluster = kinds.find((k) => k.name === "kubernetes-cluster");
    if (!cluster) throw new Error("no kubernetes-cluster kind");
    const spec = (
      crdFor(cluster) as {
        spec: {
          versions: {
            schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } } };
          }[];
        };
      }
    ).spec.versions[0]?.schema.openAPIV3Schema.properties.spec.properties;
    expect(spec).not.toHaveProperty("kubeconfig");
    expect(spec).toHaveProperty("secretInputsFrom");
  });

  it("turns unions, nulls, refs and exclusive bounds into structural forms", () => {
    const schema = {
      type: "object",
      $defs: { Size: { type: "integer", exclusiveMinimum: 0 } },
      properties: {
        size: { $ref: "#/$defs/Size" },
        note: { anyOf: [{ type: "string" }, { type: "null" }] },
        mode: {
          oneOf: [
            {
              type: "object",
              properties: { kind: { const: "a" }, x: { type: "string" } },
              required: ["kind", "x"],
            },
            {
              type: "object",
              properties: { kind: { const: "b" }, y: { type: "integer" } },
              required: ["kind"],
            },
          ],
        },
      },
      additionalProperties: false,
    };
    expect(toStructural(schema)).toEqual({
      type: "object",
      properties: {
        size: { type: "integer", minimum: 0, exclusiveMinimum: true },
        note: { type: "string", nullable: true },
        mode: {
          type: "object",
          properties: {
            kind: { type: "string", enum: ["a", "b"] },
            x: { type: "string" },
            y: { type: "integer" },
          },
          required: ["kind"],
        },
      },
    });
  });
});
