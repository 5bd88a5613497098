-- A dependency dropped from a stack's dependsOn stays until an up that does not use it succeeds.
ALTER TABLE "stack_dependencies" ADD COLUMN "released_at" TIMESTAMPTZ(3);
