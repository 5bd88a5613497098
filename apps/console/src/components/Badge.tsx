// A status as a coloured word: stack status, drift status or operation status, or a stack's mark.
const TONE: Record<string, string> = {
  ready: "good",
  succeeded: "good",
  in_sync: "good",
  ok: "good",
  failed: "bad",
  error: "bad",
  drifted: "warn",
  interrupted: "bad",
  denied: "bad",
  rejected: "warn",
  cancelled: "muted",
  destroyed: "muted",
  unknown: "muted",
  protected: "warn",
};

export function Badge({ value }: { value: string }) {
  return <span className={`badge ${TONE[value] ?? "busy"}`}>{value.replace("_", " ")}</span>;
}
