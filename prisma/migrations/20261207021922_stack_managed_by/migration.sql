-- AlterTable
ALTER TABLE "stacks" ADD COLUMN     "managed_by" VARCHAR(200);
