-- AlterTable
ALTER TABLE "stacks" ADD COLUMN     "protected" BOOLEAN NOT NULL DEFAULT false;
