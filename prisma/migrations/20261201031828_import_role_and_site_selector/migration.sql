-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'import';

-- AlterTable
ALTER TABLE "api_tokens" ADD COLUMN     "site_selector" TEXT;
