// Creating, listing, revoking and resolving API tokens, for the admin CLI and the token routes.
import { DNS_LABEL, type Role } from "@gantry/core";
import type { ApiTokenModel, Db } from "@gantry/db";
import { isUuid } from "../http/common-schemas.ts";
import { NotFoundError, type RefusedToken, UnauthorizedError } from "../http/errors.ts";
import { NEWEST_FIRST } from "../http/keyset-cursor.ts";
import { type Caller, isRole } from "./roles.ts";
import type { TokenCache, TokenRow } from "./token-cache.ts";
import { generateToken, hashToken, looksLikeToken } from "./tokens.ts";

export interface TokensDeps {
  db: Pick<Db, "team" | "apiToken">;
  /** Resolved tokens kept between requests (the API's); without it every request reads the row. */
  cache?: Pick<TokenCache, "get" | "set" | "generation" | "touched">;
  now?: () => Date;
}

export interface CreateTokenInput {
  teamName: string;
  role: Role;
  name?: string | undefined;
  expiresInDays?: number | undefined;
  /** Wins over expiresInDays. */
  expiresAt?: Date | undefined;
}

/** A token as listings show it: never its hash. */
export type TokenInfo = Omit<ApiTokenModel, "hash" | "teamId">;

export interface CreatedToken extends TokenInfo {
  /** The token itself: shown once, never stored. */
  token: string;
  teamId: string;
}

const LAST_USED_RESOLUTION_MS = 60_000;
const INFO_SELECT = {
  id: true,
  prefix: true,
  name: true,
  role: true,
  createdAt: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
} as const;

export function createTokensService(deps: TokensDeps) {
  const now = deps.now ?? (() => new Date());
  const { cache } = deps;

  async function tokenRow(hash: string): Promise<TokenRow | null> {
    const cached = cache?.get(hash);
    if (cached) return cached;
    const generation = cache?.generation() ?? 0;
    const row = await deps.db.apiToken.findUnique({
      where: { hash },
      include: { team: { select: { name: true } } },
    });
    if (row) cache?.set(hash, row, generation);
    return row;
  }

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
        input.expiresAt ??
        (input.expiresInDays === undefined
          ? null
          : new Date(now().getTime() + input.expiresInDays * 86_400_000));
      const { token, hash, prefix } = generateToken();
      const row = await deps.db.apiToken.create({
        data: { teamId: team.id, prefix, hash, role: input.role, name: input.name ?? null, expiresAt },
        select: INFO_SELECT,
      });
      return { ...row, token, teamId: team.id };
    },

    /** The team's tokens, newest first, revoked and expired ones included. */
    list: (teamId: string): Promise<TokenInfo[]> =>
      deps.db.apiToken.findMany({
        where: { teamId },
        orderBy: NEWEST_FIRST,
        select: INFO_SELECT,
        take: 500,
      }),

    /** Revokes a token by its display prefix; revoking twice keeps the first revocation time. */
    async revoke(prefix: string): Promise<boolean> {
      const result = await deps.db.apiToken.updateMany({
        where: { prefix, revokedAt: null },
        data: { revokedAt: now() },
      });
      return result.count > 0;
    },

    /** Revokes one of the team's tokens by id; another team's token is unknown (404). */
    async revokeById(teamId: string, id: string): Promise<TokenInfo> {
      const found = isUuid(id) ? await deps.db.apiToken.findFirst({ where: { id, teamId } }) : null;
      if (!found) throw new NotFoundError("token", id);
      await deps.db.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now() } });
      return deps.db.apiToken.findUniqueOrThrow({ where: { id }, select: INFO_SELECT });
    },

    /** The caller behind a bearer token, or UnauthorizedError saying why not. */
    async resolve(token: string): Promise<Caller> {
      if (!looksLikeToken(token)) throw new UnauthorizedError("the bearer token is not a Gantry token");
      const hash = hashToken(token);
      const row = await tokenRow(hash);
      if (!row) throw new UnauthorizedError("the bearer token is not valid");
      const at = now();
      if (row.revokedAt && row.revokedAt <= at)
        throw new UnauthorizedError("the bearer token has been revoked", refusedCaller(row));
      if (row.expiresAt && row.expiresAt <= at)
        throw new UnauthorizedError("the bearer token has expired", refusedCaller(row));
      if (!isRole(row.role)) throw new UnauthorizedError("the bearer token has an unknown role");
      if (!row.lastUsedAt || at.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
        await deps.db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: at } });
        cache?.touched(hash, at);
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

/** Who a refused (revoked or expired) token belonged to, so the audit log can name it. */
function refusedCaller(row: ApiTokenModel): RefusedToken {
  return { teamId: row.teamId, tokenPrefix: row.prefix, role: row.role };
}

export type TokensService = ReturnType<typeof createTokensService>;
