-- CreateTable
CREATE TABLE "ChatEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channelId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "userId" TEXT,
    "text" TEXT NOT NULL DEFAULT '',
    "badges" TEXT NOT NULL DEFAULT '',
    "deletedIds" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" DATETIME,
    CONSTRAINT "ChatEvent_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ChatEvent_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChatModerator" (
    "channelId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("channelId", "userId"),
    CONSTRAINT "ChatModerator_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ChatModerator_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChatSanction" (
    "channelId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "until" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("channelId", "userId"),
    CONSTRAINT "ChatSanction_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ChatSanction_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
    "embedAllowedOrigins" TEXT NOT NULL DEFAULT '*',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "recordBroadcasts" BOOLEAN NOT NULL DEFAULT true,
    "recordingsMaxAgeDays" INTEGER,
    "recordingsMaxGb" REAL,
    "recordingLowDiskAt" DATETIME,
    "chatMode" TEXT NOT NULL DEFAULT 'always',
    "chatSlowModeSeconds" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Channel_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Channel" ("category", "createdAt", "description", "disabled", "embedAllowedOrigins", "id", "isLive", "lastLiveAt", "liveSince", "publishBlockedUntil", "recordBroadcasts", "recordingLowDiskAt", "recordingsMaxAgeDays", "recordingsMaxGb", "slug", "streamKeyCreatedAt", "streamKeyHash", "streamKeyLast4", "title", "updatedAt", "userId") SELECT "category", "createdAt", "description", "disabled", "embedAllowedOrigins", "id", "isLive", "lastLiveAt", "liveSince", "publishBlockedUntil", "recordBroadcasts", "recordingLowDiskAt", "recordingsMaxAgeDays", "recordingsMaxGb", "slug", "streamKeyCreatedAt", "streamKeyHash", "streamKeyLast4", "title", "updatedAt", "userId" FROM "Channel";
DROP TABLE "Channel";
ALTER TABLE "new_Channel" RENAME TO "Channel";
CREATE UNIQUE INDEX "Channel_userId_key" ON "Channel"("userId");
CREATE UNIQUE INDEX "Channel_slug_key" ON "Channel"("slug");
CREATE UNIQUE INDEX "Channel_streamKeyHash_key" ON "Channel"("streamKeyHash");
CREATE INDEX "Channel_isLive_idx" ON "Channel"("isLive");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ChatEvent_channelId_id_idx" ON "ChatEvent"("channelId", "id");

-- CreateIndex
CREATE INDEX "ChatEvent_channelId_userId_idx" ON "ChatEvent"("channelId", "userId");

-- CreateIndex
CREATE INDEX "ChatModerator_userId_idx" ON "ChatModerator"("userId");

-- CreateIndex
CREATE INDEX "ChatSanction_userId_idx" ON "ChatSanction"("userId");
