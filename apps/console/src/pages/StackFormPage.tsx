// Create a stack, or edit one, with a form rendered from the kind's JSON Schema (defaults,
// descriptions, examples). Editing previews first: the plan per resource, then Apply. The API
// validates (the form sends as it is, noValidate) and its 422 issues are shown on their fields.
import { unwrap } from "@gantry/client";
import Form from "@rjsf/core";
import type { RJSFSchema } from "@rjsf/utils";
import { type FormEvent, useEffect, useMemo, useState } from "react";
import { client } from "../client.ts";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { LiveLog } from "../components/LiveLog.tsx";
import { Plan } from "../components/Plan.tsx";
import { checkboxesFor, formSchema, placeIssues } from "../form/issues.ts";
import { cfworkerValidator } from "../form/validator.ts";
import { go } from "../router.ts";
import type { Kind, Operation } from "../types.ts";
import { useApi } from "../useApi.ts";

type Spec = Record<string, unknown>;

export function StackFormPage({ stackId }: { stackId?: string }) {
  const kinds = useApi("kinds", (api) => unwrap(api.GET("/v1/kinds")));
  const existing = useApi(stackId ?? null, (api) =>
    unwrap(api.GET("/v1/stacks/{id}", { params: { path: { id: stackId ?? "" } } })),
  );
  const [kindName, setKindName] = useState("pg-database");
  const [name, setName] = useState("");
  const [dependsOn, setDependsOn] = useState("");
  const [spec, setSpec] = useState<Spec>({});
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<Operation>();

  const stack = existing.data;
  useEffect(() => {
    if (!stack) return;
    setKindName(stack.kind);
    setName(stack.name);
    setSpec(stack.spec);
  }, [stack]);

  const kind = kinds.data?.kinds.find((k) => k.name === kindName);
  const schema = useMemo(() => (kind ? formSchema(kind.specSchema) : undefined), [kind]);
  const uiSchema = useMemo(() => (kind ? checkboxesFor(kind.specSchema) : {}), [kind]);
  const placed = placeIssues(error);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  const create = () =>
    act(async () => {
      const names = dependsOn
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const body = { kind: kindName, name, spec, ...(names.length && { dependsOn: names }) };
      const accepted = await unwrap(client().POST("/v1/stacks", { body }));
      go(`#/stacks/${accepted.stack.id}`);
    });
  const runPreview = () =>
    act(async () => {
      if (!stack) return;
      setPreview(undefined);
      const accepted = await unwrap(
        client().POST("/v1/stacks/{id}/operations", {
          params: { path: { id: stack.id } },
          body: { kind: "preview", spec: mergePatch(stack.spec, spec, kind) },
        }),
      );
      setPreview(accepted.operation);
    });
  const apply = () =>
    act(async () => {
      if (!stack) return;
      await unwrap(
        client().PATCH("/v1/stacks/{id}", {
          params: { path: { id: stack.id } },
          body: { spec: mergePatch(stack.spec, spec, kind) },
        }),
      );
      go(`#/stacks/${stack.id}`);
    });
  const previewEnded = async () => {
    if (!preview) return;
    setPreview(await unwrap(client().GET("/v1/operations/{id}", { params: { path: { id: preview.id } } })));
  };

  const submit = (event: FormEvent) => event.preventDefault();
  if (stackId && existing.error) return <ErrorNote error={existing.error} />;
  return (
    <section className="stack-form">
      <h1>{stack ? `Edit ${stack.name}` : "New stack"}</h1>
      <ErrorNote error={kinds.error} />
      <form className="fields" onSubmit={submit}>
        <label htmlFor="kind">Kind</label>
        <select
          id="kind"
          value={kindName}
          disabled={Boolean(stackId)}
          onChange={(e) => setKindName(e.target.value)}
        >
          {kinds.data?.kinds.map((k) => (
            <option key={k.name} value={k.name}>
              {k.title} ({k.name})
            </option>
          ))}
        </select>
        {kind && <p className="muted">{kind.description}</p>}
        <label htmlFor="stack-name">Name</label>
        <input
          id="stack-name"
          value={name}
          disabled={Boolean(stackId)}
          onChange={(e) => setName(e.target.value)}
        />
        <FieldErrors messages={placed.fields.name} />
        {!stackId && kind && kind.dependsOn.length > 0 && (
          <>
            <label htmlFor="depends-on">
              Depends on (stack names, comma-separated: {kind.dependsOn.join(", ")})
            </label>
            <input id="depends-on" value={dependsOn} onChange={(e) => setDependsOn(e.target.value)} />
            <FieldErrors messages={placed.fields.dependsOn} />
          </>
        )}
      </form>
      {schema && (
        <Form
          key={`${kindName}:${stack?.id ?? "new"}`}
          schema={schema as RJSFSchema}
          uiSchema={{ ...uiSchema, "ui:submitButtonOptions": { norender: true } }}
          validator={cfworkerValidator}
          formData={spec}
          onChange={(e) => setSpec((e.formData ?? {}) as Spec)}
          extraErrors={placed.spec}
          noValidate
          showErrorList={false}
        />
      )}
      <ErrorNote error={error} />
      <div className="actions">
        {stack ? (
          <>
            <button type="button" disabled={busy} onClick={runPreview}>
              Preview changes
            </button>
            <button type="button" disabled={busy} onClick={apply}>
              Apply
            </button>
          </>
        ) : (
          <button type="button" disabled={busy || !kind} onClick={create}>
            Create
          </button>
        )}
      </div>
      {preview && (
        <section className="preview" aria-label="Preview">
          <h2>Preview</h2>
          {["queued", "running"].includes(preview.status) ? (
            <LiveLog operationId={preview.id} onEnd={previewEnded} />
          ) : preview.status === "succeeded" ? (
            <Plan diff={preview.diff} />
          ) : (
            <p className="error">
              The preview ended {preview.status}
              {preview.error ? `: ${preview.error.message}` : ""}
            </p>
          )}
        </section>
      )}
    </section>
  );
}

function FieldErrors({ messages }: { messages: string[] | undefined }) {
  if (!messages?.length) return null;
  return (
    <ul className="field-errors">
      {messages.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  );
}

/**
 * The form's spec as a JSON Merge Patch on the stored one: every field it holds, null for a field
 * it dropped; secret inputs (writeOnly, shown by the API as "[set]") only when typed anew.
 */
function mergePatch(before: Spec, after: Spec, kind: Kind | undefined): Spec {
  const properties = (kind?.specSchema.properties ?? {}) as Record<string, { writeOnly?: boolean }>;
  const patch: Spec = {};
  for (const [key, value] of Object.entries(after)) {
    if (properties[key]?.writeOnly && value === before[key]) continue;
    patch[key] = value;
  }
  for (const key of Object.keys(before)) if (!(key in after)) patch[key] = null;
  return patch;
}
