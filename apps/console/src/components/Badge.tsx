// A status as a coloured word: stack status, drift status or operation status.
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
};

export function Badge({ value }: { value: string }) {
  return <span className={`badge ${TONE[value] ?? "busy"}`}>{value.replace("_", " ")}</span>;
}
