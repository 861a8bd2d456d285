-- CreateTable
CREATE TABLE "Broadcast" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "channelId" TEXT NOT NULL,
    "folder" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "sizeBytes" BIGINT NOT NULL DEFAULT 0,
    "visibility" TEXT NOT NULL DEFAULT 'public',
    "thumbnail" TEXT,
    "state" TEXT NOT NULL DEFAULT 'ready',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Broadcast_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Channel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "category" TEXT,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "streamKeyHash" TEXT,
    "streamKeyLast4" TEXT,
    "streamKeyCreatedAt" DATETIME,
    "isLive" BOOLEAN NOT NULL DEFAULT false,
    "liveSince" DATETIME,
    "lastLiveAt" DATETIME,
    "publishBlockedUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "recordBroadcasts" BOOLEAN NOT NULL DEFAULT true,
    "recordingsMaxAgeDays" INTEGER,
    "recordingsMaxGb" REAL,
    "recordingLowDiskAt" DATETIME,
    CONSTRAINT "Channel_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Channel" ("category", "createdAt", "description", "disabled", "id", "isLive", "lastLiveAt", "liveSince", "publishBlockedUntil", "slug", "streamKeyCreatedAt", "streamKeyHash", "streamKeyLast4", "title", "updatedAt", "userId") SELECT "category", "createdAt", "description", "disabled", "id", "isLive", "lastLiveAt", "liveSince", "publishBlockedUntil", "slug", "streamKeyCreatedAt", "streamKeyHash", "streamKeyLast4", "title", "updatedAt", "userId" FROM "Channel";
DROP TABLE "Channel";
ALTER TABLE "new_Channel" RENAME TO "Channel";
CREATE UNIQUE INDEX "Channel_userId_key" ON "Channel"("userId");
CREATE UNIQUE INDEX "Channel_slug_key" ON "Channel"("slug");
CREATE UNIQUE INDEX "Channel_streamKeyHash_key" ON "Channel"("streamKeyHash");
CREATE INDEX "Channel_isLive_idx" ON "Channel"("isLive");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Broadcast_folder_key" ON "Broadcast"("folder");

-- CreateIndex
CREATE INDEX "Broadcast_channelId_startedAt_idx" ON "Broadcast"("channelId", "startedAt");

-- CreateIndex
CREATE INDEX "Broadcast_startedAt_idx" ON "Broadcast"("startedAt");
