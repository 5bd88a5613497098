-- CreateTable
CREATE TABLE "secret_input_handoffs" (
    "stack_id" UUID NOT NULL,
    "sealed" BYTEA NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "secret_input_handoffs_pkey" PRIMARY KEY ("stack_id")
);

-- AddForeignKey
ALTER TABLE "secret_input_handoffs" ADD CONSTRAINT "secret_input_handoffs_stack_id_fkey" FOREIGN KEY ("stack_id") REFERENCES "stacks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
