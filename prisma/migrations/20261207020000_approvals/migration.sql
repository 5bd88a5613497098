-- AlterTable
ALTER TABLE "operations" ADD COLUMN     "approval" JSONB,
ADD COLUMN     "plan" TEXT;
