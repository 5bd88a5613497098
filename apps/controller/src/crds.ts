// The CustomResourceDefinitions, generated from the kind registry: one namespaced kind per Gantry
// kind in group gantry.dev, its spec the kind's spec schema made structural, plus the fields only a
// custom resource has (dependsOn, writeConnectionSecretToRef, secretInputsFrom).
import type { KindListing } from "@gantry/api/controller";
import { type JsonSchema, toStructural } from "./structural.ts";

export const GROUP = "gantry.dev";
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}`;

export interface ResourceKind {
  /** Gantry's kind, e.g. `pg-database`. */
  gantryKind: string;
  /** The custom resource's kind, e.g. `PgDatabase`. */
  kind: string;
  plural: string;
}

/** `pg-database` → PgDatabase / pgdatabases. */
export function resourceKindOf(gantryKind: string): ResourceKind {
  const kind = gantryKind
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
  return { gantryKind, kind, plural: `${kind.toLowerCase()}s` };
}

/** PgDatabase → pgdatabases (a custom resource's kind, as `spec.dependsOn` names it). */
export function resourceKindOfKind(kind: string): Pick<ResourceKind, "kind" | "plural"> {
  return { kind, plural: `${kind.toLowerCase()}s` };
}

/** Spec fields of a custom resource that are not the kind's: Gantry reads them, the stack never sees them. */
export const RESOURCE_FIELDS = ["dependsOn", "writeConnectionSecretToRef", "secretInputsFrom"] as const;

const NAME = { type: "string", minLength: 1, maxLength: 253 };

function resourceFields(kind: KindListing, secretInputs: readonly string[]): Record<string, JsonSchema> {
  const fields: Record<string, JsonSchema> = {
    writeConnectionSecretToRef: {
      type: "object",
      description:
        "A Secret of this namespace that Gantry writes the stack's outputs into, secret ones included " +
        "(one key per output); it is owned by this resource and deleted with it.",
      properties: { name: { ...NAME, description: "Name of the Secret." } },
      required: ["name"],
    },
  };
  if (kind.dependsOn.length > 0)
    fields.dependsOn = {
      type: "array",
      description: `Resources of this namespace this one depends on (kinds: ${kind.dependsOn.map((k) => resourceKindOf(k).kind).join(", ")}).`,
      maxItems: 20,
      items: {
        type: "object",
        properties: {
          kind: {
            type: "string",
            enum: kind.dependsOn.map((k) => resourceKindOf(k).kind),
            description: "Kind of the resource.",
          },
          name: { ...NAME, description: "Name of the resource." },
        },
        required: ["kind", "name"],
      },
    };
  if (secretInputs.length > 0)
    fields.secretInputsFrom = {
      type: "object",
      description: `A Secret of this namespace holding the secret inputs, one key per field: ${secretInputs.join(", ")}. Secret inputs are never fields of the resource.`,
      properties: { name: { ...NAME, description: "Name of the Secret." } },
      required: ["name"],
    };
  return fields;
}

const CONDITION: JsonSchema = {
  type: "object",
  properties: {
    type: { type: "string" },
    status: { type: "string", enum: ["True", "False", "Unknown"] },
    reason: { type: "string" },
    message: { type: "string" },
    observedGeneration: { type: "integer" },
    lastTransitionTime: { type: "string", format: "date-time" },
  },
  required: ["type", "status"],
};

const STATUS: JsonSchema = {
  type: "object",
  description: "What Gantry observed, written by the controller.",
  properties: {
    observedGeneration: { type: "integer", description: "The generation of the spec the stack last took." },
    stackId: { type: "string", description: "The Gantry stack this resource owns." },
    secretInputsVersion: {
      type: "string",
      description: "resourceVersion of the secretInputsFrom Secret last applied.",
    },
    conditions: {
      type: "array",
      description: "Ready (the stack is ready), Synced (the spec is accepted), Drifted (drift was detected).",
      items: CONDITION,
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["type"],
    },
    outputs: {
      type: "object",
      description: "The stack's non-secret outputs (secret ones go to writeConnectionSecretToRef).",
      "x-kubernetes-preserve-unknown-fields": true,
    },
    lastOperation: {
      type: "object",
      description: "The stack's most recent operation.",
      properties: {
        id: { type: "string" },
        kind: { type: "string" },
        status: { type: "string" },
        error: { type: "string" },
      },
    },
  },
};

const condition = (type: string) => `.status.conditions[?(@.type=="${type}")]`;

/** Top-level spec fields marked writeOnly: the kind's secret inputs (README, Secret inputs). */
export function secretInputsOf(kind: KindListing): string[] {
  const properties = (kind.specSchema.properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(properties)
    .filter(([, field]) => field.writeOnly === true)
    .map(([name]) => name);
}

export function crdFor(kind: KindListing): JsonSchema {
  const secretInputs = secretInputsOf(kind);
  const { kind: crKind, plural } = resourceKindOf(kind.name);
  const spec = toStructural(kind.specSchema, secretInputs);
  spec.description = `${kind.title}: ${kind.description}`;
  spec.properties = {
    ...((spec.properties as Record<string, JsonSchema>) ?? {}),
    ...resourceFields(kind, secretInputs),
  };
  delete spec["x-kubernetes-preserve-unknown-fields"];
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.${GROUP}`, labels: { "app.kubernetes.io/managed-by": "gantry-controller" } },
    spec: {
      group: GROUP,
      scope: "Namespaced",
      names: {
        kind: crKind,
        plural,
        singular: crKind.toLowerCase(),
        listKind: `${crKind}List`,
        categories: ["gantry"],
      },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: "Ready", type: "string", jsonPath: `${condition("Ready")}.status` },
            { name: "Synced", type: "string", jsonPath: `${condition("Synced")}.status` },
            { name: "Status", type: "string", jsonPath: `${condition("Ready")}.reason` },
            { name: "Drifted", type: "string", jsonPath: `${condition("Drifted")}.status` },
            { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
          ],
          schema: {
            openAPIV3Schema: {
              type: "object",
              description: kind.description,
              properties: {
                apiVersion: { type: "string" },
                kind: { type: "string" },
                metadata: { type: "object" },
                spec,
                status: STATUS,
              },
              required: ["spec"],
            },
          },
        },
      ],
    },
  };
}
