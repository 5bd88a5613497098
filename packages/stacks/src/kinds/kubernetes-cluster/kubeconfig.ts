// A kubeconfig document as the engine can use it: one context, its cluster's server and CA, and a
// credential carried in the document (client certificate, bearer token or basic auth). Nothing
// here puts the document or a piece of it into a message: errors name fields, never values.
import { parse } from "yaml";

export interface ClusterAccess {
  context: string;
  server: string;
  /** PEM of the API server's CA, or undefined to trust the system's CAs. */
  ca?: string | undefined;
  insecureSkipTlsVerify: boolean;
  credential:
    | { type: "certificate"; cert: string; key: string }
    | { type: "token"; token: string }
    | { type: "basic"; username: string; password: string };
  /** The same access as a kubeconfig of its own (JSON, one context): what dependents get. */
  document: string;
}

export class KubeconfigError extends Error {}

type Named<T> = { name?: unknown } & T;
interface Doc {
  "current-context"?: unknown;
  contexts?: Named<{ context?: { cluster?: unknown; user?: unknown; namespace?: unknown } }>[];
  clusters?: Named<{ cluster?: Record<string, unknown> }>[];
  users?: Named<{ user?: Record<string, unknown> }>[];
}

const decode = (base64: unknown, field: string): string => {
  if (typeof base64 !== "string" || base64.length === 0) throw new KubeconfigError(`${field} is empty`);
  return Buffer.from(base64, "base64").toString("utf8");
};

/** Reads the access `context` (default: the current context) gives; throws KubeconfigError. */
export function readKubeconfig(text: string, context?: string): ClusterAccess {
  let doc: Doc;
  try {
    // YAML is a superset of JSON: both forms parse. The parser's own message quotes the document.
    doc = parse(text, { prettyErrors: false }) as Doc;
  } catch {
    throw new KubeconfigError("is not a YAML or JSON document");
  }
  if (typeof doc !== "object" || doc === null || !Array.isArray(doc.contexts))
    throw new KubeconfigError("is not a kubeconfig: it has no contexts");
  const wanted = context ?? doc["current-context"];
  if (typeof wanted !== "string" || wanted === "")
    throw new KubeconfigError("has no current-context: name one with `context`");
  const entry = doc.contexts.find((c) => c?.name === wanted)?.context;
  if (!entry) throw new KubeconfigError(`has no context named "${wanted}"`);
  const cluster = doc.clusters?.find((c) => c?.name === entry.cluster)?.cluster;
  if (!cluster) throw new KubeconfigError(`context "${wanted}" names a cluster the document does not have`);
  const user = doc.users?.find((u) => u?.name === entry.user)?.user ?? {};

  const server = cluster.server;
  if (typeof server !== "string" || !/^https:\/\/[^\s/]+/.test(server))
    throw new KubeconfigError(`cluster of context "${wanted}" needs an https:// server`);
  if (typeof cluster["certificate-authority"] === "string")
    throw new KubeconfigError(
      "refers to a CA file (certificate-authority); embed it as certificate-authority-data",
    );
  const ca =
    cluster["certificate-authority-data"] !== undefined
      ? decode(cluster["certificate-authority-data"], "certificate-authority-data")
      : undefined;
  const credential = credentialOf(user, wanted);
  const document = JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: wanted, cluster }],
    users: [{ name: wanted, user }],
    contexts: [{ name: wanted, context: { cluster: wanted, user: wanted } }],
    "current-context": wanted,
  });
  return {
    context: wanted,
    server: server.replace(/\/+$/, ""),
    ca,
    insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"] === true,
    credential,
    document,
  };
}

function credentialOf(user: Record<string, unknown>, context: string): ClusterAccess["credential"] {
  if (user.exec !== undefined || user["auth-provider"] !== undefined)
    throw new KubeconfigError(
      `user of context "${context}" authenticates with a command (exec or auth-provider), which ` +
        "Gantry's engine does not run; give a token or a client certificate",
    );
  if (typeof user["client-certificate"] === "string" || typeof user["client-key"] === "string")
    throw new KubeconfigError(
      "refers to client certificate files; embed them as client-certificate-data and client-key-data",
    );
  if (typeof user.tokenFile === "string")
    throw new KubeconfigError("refers to a token file (tokenFile); embed the token as token");
  if (user["client-certificate-data"] !== undefined || user["client-key-data"] !== undefined)
    return {
      type: "certificate",
      cert: decode(user["client-certificate-data"], "client-certificate-data"),
      key: decode(user["client-key-data"], "client-key-data"),
    };
  if (typeof user.token === "string" && user.token !== "") return { type: "token", token: user.token };
  if (typeof user.username === "string" && typeof user.password === "string")
    return { type: "basic", username: user.username, password: user.password };
  throw new KubeconfigError(
    `user of context "${context}" has no credential: give client-certificate-data and client-key-data, or a token`,
  );
}
