-- AlterTable
ALTER TABLE "operations" ADD COLUMN     "approval" JSONB,
ADD COLUMN     "plan" TEXT,
ALTER COLUMN "status" SET DATA TYPE VARCHAR(24);
