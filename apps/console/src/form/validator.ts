// The JSON Schema validator behind the spec forms. The kinds' schemas are draft 2020-12 (zod's
// toJSONSchema), and the console runs under a Content-Security-Policy without 'unsafe-eval', where
// validators that compile schemas to code (Ajv, @rjsf/validator-ajv8) cannot run: @cfworker/json-schema
// interprets them instead. The API stays the authority (its 422 issues land on the fields); this
// serves the form's own needs (defaults, anyOf/oneOf choices, live hints).
import { type OutputUnit, Validator } from "@cfworker/json-schema";
import {
  ErrorSchemaBuilder,
  type RJSFSchema,
  type RJSFValidationError,
  type ValidationData,
  type ValidatorType,
} from "@rjsf/utils";

// Keywords that only say "something below failed": their leaf errors say what.
const WRAPPERS = new Set(["properties", "items", "prefixItems", "$ref", "allOf", "additionalProperties"]);

function check(schema: RJSFSchema, data: unknown, root?: RJSFSchema): OutputUnit[] {
  const withDefs = root ? { ...schema, $defs: root.$defs, definitions: root.definitions } : schema;
  const result = new Validator(withDefs as object, "2020-12", false).validate(data ?? null);
  return result.valid ? [] : result.errors.filter((e) => !WRAPPERS.has(e.keyword));
}

/** "#/extensions/1" → ["extensions", "1"] */
export function pointerPath(pointer: string): string[] {
  return pointer
    .replace(/^#\/?/, "")
    .split("/")
    .filter(Boolean)
    .map((part) => decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~"));
}

export const cfworkerValidator: ValidatorType = {
  validateFormData(formData, schema): ValidationData<unknown> {
    const builder = new ErrorSchemaBuilder();
    const errors: RJSFValidationError[] = check(schema, formData).map((e) => {
      const path = pointerPath(e.instanceLocation);
      builder.addErrors(e.error, path.length ? path : undefined);
      return { name: e.keyword, property: `.${path.join(".")}`, message: e.error, stack: e.error };
    });
    return { errors, errorSchema: builder.ErrorSchema };
  },
  isValid(schema, formData, rootSchema) {
    return check(schema, formData, rootSchema).length === 0;
  },
  rawValidation(schema, formData) {
    const errors = check(schema, formData);
    return { errors: errors as never[] };
  },
};
