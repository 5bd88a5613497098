// The engine's role (setup's gantry_engine) may not create or change roles itself: it calls the
// role functions setup installs on the server (packages/db/src/engine-role/role-functions.ts),
// which manage only the roles they created. Serialized with the providers: plain data only.
import type { Client } from "pg";

export type RoleFunction = "create_login" | "alter_login" | "drop_login";

/** Calls `gantry_roles.<name>` with bound arguments (the password verifier never enters SQL text). */
export async function callRoleFunction(client: Client, name: RoleFunction, args: unknown[]): Promise<void> {
  const placeholders = args.map((_, index) => `$${index + 1}`).join(", ");
  try {
    await client.query(`SELECT gantry_roles.${name}(${placeholders})`, args);
  } catch (err) {
    const code = (err as { code?: string }).code;
    // 3F000: no such schema; 42883: no such function (an older install).
    if (code === "3F000" || code === "42883") {
      throw new Error(
        `the server has no Gantry role functions (gantry_roles.${name}): run setup against it, or ` +
          "packages/db/src/engine-role/main.ts with an admin DATABASE_URL of that server",
      );
    }
    throw err;
  }
}
