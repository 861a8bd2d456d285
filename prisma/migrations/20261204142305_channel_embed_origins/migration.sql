-- AlterTable
ALTER TABLE "Channel" ADD COLUMN "embedAllowedOrigins" TEXT NOT NULL DEFAULT '*';
