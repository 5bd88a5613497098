import { ApiError } from "../api.ts";

/** An API error as the API worded it (with its code), or any other failure's message. */
export function ErrorNote({ error }: { error: Error | undefined }) {
  if (!error) return null;
  const code = error instanceof ApiError ? `${error.status} ${error.body.error}: ` : "";
  return (
    <p className="error" role="alert">
      {code}
      {error.message}
    </p>
  );
}
