// Controller configuration, parsed once at start-up; nothing else in the controller reads process.env.
import { fileURLToPath } from "node:url";
import { parseEnv } from "@gantry/core";
import { z } from "zod";

const DEFAULT_POLICY_FILE = fileURLToPath(new URL("../../../config/platform-policy.json", import.meta.url));

const schema = z.object({
  DATABASE_URL: z.string().min(1),
  /** The cluster whose custom resources Gantry reconciles. */
  GANTRY_KUBE_CONTROLLER_KUBECONFIG: z.string().min(1),
  /** Every resource is looked at again this often, whatever events were missed. */
  GANTRY_KUBE_CONTROLLER_RESYNC_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /**
   * Which namespaces this controller serves, besides their team label: a label selector of
   * `key=value` and `key` terms, comma-separated (empty: every labelled namespace). For two Gantry
   * installations on one cluster (or test runs side by side), each with its own namespaces.
   */
  GANTRY_KUBE_CONTROLLER_NAMESPACE_SELECTOR: z
    .string()
    .regex(
      /^$|^[A-Za-z0-9./_-]+(=[A-Za-z0-9._-]*)?(,[A-Za-z0-9./_-]+(=[A-Za-z0-9._-]*)?)*$/,
      "must be key=value or key terms, comma-separated",
    )
    .default(""),
  /** How often a resource whose operation is under way is looked at, until it ends. */
  GANTRY_KUBE_CONTROLLER_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  GANTRY_POLICY_FILE: z.string().min(1).default(DEFAULT_POLICY_FILE),
  GANTRY_SECRET_INPUT_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters")
    .optional(),
});

export interface ControllerConfig {
  databaseUrl: string;
  kubeconfig: string;
  resyncMs: number;
  pollMs: number;
  /** Labels a namespace must carry (a value, or any value when undefined). */
  namespaceSelector: Record<string, string | undefined>;
  logLevel: string;
  policyFile: string;
  secretInputKey: Buffer | undefined;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): ControllerConfig {
  const raw = parseEnv(schema, env);
  return {
    databaseUrl: raw.DATABASE_URL,
    kubeconfig: raw.GANTRY_KUBE_CONTROLLER_KUBECONFIG,
    resyncMs: raw.GANTRY_KUBE_CONTROLLER_RESYNC_SECONDS * 1000,
    pollMs: raw.GANTRY_KUBE_CONTROLLER_POLL_MS,
    namespaceSelector: Object.fromEntries(
      raw.GANTRY_KUBE_CONTROLLER_NAMESPACE_SELECTOR.split(",")
        .filter(Boolean)
        .map((term) => {
          const [key = "", value] = term.split("=");
          return [key, value];
        }),
    ),
    logLevel: raw.LOG_LEVEL,
    policyFile: raw.GANTRY_POLICY_FILE,
    secretInputKey: raw.GANTRY_SECRET_INPUT_KEY ? Buffer.from(raw.GANTRY_SECRET_INPUT_KEY, "hex") : undefined,
  };
}
