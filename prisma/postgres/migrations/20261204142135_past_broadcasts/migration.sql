-- AlterTable
ALTER TABLE "Channel" ADD COLUMN     "recordBroadcasts" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "recordingLowDiskAt" TIMESTAMP(3),
ADD COLUMN     "recordingsMaxAgeDays" INTEGER,
ADD COLUMN     "recordingsMaxGb" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "Broadcast" (
    "id" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "folder" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "sizeBytes" BIGINT NOT NULL DEFAULT 0,
    "visibility" TEXT NOT NULL DEFAULT 'public',
    "thumbnail" TEXT,
    "state" TEXT NOT NULL DEFAULT 'ready',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Broadcast_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Broadcast_folder_key" ON "Broadcast"("folder");

-- CreateIndex
CREATE INDEX "Broadcast_channelId_startedAt_idx" ON "Broadcast"("channelId", "startedAt");

-- CreateIndex
CREATE INDEX "Broadcast_startedAt_idx" ON "Broadcast"("startedAt");

-- AddForeignKey
ALTER TABLE "Broadcast" ADD CONSTRAINT "Broadcast_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;
