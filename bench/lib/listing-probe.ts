// Watches one stream's media playlist as closely as possible and records, for every part and
// segment, when it was first listed (epochNow() of the first response that contains it), and
// fetches its bytes so its frames can be identified afterwards.
//  - Until the first complete segment is listed: GET every `pollMs` (startup timing).
//  - Then, if the server offers CAN-BLOCK-RELOAD and parts: blocking reloads, one loop for the
//    next part and one for the open segment (the response arrives when the item is listed, so the
//    time is exact to loopback HTTP). Otherwise GET every `pollMs` (late by at most pollMs + one
//    request).
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

  type Kind = ListedItem['kind'];
  /** Notes the items of `kinds` that `playlist` lists for the first time, and fetches them. */
  const record = (playlist: MediaPlaylist, listedAt: number, exact: (newCount: number) => boolean, kinds: ReadonlySet<Kind>): void => {
    if (playlist.mapUri !== undefined && !initRequested) {
      initRequested = true;
      fetches.push(httpGet(playlist.mapUri, 10_000).then((res) => void (init = res.status === 200 ? res.body : undefined), () => undefined));
    }
    const fresh: ListedItem[] = [];
    const add = (kind: Kind, key: string, uri: string) => {
      if (kinds.has(kind) && !items.has(key)) fresh.push({ kind, key, uri, listedAt, exact: true });
    };
    for (const segment of playlist.segments) {
      segment.parts.forEach((part, i) => add('part', `p${segment.msn}.${i}`, part.uri));
      add('segment', `s${segment.msn}`, segment.uri);
    }
    playlist.pendingParts.forEach((part, i) => add('part', `p${playlist.pendingMsn}.${i}`, part.uri));
    const allExact = exact(fresh.length);
    for (const item of fresh) {
      item.exact = allExact;
      items.set(item.key, item);
      fetchInto(item);
    }
  };

  const bothKinds: ReadonlySet<Kind> = new Set<Kind>(['part', 'segment']);
  const withDirectives = (mediaUrl: string, msn: number, part?: number) => {
    const u = new URL(mediaUrl);
    u.searchParams.set('_HLS_msn', String(msn));
    if (part !== undefined) u.searchParams.set('_HLS_part', String(part));
    return u.toString();
  };

  /** Polls every pollMs; returns the playlist once it lists a complete segment (or undefined at the deadline). */
  const poll = async (untilFirstSegment: boolean): Promise<{ mediaUrl: string; playlist: MediaPlaylist } | undefined> => {
    let mediaUrl: string | undefined;
    while (!stopped && performance.now() < deadline) {
      try {
        const res = await httpGet(mediaUrl ?? url, 5_000);
        if (res.status === 200) {
          const text = res.body.toString('utf8');
          if (mediaUrl === undefined && isMultivariant(text)) {
            mediaUrl = firstVariantUrl(text, url);
            continue;
          }
          mediaUrl ??= url;
          const playlist = parseMediaPlaylist(text, mediaUrl);
          // Polling: an item is listed at most pollMs + one request before this response.
          record(playlist, res.doneEpochMs, () => true, bothKinds);
          if (untilFirstSegment && playlist.segments.length > 0) return { mediaUrl, playlist };
        }
      } catch {
        // 404 / refused before the publish starts: try again.
      }
      await sleep(pollMs);
    }
    return undefined;
  };

  /**
   * Blocking reloads for one kind of item. Parts: ask for the next part (_HLS_msn + _HLS_part);
   * the server holds the request until it is listed. Segments: ask for the open segment
   * (_HLS_msn alone), held until that segment is complete. Separate loops, because a request
   * for "the part after the last one" of a segment that then closes is answered only when part
   * 0 of the next segment exists (RFC 8216bis 6.2.5.2), which would make segment times late.
   */
  const block = async (kind: Kind, mediaUrl: string, start: MediaPlaylist) => {
    let playlist = start;
    const kinds: ReadonlySet<Kind> = new Set<Kind>([kind]);
    while (!stopped && performance.now() < deadline) {
      const next = nextPartRequest(playlist);
      const requestUrl = kind === 'part' ? withDirectives(mediaUrl, next.msn, next.part) : withDirectives(mediaUrl, playlist.pendingMsn);
      const sentAt = epochNow();
      try {
        const res = await httpGet(requestUrl, 10_000);
        if (res.status !== 200) {
          await sleep(pollMs);
          continue;
        }
        playlist = parseMediaPlaylist(res.body.toString('utf8'), mediaUrl);
        // Exact only if the server held the request (>= 5 ms) and exactly one new item appeared:
        // otherwise the item may have been listed before the request arrived.
        record(playlist, res.doneEpochMs, (newCount) => newCount === 1 && res.doneEpochMs - sentAt >= 5, kinds);
      } catch {
        await sleep(pollMs); // a held request timed out: ask again
      }
    }
  };

  const run = async () => {
    const first = await poll(true);
    if (!first) return;
    const { mediaUrl, playlist } = first;
    if (playlist.canBlockReload && playlist.partTargetMs !== undefined) {
      blockingUsed = true;
      await Promise.all([block('part', mediaUrl, playlist), block('segment', mediaUrl, playlist)]);
    } else {
      await poll(false);
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
