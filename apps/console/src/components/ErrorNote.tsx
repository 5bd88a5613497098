import { GantryApiError } from "@gantry/client";

/** An API error as the API worded it (with its status and code), or any other failure's message. */
export function ErrorNote({ error }: { error: Error | undefined }) {
  if (!error) return null;
  const code = error instanceof GantryApiError ? `${error.status} ${error.code}: ` : "";
  return (
    <p className="error" role="alert">
      {code}
      {error.message}
    </p>
  );
}
