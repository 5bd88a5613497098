// A preview's per-resource plan (the operation's `diff`): what each resource would undergo and,
// per property, the value before and after.
import type { PlanResource } from "../types.ts";

export function Plan({ diff }: { diff: unknown }) {
  const resources = Array.isArray(diff) ? (diff as PlanResource[]) : [];
  if (resources.length === 0) return <p className="muted">No resource would change.</p>;
  return (
    <table className="plan" aria-label="Plan">
      <thead>
        <tr>
          <th>Change</th>
          <th>Resource</th>
          <th>Property</th>
          <th>Before</th>
          <th>After</th>
        </tr>
      </thead>
      <tbody>
        {resources.flatMap((resource) => {
          const properties = resource.properties?.length ? resource.properties : [undefined];
          return properties.map((property, i) => (
            <tr key={`${resource.urn}:${property?.path ?? ""}`}>
              {i === 0 && (
                <>
                  <td rowSpan={properties.length}>
                    <span className={`op ${resource.op}`}>{resource.op}</span>
                  </td>
                  <td rowSpan={properties.length} title={resource.urn}>
                    {resource.urn.split("::").at(-1)} <span className="muted">{resource.type}</span>
                  </td>
                </>
              )}
              <td>{property?.path ?? ""}</td>
              <td>
                <code>{show(property?.before)}</code>
              </td>
              <td>
                <code>{show(property?.after)}</code>
              </td>
            </tr>
          ));
        })}
      </tbody>
    </table>
  );
}

function show(value: unknown): string {
  return value === undefined ? "" : JSON.stringify(value);
}
