// Watches one stream's media playlist as closely as possible and records, for every part and
// segment, when it was first listed (epochNow() of the first response that contains it), and
// fetches its bytes so its frames can be identified afterwards.
//  - Until the first complete segment is listed: GET every `pollMs` (startup timing).
//  - Then, if the server offers CAN-BLOCK-RELOAD and parts: blocking reloads for the next part
//    (the response arrives when that part is listed, so the time is exact to loopback HTTP).
//    Otherwise GET every `pollMs` (the listing time is late by at most pollMs + one request).
import { httpGet } from './http-get.js';
import { firstVariantUrl, isMultivariant, nextPartRequest, parseMediaPlaylist, type MediaPlaylist } from './playlist.js';
import { epochNow, sleep } from './time.js';

export interface ListedItem {
  kind: 'part' | 'segment';
  key: string;
  uri: string;
  listedAt: number;
  /** False when the probe cannot vouch for listedAt (a blocking response that was not held). */
  exact: boolean;
  bytes?: Uint8Array;
}

export interface ListingProbe {
  items(): readonly ListedItem[];
  initSection(): Uint8Array | undefined;
  /** True once a blocking reload was used. */
  usedBlockingReload(): boolean;
  stop(): Promise<void>;
}

export function startListingProbe(url: string, pollMs: number, deadlineMs: number): ListingProbe {
  const items = new Map<string, ListedItem>();
  const fetches: Promise<void>[] = [];
  let init: Uint8Array | undefined;
  let initRequested = false;
  let stopped = false;
  let blockingUsed = false;
  const deadline = performance.now() + deadlineMs;

  const fetchInto = (item: ListedItem) => {
    fetches.push(
      httpGet(item.uri, 10_000).then(
        (res) => {
          if (res.status === 200) item.bytes = res.body;
        },
        () => undefined, // a missing body leaves the item unmatched, which the phase reports
      ),
    );
  };

  const record = (playlist: MediaPlaylist, listedAt: number, exact: boolean) => {
    if (playlist.mapUri !== undefined && !initRequested) {
      initRequested = true;
      fetches.push(httpGet(playlist.mapUri, 10_000).then((res) => void (init = res.status === 200 ? res.body : undefined), () => undefined));
    }
    const add = (kind: ListedItem['kind'], key: string, uri: string) => {
      if (items.has(key)) return;
      const item: ListedItem = { kind, key, uri, listedAt, exact };
      items.set(key, item);
      fetchInto(item);
    };
    for (const segment of playlist.segments) {
      segment.parts.forEach((part, i) => add('part', `p${segment.msn}.${i}`, part.uri));
      add('segment', `s${segment.msn}`, segment.uri);
    }
    playlist.pendingParts.forEach((part, i) => add('part', `p${playlist.pendingMsn}.${i}`, part.uri));
  };

  const run = async () => {
    let mediaUrl: string | undefined;
    let playlist: MediaPlaylist | undefined;
    while (!stopped && performance.now() < deadline) {
      // Startup is timed by polling; blocking reloads start once a complete segment is listed.
      const blocking = playlist !== undefined && playlist.canBlockReload && playlist.partTargetMs !== undefined && playlist.segments.length > 0;
      let requestUrl = mediaUrl ?? url;
      if (blocking && mediaUrl !== undefined && playlist !== undefined) {
        const next = nextPartRequest(playlist);
        const u = new URL(mediaUrl);
        u.searchParams.set('_HLS_msn', String(next.msn));
        u.searchParams.set('_HLS_part', String(next.part));
        requestUrl = u.toString();
        blockingUsed = true;
      }
      const sentAt = epochNow();
      try {
        const res = await httpGet(requestUrl, 5_000);
        if (res.status === 200) {
          const text = res.body.toString('utf8');
          if (mediaUrl === undefined && isMultivariant(text)) {
            mediaUrl = firstVariantUrl(text, url);
            continue;
          }
          mediaUrl ??= url;
          playlist = parseMediaPlaylist(text, mediaUrl);
          // A blocking response held for less than 5 ms may list a part that existed before the request.
          record(playlist, res.doneEpochMs, !blocking || res.doneEpochMs - sentAt >= 5);
        }
      } catch {
        // 404 / refused before the publish starts, or a timed-out block: try again.
      }
      if (!blocking) await sleep(pollMs);
    }
  };
  const loop = run();

  return {
    items: () => [...items.values()],
    initSection: () => init,
    usedBlockingReload: () => blockingUsed,
    async stop() {
      stopped = true;
      await loop;
      await Promise.all(fetches);
    },
  };
}
