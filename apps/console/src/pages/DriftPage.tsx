// The team's fleet at a glance: how many stacks are in sync, drifted, in error or never checked,
// and for each drifted one what changed behind Gantry's back (expected against actual).
import { unwrap } from "@gantry/client";
import { Badge } from "../components/Badge.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { when } from "../components/time.ts";
import { useApi } from "../useApi.ts";

export function DriftPage() {
  const fleet = useApi(
    "drift",
    (api) => unwrap(api.GET("/v1/drift", { params: { query: { limit: 100 } } })),
    10_000,
  );
  const f = fleet.data;
  return (
    <section>
      <h1>Fleet drift</h1>
      <ErrorNote error={fleet.error} />
      {f && (
        <>
          <section className="counts" aria-label="Drift counts">
            {Object.entries(f.counts).map(([status, count]) => (
              <div key={status} className="count" data-testid={`drift-count-${status}`}>
                <strong>{count}</strong>
                <Badge value={status} />
              </div>
            ))}
          </section>
          <h2>Drifted stacks</h2>
          {f.drifted.length === 0 && <p className="muted">Nothing has drifted.</p>}
          {f.drifted.map((d) => (
            <article key={d.stack.id} className="card drifted" data-testid="drifted-stack">
              <h3>
                <a href={`#/stacks/${d.stack.id}`}>{d.stack.name}</a>{" "}
                <span className="muted">{d.stack.kind}</span>{" "}
                <span className="muted">checked {when(d.driftCheckedAt)}</span>
                {d.remediationNeedsApproval && <span className="badge warn">remediation needs approval</span>}
              </h3>
              <table className="list">
                <thead>
                  <tr>
                    <th>Resource</th>
                    <th>Change</th>
                    <th>Property</th>
                    <th>Expected</th>
                    <th>Actual</th>
                  </tr>
                </thead>
                <tbody>
                  {d.resources.flatMap((r) =>
                    (r.properties.length ? r.properties : [undefined]).map((p) => (
                      <tr key={`${r.urn}:${p?.name ?? ""}`}>
                        <td title={r.urn}>{r.urn.split("::").at(-1)}</td>
                        <td>{r.change}</td>
                        <td>{p?.name ?? ""}</td>
                        <td>
                          <code>{p ? JSON.stringify(p.expected) : ""}</code>
                        </td>
                        <td>
                          <code>{p ? JSON.stringify(p.actual) : ""}</code>
                        </td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </article>
          ))}
        </>
      )}
    </section>
  );
}
