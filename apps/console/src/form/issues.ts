// The API's refusals on the form: each issue's path ("spec.connectionLimit", "name") goes on
// that field; what names no field of the form is shown above it.

import { GantryApiError } from "@gantry/client";
import { type ErrorSchema, ErrorSchemaBuilder } from "@rjsf/utils";

export interface PlacedIssues {
  spec: ErrorSchema | undefined;
  fields: Record<string, string[]>;
}

export function placeIssues(error: unknown): PlacedIssues {
  const issues = error instanceof GantryApiError ? (error.issues ?? []) : [];
  const spec = new ErrorSchemaBuilder();
  const fields: Record<string, string[]> = {};
  let onSpec = false;
  for (const issue of issues) {
    const [head, ...rest] = issue.path.split(".");
    if (head === "spec") {
      spec.addErrors(issue.message, rest.length ? rest : undefined);
      onSpec = true;
    } else {
      const key = head || "";
      fields[key] = [...(fields[key] ?? []), issue.message];
    }
  }
  return { spec: onSpec ? spec.ErrorSchema : undefined, fields };
}

/**
 * The schema as the form shows it: an array of enum values becomes a set of checkboxes (the API
 * refuses duplicates anyway, so uniqueItems only says so up front).
 */
export function formSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const shown: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    const items = property.items as Record<string, unknown> | undefined;
    shown[name] = property.type === "array" && items?.enum ? { ...property, uniqueItems: true } : property;
  }
  return { ...schema, properties: shown };
}

export function checkboxesFor(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const ui: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    const items = property.items as Record<string, unknown> | undefined;
    if (property.type === "array" && items?.enum) ui[name] = { "ui:widget": "checkboxes" };
    if (property.writeOnly) ui[name] = { "ui:widget": "password" };
  }
  return ui;
}
