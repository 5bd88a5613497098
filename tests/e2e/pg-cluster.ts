// A Postgres server of a test's own, which the test can crash and start again (a restart, or a
// failover as its clients see it). Other test files share the suite's server, so a test that
// restarts Postgres needs one of its own. Trust authentication on loopback: a throwaway cluster.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./processes.ts";

const run = promisify(execFile);

export interface TestPostgres {
  /** The admin URL of database `postgres`. */
  url: string;
  /** Stops it as a crash would (immediate mode: no checkpoint, every session cut). */
  crash(): Promise<void>;
  start(): Promise<void>;
  remove(): Promise<void>;
}

async function binDir(): Promise<string> {
  const versions = (await readdir("/usr/lib/postgresql").catch(() => [] as string[])).sort(
    (a, b) => Number(b) - Number(a),
  );
  if (!versions[0]) throw new Error("no Postgres server binaries under /usr/lib/postgresql");
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

/** Postgres refuses to run as root: root runs it as the `postgres` OS user (as setup does). */
function asOwner(command: string, args: string[]) {
  return process.getuid?.() === 0
    ? run("runuser", ["-u", "postgres", "--", command, ...args])
    : run(command, args);
}

export async function createTestPostgres(): Promise<TestPostgres> {
  const bin = await binDir();
  const dir = await mkdtemp(join(tmpdir(), "gantry-pg-"));
  if (process.getuid?.() === 0) await run("chown", ["postgres", dir]);
  const data = join(dir, "data");
  await asOwner(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const ctl = (...args: string[]) => asOwner(join(bin, "pg_ctl"), ["-D", data, "-w", ...args]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    crash: async () => void (await ctl("stop", "-m", "immediate")),
    start: async () => void (await ctl("start", "-o", options, "-l", join(dir, "log"))),
    async remove() {
      await ctl("stop", "-m", "immediate").catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
