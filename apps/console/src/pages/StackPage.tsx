// One stack: status, spec, outputs (secret values revealed on request, for admins; the API audits
// every reveal), its operations, and the log of the selected one, following live while it runs.
import { unwrap } from "@gantry/client";
import { useState } from "react";
import { client } from "../client.ts";
import { Badge } from "../components/Badge.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { LiveLog } from "../components/LiveLog.tsx";
import { Plan } from "../components/Plan.tsx";
import { took, when } from "../components/time.ts";
import { go } from "../router.ts";
import type { Operation, Outputs } from "../types.ts";
import { useApi } from "../useApi.ts";

export function StackPage({ id }: { id: string }) {
  const path = { params: { path: { id } } };
  const stack = useApi(id, (api) => unwrap(api.GET("/v1/stacks/{id}", path)), 3000);
  const history = useApi(
    id,
    (api) =>
      unwrap(api.GET("/v1/stacks/{id}/operations", { params: { path: { id }, query: { limit: 20 } } })),
    3000,
  );
  const [selected, setSelected] = useState<string>();
  const [revealed, setRevealed] = useState<Outputs>();
  const [error, setError] = useState<Error>();

  const s = stack.data;
  if (!s) return <ErrorNote error={stack.error} />;
  const operations = history.data?.operations ?? [];
  // A just-requested operation is shown once the history has it, never the one before in its place.
  const current = selected ? operations.find((op) => op.id === selected) : operations[0];
  const outputs = revealed?.outputs ?? s.outputs;

  const request = async (kind: Operation["kind"]) => {
    setError(undefined);
    try {
      const accepted = await unwrap(client().POST("/v1/stacks/{id}/operations", { ...path, body: { kind } }));
      setSelected(accepted.operation.id);
      history.reload();
    } catch (err) {
      setError(err as Error);
    }
  };
  const reveal = async () => {
    setError(undefined);
    try {
      setRevealed(
        await unwrap(
          client().GET("/v1/stacks/{id}/outputs", { params: { path: { id }, query: { reveal: "true" } } }),
        ),
      );
    } catch (err) {
      setError(err as Error);
    }
  };
  const destroy = async () => {
    if (!window.confirm(`Delete ${s.name} and everything it made?`)) return;
    await request("destroy");
  };
  const refresh = () => {
    stack.reload();
    history.reload();
  };

  return (
    <section className="stack">
      <div className="heading">
        <h1>
          {s.name} <span className="muted">{s.kind}</span>
        </h1>
        <div className="actions">
          <button type="button" onClick={() => go(`#/stacks/${id}/edit`)}>
            Edit
          </button>
          <button type="button" onClick={() => request("refresh")}>
            Refresh
          </button>
          <button type="button" onClick={() => request("drift-check")}>
            Check drift
          </button>
          <button type="button" className="danger" onClick={destroy}>
            Delete
          </button>
        </div>
      </div>
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="stack-status">
          <Badge value={s.status} />
        </dd>
        <dt>Drift</dt>
        <dd>
          <Badge value={s.driftStatus} /> <span className="muted">checked {when(s.driftCheckedAt)}</span>
        </dd>
        <dt>Protected</dt>
        <dd data-testid="stack-protected">
          {s.protected ? "yes: its destroy needs an admin's approval" : "no"}
        </dd>
        <dt>Depends on</dt>
        <dd>{s.dependsOn.length ? s.dependsOn.map((d) => d.name).join(", ") : "—"}</dd>
        <dt>Created</dt>
        <dd>{when(s.createdAt)}</dd>
      </dl>
      <ErrorNote error={error} />
      <div className="columns">
        <div>
          <h2>Spec</h2>
          <pre className="spec">{JSON.stringify(s.spec, null, 2)}</pre>
        </div>
        <div>
          <h2>
            Outputs{" "}
            {s.secretOutputs.length > 0 && !revealed && (
              <button type="button" className="small" onClick={reveal}>
                Reveal secrets
              </button>
            )}
            {revealed && <span className="muted">secrets revealed (audited)</span>}
          </h2>
          {Object.keys(outputs).length === 0 && (
            <p className="muted">None yet: outputs come with a successful run.</p>
          )}
          <table className="outputs" aria-label="Outputs">
            <tbody>
              {Object.entries(outputs).map(([key, value]) => (
                <tr key={key}>
                  <th>{key}</th>
                  <td>
                    <code data-testid={`output-${key}`}>
                      {typeof value === "string" ? value : JSON.stringify(value)}
                    </code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <h2>Operations</h2>
      <table className="list" aria-label="Operations">
        <thead>
          <tr>
            <th>Kind</th>
            <th>Status</th>
            <th>Changes</th>
            <th>Requested by</th>
            <th>Started</th>
            <th>Took</th>
          </tr>
        </thead>
        <tbody>
          {operations.map((op) => (
            <tr
              key={op.id}
              className={op.id === current?.id ? "selected" : undefined}
              onClick={() => setSelected(op.id)}
            >
              <td>
                <button type="button" className="link">
                  {op.kind}
                </button>
              </td>
              <td>
                <Badge value={op.status} />
              </td>
              <td>{op.summary ? summary(op.summary) : ""}</td>
              <td>{op.requestedBy}</td>
              <td>{when(op.startedAt ?? op.createdAt)}</td>
              <td>{took(op.startedAt, op.finishedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {current && (
        <div className="operation" data-testid="selected-operation" data-kind={current.kind}>
          {current.error && <p className="error">{current.error.message}</p>}
          {current.kind === "preview" && current.status === "succeeded" && <Plan diff={current.diff} />}
          <LiveLog key={current.id} operationId={current.id} onEnd={refresh} />
        </div>
      )}
    </section>
  );
}

function summary(s: NonNullable<Operation["summary"]>): string {
  const parts = (["create", "update", "replace", "delete"] as const)
    .filter((k) => s[k] > 0)
    .map((k) => `${s[k]} ${k}`);
  return parts.length ? parts.join(", ") : `${s.same} unchanged`;
}
