// Sign in with an API token (`npm run admin -- token create …`). It is checked against the API
// before it is kept, so a typo is refused here rather than on the next page.

import { unwrap } from "@gantry/client";
import { type FormEvent, useState } from "react";
import { client } from "../client.ts";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { forgetToken, saveToken } from "../session.ts";

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    saveToken(token.trim());
    try {
      await unwrap(client().GET("/v1/kinds"));
      onSignedIn();
    } catch (err) {
      forgetToken();
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin">
      <form onSubmit={submit} className="card">
        <h1>Gantry</h1>
        <p className="muted">Sign in with an API token. It is kept in this tab only, until you sign out.</p>
        <label htmlFor="token">Token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          placeholder="gnt_…"
          required
        />
        <button type="submit" disabled={busy || token.trim() === ""}>
          Sign in
        </button>
        <ErrorNote error={error} />
      </form>
    </div>
  );
}
