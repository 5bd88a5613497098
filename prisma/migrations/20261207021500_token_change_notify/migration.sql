-- API processes cache resolved tokens and drop their cache when a token changes in a way that
-- decides whether it authenticates (revoked, expired, role, team) or disappears, or when a team
-- is renamed. The triggers notify on every such change, whoever makes it (the API, the admin
-- CLI, a person in psql), and the notification is delivered on commit. Written by hand: Prisma's
-- schema has no triggers. The function bodies spell their semicolons \073 (an E'' string):
-- Prisma's driver-adapter migration path splits a script at every semicolon.
CREATE FUNCTION "gantry_notify_token_change"() RETURNS trigger LANGUAGE plpgsql
  AS E'BEGIN PERFORM pg_notify(''gantry_tokens'', OLD.id::text)\073 RETURN NULL\073 END\073';

CREATE TRIGGER "api_tokens_notify_change"
  AFTER UPDATE OF "revoked_at", "expires_at", "role", "team_id", "hash" ON "api_tokens"
  FOR EACH ROW
  WHEN (OLD."revoked_at" IS DISTINCT FROM NEW."revoked_at"
     OR OLD."expires_at" IS DISTINCT FROM NEW."expires_at"
     OR OLD."role" IS DISTINCT FROM NEW."role"
     OR OLD."team_id" IS DISTINCT FROM NEW."team_id"
     OR OLD."hash" IS DISTINCT FROM NEW."hash")
  EXECUTE FUNCTION "gantry_notify_token_change"();

CREATE TRIGGER "api_tokens_notify_delete"
  AFTER DELETE ON "api_tokens"
  FOR EACH ROW
  EXECUTE FUNCTION "gantry_notify_token_change"();

CREATE FUNCTION "gantry_notify_team_change"() RETURNS trigger LANGUAGE plpgsql
  AS E'BEGIN PERFORM pg_notify(''gantry_tokens'', ''team:'' || OLD.id::text)\073 RETURN NULL\073 END\073';

CREATE TRIGGER "teams_notify_rename"
  AFTER UPDATE OF "name" ON "teams"
  FOR EACH ROW
  WHEN (OLD."name" IS DISTINCT FROM NEW."name")
  EXECUTE FUNCTION "gantry_notify_team_change"();
