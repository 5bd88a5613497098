// The audit log (admins): who did what, when, with what result; filtered by action. Other roles
// see the API's refusal as it is worded.
import { unwrap } from "@gantry/client";
import { useState } from "react";
import { Badge } from "../components/Badge.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { when } from "../components/time.ts";
import { useApi } from "../useApi.ts";

export function AuditPage() {
  const [action, setAction] = useState("");
  const query = { limit: 100, ...(action.trim() && { action: action.trim() }) };
  const audit = useApi(JSON.stringify(query), (api) => unwrap(api.GET("/v1/audit", { params: { query } })));
  return (
    <section>
      <h1>Audit log</h1>
      <div className="filters">
        <input
          aria-label="Action"
          placeholder="action, e.g. stack.reveal"
          value={action}
          onChange={(e) => setAction(e.target.value)}
        />
      </div>
      <ErrorNote error={audit.error} />
      <table className="list" aria-label="Audit log">
        <thead>
          <tr>
            <th>When</th>
            <th>Actor</th>
            <th>Action</th>
            <th>Target</th>
            <th>Result</th>
          </tr>
        </thead>
        <tbody>
          {audit.data?.entries.map((e) => (
            <tr key={e.id}>
              <td>{when(e.at)}</td>
              <td>
                {e.actor} <span className="muted">{e.role ?? ""}</span>
              </td>
              <td>{e.action}</td>
              <td>
                <code>{e.targetId ?? ""}</code>
              </td>
              <td>
                <Badge value={e.result} /> <span className="muted">{e.statusCode}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
