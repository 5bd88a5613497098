// When drift may be put right without a person: only when the remediation's preview replaces or
// deletes nothing. Changing a setting back, or recreating what disappeared, is what the spec asks
// for; replacing or deleting a resource can lose data, so a person decides.
import type { ChangeSummary } from "@gantry/core";

export type RemediationDecision =
  | { decision: "remediate" }
  | { decision: "needs_approval"; reason: string }
  | { decision: "preview_failed"; reason: string };

export function decideRemediation(preview: {
  ok: boolean;
  summary: ChangeSummary | null;
  error: { message: string } | null;
}): RemediationDecision {
  if (!preview.ok || !preview.summary) {
    return { decision: "preview_failed", reason: preview.error?.message ?? "the preview did not finish" };
  }
  const { replace, delete: deletes } = preview.summary;
  if (replace === 0 && deletes === 0) return { decision: "remediate" };
  const parts = [replace > 0 ? `replaces ${replace}` : "", deletes > 0 ? `deletes ${deletes}` : ""];
  return {
    decision: "needs_approval",
    reason: `the remediation ${parts.filter(Boolean).join(" and ")} resource(s); a person must approve it (POST /v1/stacks/:id/operations {"kind":"remediate"})`,
  };
}
