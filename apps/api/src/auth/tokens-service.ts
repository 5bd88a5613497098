// Creating, revoking and resolving API tokens. Used by the admin CLI today and by token routes later.
import { DNS_LABEL, type Role } from "@gantry/core";
import type { Db } from "@gantry/db";
import { UnauthorizedError } from "../http/errors.ts";
import { type Caller, isRole } from "./roles.ts";
import { generateToken, hashToken, looksLikeToken } from "./tokens.ts";

export interface TokensDeps {
  db: Pick<Db, "team" | "apiToken">;
  now?: () => Date;
}

export interface CreateTokenInput {
  teamName: string;
  role: Role;
  name?: string | undefined;
  expiresInDays?: number | undefined;
}

export interface CreatedToken {
  /** The token itself: shown once, never stored. */
  token: string;
  id: string;
  prefix: string;
  teamId: string;
  role: Role;
  expiresAt: Date | null;
}

const LAST_USED_RESOLUTION_MS = 60_000;

export function createTokensService(deps: TokensDeps) {
  const now = deps.now ?? (() => new Date());

  return {
    /** Creates a token for a team, creating the team when it does not exist yet. */
    async create(input: CreateTokenInput): Promise<CreatedToken> {
      if (!DNS_LABEL.test(input.teamName))
        throw new Error(`team name "${input.teamName}" must be a DNS label`);
      if (input.name !== undefined && input.name.length > 100)
        throw new Error("token name must be at most 100 characters");
      const team = await deps.db.team.upsert({
        where: { name: input.teamName },
        create: { name: input.teamName },
        update: {},
      });
      const expiresAt =
        input.expiresInDays === undefined
          ? null
          : new Date(now().getTime() + input.expiresInDays * 86_400_000);
      const { token, hash, prefix } = generateToken();
      const row = await deps.db.apiToken.create({
        data: { teamId: team.id, prefix, hash, role: input.role, name: input.name ?? null, expiresAt },
      });
      return { token, id: row.id, prefix, teamId: team.id, role: input.role, expiresAt };
    },

    /** Revokes a token by its display prefix; revoking twice keeps the first revocation time. */
    async revoke(prefix: string): Promise<boolean> {
      const result = await deps.db.apiToken.updateMany({
        where: { prefix, revokedAt: null },
        data: { revokedAt: now() },
      });
      return result.count > 0;
    },

    /** The caller behind a bearer token, or UnauthorizedError saying why not. */
    async resolve(token: string): Promise<Caller> {
      if (!looksLikeToken(token)) throw new UnauthorizedError("the bearer token is not a Gantry token");
      const row = await deps.db.apiToken.findUnique({
        where: { hash: hashToken(token) },
        include: { team: true },
      });
      if (!row) throw new UnauthorizedError("the bearer token is not valid");
      const at = now();
      if (row.revokedAt && row.revokedAt <= at)
        throw new UnauthorizedError("the bearer token has been revoked");
      if (row.expiresAt && row.expiresAt <= at) throw new UnauthorizedError("the bearer token has expired");
      if (!isRole(row.role)) throw new UnauthorizedError("the bearer token has an unknown role");
      if (!row.lastUsedAt || at.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
        await deps.db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: at } });
      }
      return {
        teamId: row.teamId,
        teamName: row.team.name,
        role: row.role,
        tokenId: row.id,
        tokenPrefix: row.prefix,
        tokenName: row.name,
      };
    },
  };
}

export type TokensService = ReturnType<typeof createTokensService>;
