// Just enough of an HLS playlist parser (RFC 8216 / 8216bis) for a player-like viewer: segments,
// LL-HLS parts, the init section, server control and program date time. Unknown tags are ignored.

export interface Part {
  uri: string;
  durationMs: number;
}

export interface Segment {
  msn: number;
  uri: string;
  durationMs: number;
  /** EXT-X-PROGRAM-DATE-TIME of this segment, epoch ms, if the server wrote one. */
  programDateTimeMs?: number;
  parts: Part[];
}

export interface MediaPlaylist {
  targetDurationMs: number;
  mediaSequence: number;
  partTargetMs?: number;
  canBlockReload: boolean;
  endList: boolean;
  mapUri?: string;
  segments: Segment[];
  /** Parts of the segment that is still being written (msn = last segment's msn + 1). */
  pendingParts: Part[];
  pendingMsn: number;
}

/**
 * The value of attribute `name` in an attribute list (quotes removed), or undefined. A scan, not a
 * regex into a Map: a viewer reads two attributes of each of ~30 part lines per reload.
 */
export function attribute(list: string, name: string): string | undefined {
  let at = 0;
  while (at < list.length) {
    const equals = list.indexOf('=', at);
    if (equals < 0) return undefined;
    const quoted = list.charCodeAt(equals + 1) === 34; // '"'
    const valueStart = quoted ? equals + 2 : equals + 1;
    let valueEnd = quoted ? list.indexOf('"', valueStart) : list.indexOf(',', valueStart);
    if (valueEnd < 0) valueEnd = list.length;
    if (equals - at === name.length && list.startsWith(name, at)) return list.slice(valueStart, valueEnd);
    const comma = list.indexOf(',', quoted ? valueEnd + 1 : valueEnd);
    if (comma < 0) return undefined;
    at = comma + 1;
  }
  return undefined;
}

/** A relative path with no dot segment, query or escape: resolved by joining it to the base's directory. */
const plainRelativePath = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]*(?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*$/;
let lastBase = '';
let lastBaseDir = '';

/**
 * `uri` resolved against `base`, as `new URL(uri, base).href`. A viewer resolves every part URI of
 * every reload (~80 per reload, 5 reloads a second each): plain relative paths are joined to the
 * base's directory without parsing a URL.
 */
export function resolveUri(uri: string, base: string): string {
  if (!plainRelativePath.test(uri)) return new URL(uri, base).toString();
  if (base !== lastBase) {
    const href = new URL(base).toString();
    const end = href.search(/[?#]/);
    const path = end < 0 ? href : href.slice(0, end);
    lastBaseDir = path.slice(0, path.lastIndexOf('/') + 1);
    lastBase = base;
  }
  return lastBaseDir + uri;
}

export function isMultivariant(text: string): boolean {
  return text.includes('#EXT-X-STREAM-INF');
}

/** The first variant's URI, resolved against the multivariant playlist's URL. */
export function firstVariantUrl(text: string, base: string): string {
  const lines = text.split(/\r?\n/);
  const index = lines.findIndex((line) => line.startsWith('#EXT-X-STREAM-INF'));
  const uri = lines.slice(index + 1).find((line) => line.trim() !== '' && !line.startsWith('#'));
  if (index < 0 || uri === undefined) throw new Error('multivariant playlist without a variant');
  return new URL(uri.trim(), base).toString();
}

export function parseMediaPlaylist(text: string, base: string): MediaPlaylist {
  if (!text.startsWith('#EXTM3U')) throw new Error(`not a playlist: ${JSON.stringify(text.slice(0, 80))}`);
  const playlist: MediaPlaylist = {
    targetDurationMs: 0,
    mediaSequence: 0,
    canBlockReload: false,
    endList: false,
    segments: [],
    pendingParts: [],
    pendingMsn: 0,
  };
  let parts: Part[] = [];
  let durationMs = 0;
  let programDateTimeMs: number | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '') continue;
    const colon = line.indexOf(':');
    const tag = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1);
    switch (tag) {
      case '#EXT-X-TARGETDURATION':
        playlist.targetDurationMs = Number(value) * 1000;
        break;
      case '#EXT-X-MEDIA-SEQUENCE':
        playlist.mediaSequence = Number(value);
        break;
      case '#EXT-X-PART-INF':
        playlist.partTargetMs = Number(attribute(value, 'PART-TARGET')) * 1000;
        break;
      case '#EXT-X-SERVER-CONTROL':
        playlist.canBlockReload = attribute(value, 'CAN-BLOCK-RELOAD') === 'YES';
        break;
      case '#EXT-X-MAP':
        playlist.mapUri = resolveUri(attribute(value, 'URI') ?? '', base);
        break;
      case '#EXT-X-ENDLIST':
        playlist.endList = true;
        break;
      case '#EXT-X-PROGRAM-DATE-TIME':
        programDateTimeMs = Date.parse(value);
        break;
      case '#EXT-X-PART': {
        parts.push({ uri: resolveUri(attribute(value, 'URI') ?? '', base), durationMs: Number(attribute(value, 'DURATION')) * 1000 });
        break;
      }
      case '#EXTINF':
        durationMs = Number.parseFloat(value) * 1000;
        break;
      default:
        if (!line.startsWith('#')) {
          const segment: Segment = {
            msn: playlist.mediaSequence + playlist.segments.length,
            uri: resolveUri(line, base),
            durationMs,
            parts,
          };
          if (programDateTimeMs !== undefined) segment.programDateTimeMs = programDateTimeMs;
          playlist.segments.push(segment);
          parts = [];
          programDateTimeMs = undefined;
        }
    }
  }
  playlist.pendingParts = parts;
  playlist.pendingMsn = playlist.mediaSequence + playlist.segments.length;
  return playlist;
}

/**
 * The `_HLS_msn` / `_HLS_part` a player asks for next: the part after the newest listed one
 * (RFC 8216bis 6.2.5.2); after a completed segment that is part 0 of the next segment.
 */
export function nextPartRequest(playlist: MediaPlaylist): { msn: number; part: number } {
  return { msn: playlist.pendingMsn, part: playlist.pendingParts.length };
}

/** True if the playlist lists LL-HLS parts anywhere. */
export function hasParts(playlist: MediaPlaylist): boolean {
  return playlist.pendingParts.length > 0 || playlist.segments.some((segment) => segment.parts.length > 0);
}
