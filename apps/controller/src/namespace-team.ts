// Which team a namespace's resources belong to: the namespace's label `gantry.dev/team`, when the
// namespace also matches this controller's selector (GANTRY_KUBE_CONTROLLER_NAMESPACE_SELECTOR).
const TEAM_LABEL = "gantry.dev/team";

/** The team a namespace's resources belong to, when this controller serves the namespace. */
export function teamOf(
  labels: Record<string, string> | undefined,
  selector: Record<string, string | undefined>,
): string | undefined {
  if (!labels) return undefined;
  for (const [key, value] of Object.entries(selector)) {
    if (!(key in labels) || (value !== undefined && labels[key] !== value)) return undefined;
  }
  return labels[TEAM_LABEL] || undefined;
}
