// The team's stacks: status, drift and last operation, filtered by name, kind and status. Kind
// and status filter on the server (the list's query); the name filters what is loaded.
import { unwrap } from "@gantry/client";
import { useState } from "react";
import { Badge } from "../components/Badge.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { when } from "../components/time.ts";
import type { Stack } from "../types.ts";
import { useApi } from "../useApi.ts";

const STATUSES = ["pending", "provisioning", "ready", "updating", "failed", "destroying", "destroyed"];

export function StacksPage() {
  const [kind, setKind] = useState("");
  const [status, setStatus] = useState("");
  const [name, setName] = useState("");
  const query = { limit: 100, ...(kind && { kind }), ...(status && { status: status as Stack["status"] }) };
  const stacks = useApi(
    JSON.stringify(query),
    (api) => unwrap(api.GET("/v1/stacks", { params: { query } })),
    5000,
  );
  const kinds = useApi("kinds", (api) => unwrap(api.GET("/v1/kinds")));
  const shown = (stacks.data?.stacks ?? []).filter((s) => s.name.includes(name.trim()));

  return (
    <section>
      <div className="heading">
        <h1>Stacks</h1>
        <a className="button" href="#/stacks/new">
          New stack
        </a>
      </div>
      <div className="filters">
        <input
          aria-label="Filter by name"
          placeholder="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <select aria-label="Kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="">all kinds</option>
          {kinds.data?.kinds.map((k) => (
            <option key={k.name} value={k.name}>
              {k.name}
            </option>
          ))}
        </select>
        <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">any status</option>
          {STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </div>
      <ErrorNote error={stacks.error} />
      <table className="list" aria-label="Stacks">
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Status</th>
            <th>Drift</th>
            <th>Last operation</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((stack) => (
            <tr key={stack.id}>
              <td>
                <a href={`#/stacks/${stack.id}`}>{stack.name}</a>
                {stack.protected && (
                  <>
                    {" "}
                    <Badge value="protected" />
                  </>
                )}
              </td>
              <td>{stack.kind}</td>
              <td>
                <Badge value={stack.status} />
              </td>
              <td>
                <Badge value={stack.driftStatus} />
              </td>
              <td>
                {stack.lastOperation ? (
                  <>
                    {stack.lastOperation.kind} <Badge value={stack.lastOperation.status} />
                  </>
                ) : (
                  "—"
                )}
              </td>
              <td>{when(stack.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {stacks.data && shown.length === 0 && <p className="muted">No stacks match.</p>}
    </section>
  );
}
