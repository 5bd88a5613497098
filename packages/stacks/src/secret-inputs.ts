// Secret inputs: spec fields marked `writeOnly` (DESIGN, Domain). Their values are accepted on
// create and update, reach the program as Pulumi secrets and are kept only in the encrypted state;
// everything Gantry stores or shows has SECRET_INPUT_SET in their place.
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/** What a stored or shown spec holds in place of a secret input's value. */
export const SECRET_INPUT_SET = "[set]";

/**
 * The stack output, secret, in which a run keeps the values of its secret inputs, so a later run
 * (a PATCH that does not mention them) finds them in the encrypted state. Never shown or stored.
 */
export const SECRET_INPUTS_OUTPUT = "gantry:secretInputs";

/** The secret values a program gets, by field name; absent: not set. */
export type SecretInputs = Readonly<Record<string, pulumi.Output<string> | undefined>>;

/**
 * A top-level spec field whose value is secret. The JSON Schema says `writeOnly: true`; the
 * field accepts the value itself, or SECRET_INPUT_SET where a stored spec keeps the one set before.
 */
export function secretInput<Schema extends z.ZodType<string>>(schema: Schema) {
  return z
    .union([z.literal(SECRET_INPUT_SET), schema], {
      // Not "Invalid input": what the value itself lacks (never the value).
      error: (issue) =>
        issue.code === "invalid_union" ? (issue.errors[1]?.[0]?.message ?? "is not valid") : undefined,
    })
    .meta({ writeOnly: true });
}

/** Names of the top-level fields of a spec JSON Schema marked writeOnly. */
export function secretInputNames(jsonSchema: Record<string, unknown>): string[] {
  const properties = (jsonSchema.properties ?? {}) as Record<string, { writeOnly?: unknown }>;
  return Object.entries(properties)
    .filter(([, property]) => property.writeOnly === true)
    .map(([name]) => name);
}

/**
 * Splits a valid spec into what may be stored (each secret input's value replaced with
 * SECRET_INPUT_SET) and the values given now (`secrets`: fields whose value is not the marker).
 */
export function splitSecretInputs(
  spec: Record<string, unknown>,
  names: readonly string[],
): { spec: Record<string, unknown>; secrets: Record<string, string> } {
  const stored = { ...spec };
  const secrets: Record<string, string> = {};
  for (const name of names) {
    const value = spec[name];
    if (typeof value !== "string") continue;
    if (value !== SECRET_INPUT_SET) secrets[name] = value;
    stored[name] = SECRET_INPUT_SET;
  }
  return { spec: stored, secrets };
}
