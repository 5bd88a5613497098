-- API processes cache resolved tokens and drop their cache when a token changes in a way that
-- decides whether it authenticates (revoked, expired, role, team) or disappears. The trigger
-- notifies on every such change, whoever makes it (the API, the admin CLI, a person in psql),
-- and the notification is delivered on commit. Written by hand: Prisma's schema has no triggers.
CREATE FUNCTION "gantry_notify_token_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gantry_tokens', OLD.id::text);
  RETURN NULL;
END;
$$;

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

-- A team renamed: its tokens' cached callers carry the name.
CREATE FUNCTION "gantry_notify_team_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gantry_tokens', 'team:' || OLD.id::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "teams_notify_rename"
  AFTER UPDATE OF "name" ON "teams"
  FOR EACH ROW
  WHEN (OLD."name" IS DISTINCT FROM NEW."name")
  EXECUTE FUNCTION "gantry_notify_team_change"();
