// Starts Gantry's real API and worker processes for end-to-end tests, the way `npm start` does.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Output kept per process (characters); older lines are dropped. */
const MAX_KEPT_OUTPUT = 32 * 1024 * 1024;

export interface GantryProcess {
  child: ChildProcess;
  output: () => string;
  /** SIGTERM, then waits for the exit. */
  stop: () => Promise<void>;
  /** SIGKILL, then waits for the exit. */
  kill: () => Promise<void>;
  exited: () => boolean;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

/**
 * Starts the API on a port of its own choosing (PORT=0) and reads it from its "listening on" line:
 * a port found free beforehand can be taken by another process before the API binds it.
 */
export async function startApi(
  env: Record<string, string>,
): Promise<GantryProcess & { port: number; baseUrl: string }> {
  const api = await startProcess("apps/api/src/main.ts", { ...env, PORT: "0" }, LISTENING);
  const port = Number(LISTENING.exec(api.output())?.[1]);
  return { ...api, port, baseUrl: `http://127.0.0.1:${port}` };
}

const LISTENING = /API listening on http:\/\/\S+:(\d+)/;

/** Starts `node <entry>` and resolves once a line of its output matches `ready`. */
export async function startProcess(
  entry: string,
  env: Record<string, string>,
  ready: RegExp,
): Promise<GantryProcess> {
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const readyOrExit = new Promise<void>((resolve, reject) => {
    let isReady = false;
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      // Keeps the tail only: an API under load (the benchmark) prints hundreds of MB of logs.
      if (text.length > MAX_KEPT_OUTPUT)
        text = text.slice(text.indexOf("\n", text.length - MAX_KEPT_OUTPUT / 2) + 1);
      // Tested until it matched only: a chatty process (the API under load) would make each chunk
      // rescan everything it ever printed.
      if (!isReady && ready.test(text)) {
        isReady = true;
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`${entry} exited with ${code} before it was ready:\n${text}`)),
    );
  });
  await readyOrExit;
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const end = async (signal: NodeJS.Signals) => {
    if (exited()) return;
    const gone = once(child, "exit");
    child.kill(signal);
    await gone;
  };
  return {
    child,
    output: () => text,
    stop: () => end("SIGTERM"),
    kill: () => end("SIGKILL"),
    exited,
  };
}

/** Runs a command to completion and returns its stdout. */
export async function runCommand(args: string[], env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (err += c.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`${args.join(" ")} failed (${code}): ${err}${out}`);
  return out;
}

/** A token made with the admin CLI (apps/api/src/admin.ts), as an operator of Gantry would. */
export async function createToken(
  env: Record<string, string>,
  token: { team: string; role: string; name?: string },
): Promise<string> {
  const args = ["apps/api/src/admin.ts", "token", "create", "--team", token.team];
  args.push("--role", token.role, ...(token.name ? ["--name", token.name] : []));
  return (await runCommand(args, env)).trim().split("\n").at(-1) ?? "";
}

/**
 * Processes of a session that are still alive (zombies, which only wait to be reaped, are not).
 * An engine process leads a session of its own: its CLI and every plugin the CLI starts, each in a
 * process group of its own, stay in that session.
 */
export function livingInSession(sid: number): number[] {
  const living: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid pgrp session …; comm may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, , , session] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(session) === sid && state !== "Z") living.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return living;
}

/** The engine process ids a worker has logged ("engine process started"). */
export function enginePids(output: string): number[] {
  return [...output.matchAll(/"enginePid":(\d+)/g)].map((match) => Number(match[1]));
}
