// HLS playlists as typed values, one field per tag, and the one place that turns them into
// text (draft-pantos-hls-rfc8216bis). Nothing else in the server writes a '#EXT' line.

export interface PartialSegment {
  /** EXT-X-PART DURATION, seconds. */
  readonly duration: number;
  /** EXT-X-PART URI. */
  readonly uri: string;
  /** EXT-X-PART INDEPENDENT=YES: "the Partial Segment contains an independent frame". */
  readonly independent: boolean;
}

/** Tags that apply to the segment that follows them, complete or still growing. */
export interface SegmentHeader {
  /** EXT-X-DISCONTINUITY. */
  readonly discontinuity: boolean;
  /** EXT-X-MAP URI, written when the initialization section changes (and for the first segment). */
  readonly map?: string;
  /** EXT-X-PROGRAM-DATE-TIME: wall clock of the segment's first frame. */
  readonly programDateTime?: Date;
  /** EXT-X-PART tags of this segment (only near the live edge). */
  readonly parts: readonly PartialSegment[];
}

export interface MediaSegment extends SegmentHeader {
  /** EXTINF duration, seconds. */
  readonly duration: number;
  readonly uri: string;
}

export interface ServerControl {
  /** CAN-BLOCK-RELOAD=YES. */
  readonly canBlockReload: boolean;
  /** CAN-SKIP-UNTIL, seconds (the Skip Boundary). */
  readonly canSkipUntil?: number;
  /** HOLD-BACK, seconds. */
  readonly holdBack?: number;
  /** PART-HOLD-BACK, seconds. */
  readonly partHoldBack?: number;
}

export interface MediaPlaylist {
  /** EXT-X-VERSION. */
  readonly version: number;
  /** EXT-X-TARGETDURATION, whole seconds. */
  readonly targetDuration: number;
  /** EXT-X-MEDIA-SEQUENCE. */
  readonly mediaSequence: number;
  /** EXT-X-DISCONTINUITY-SEQUENCE (written when non-zero). */
  readonly discontinuitySequence: number;
  /** EXT-X-INDEPENDENT-SEGMENTS. */
  readonly independentSegments: boolean;
  /** EXT-X-SERVER-CONTROL. */
  readonly serverControl?: ServerControl;
  /** EXT-X-PART-INF PART-TARGET, seconds. */
  readonly partTarget?: number;
  /** EXT-X-SKIP SKIPPED-SEGMENTS (a Playlist Delta Update). */
  readonly skippedSegments?: number;
  /**
   * The listed segments before `segments`, already written (serializeMediaSegment's text, one
   * after the other): a long playlist's settled segments, kept between builds
   * (settled-segments.ts) rather than listed and written again each time.
   */
  readonly leadingSegmentsText?: string;
  readonly segments: readonly MediaSegment[];
  /** The segment being produced: its header tags and the parts published so far. */
  readonly partialSegment?: SegmentHeader;
  /** EXT-X-PRELOAD-HINT TYPE=PART URI. */
  readonly preloadHintUri?: string;
  /** EXT-X-ENDLIST. */
  readonly endList: boolean;
  /** EXT-X-PLAYLIST-TYPE (recordings: EVENT while growing, VOD once finished). */
  readonly playlistType?: 'EVENT' | 'VOD';
}

export interface VariantStream {
  /** BANDWIDTH, bits per second (peak segment bit rate). */
  readonly bandwidth: number;
  /** CODECS (RFC 6381), every format present in the variant. */
  readonly codecs: readonly string[];
  /** RESOLUTION. */
  readonly resolution?: { readonly width: number; readonly height: number };
  /** FRAME-RATE. */
  readonly frameRate?: number;
  readonly uri: string;
}

export interface MultivariantPlaylist {
  /** EXT-X-INDEPENDENT-SEGMENTS. */
  readonly independentSegments: boolean;
  /** EXT-X-STREAM-INF + URI lines. */
  readonly variants: readonly VariantStream[];
}

/** decimal-floating-point with at most 5 decimals and no trailing zeros. */
export function formatDecimal(value: number): string {
  return String(Number(value.toFixed(5)));
}

function quoted(value: string): string {
  if (/["\r\n]/.test(value)) throw new Error(`playlist attribute value ${JSON.stringify(value)} cannot be quoted`);
  return `"${value}"`;
}

function yes(value: boolean): string {
  return value ? 'YES' : 'NO';
}

function attributes(list: ReadonlyArray<readonly [string, string | undefined]>): string {
  return list.filter((entry): entry is readonly [string, string] => entry[1] !== undefined).map(([key, value]) => `${key}=${value}`).join(',');
}

// The EXT-X-PART line of a part never changes while it is listed, and a live playlist is rebuilt
// for every new part (5 a second per stream) listing ~30 parts: writing each line once per object
// instead of once per build, since building them was the server's largest allocation source.
// Callers that want the cache hit pass the same objects again (playlist-builder.ts does, for as
// long as it lists them one by one); any other object simply gets its line built.
const partLines = new WeakMap<PartialSegment, string>();
/** A complete segment's lines never change either: its whole text, once per object. */
const segmentTexts = new WeakMap<MediaSegment, string>();

function partLine(part: PartialSegment): string {
  let line = partLines.get(part);
  if (line === undefined) {
    line = `#EXT-X-PART:${attributes([
      ['DURATION', formatDecimal(part.duration)],
      ['URI', quoted(part.uri)],
      ['INDEPENDENT', part.independent ? 'YES' : undefined],
    ])}`;
    partLines.set(part, line);
  }
  return line;
}

function headerLines(header: SegmentHeader, lines: string[]): void {
  if (header.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
  if (header.map !== undefined) lines.push(`#EXT-X-MAP:URI=${quoted(header.map)}`);
  // Not kept per Date: a complete segment's is in its kept text, and the segment in progress
  // writes one line a build. Kept, it lived as long as the segment's Date (hours while recorded).
  if (header.programDateTime) lines.push(`#EXT-X-PROGRAM-DATE-TIME:${header.programDateTime.toISOString()}`);
  for (const part of header.parts) lines.push(partLine(part));
}

function segmentText(segment: MediaSegment): string {
  let text = segmentTexts.get(segment);
  if (text === undefined) {
    const lines: string[] = [];
    headerLines(segment, lines);
    lines.push(`#EXTINF:${formatDecimal(segment.duration)},`, segment.uri);
    text = lines.join('\n');
    segmentTexts.set(segment, text);
  }
  return text;
}

/**
 * One complete segment's lines as serializeMediaPlaylist writes them, newline-terminated: appended
 * to a playlist without EXT-X-ENDLIST, partial segment or hint, they give the playlist with it.
 */
export function serializeMediaSegment(segment: MediaSegment): string {
  return `${segmentText(segment)}\n`;
}

export function serializeMediaPlaylist(playlist: MediaPlaylist): string {
  const lines = ['#EXTM3U', `#EXT-X-VERSION:${playlist.version}`, `#EXT-X-TARGETDURATION:${playlist.targetDuration}`];
  const control = playlist.serverControl;
  if (control) {
    lines.push(
      `#EXT-X-SERVER-CONTROL:${attributes([
        ['CAN-BLOCK-RELOAD', control.canBlockReload ? yes(true) : undefined],
        ['CAN-SKIP-UNTIL', control.canSkipUntil === undefined ? undefined : formatDecimal(control.canSkipUntil)],
        ['HOLD-BACK', control.holdBack === undefined ? undefined : formatDecimal(control.holdBack)],
        ['PART-HOLD-BACK', control.partHoldBack === undefined ? undefined : formatDecimal(control.partHoldBack)],
      ])}`,
    );
  }
  if (playlist.partTarget !== undefined) lines.push(`#EXT-X-PART-INF:PART-TARGET=${formatDecimal(playlist.partTarget)}`);
  if (playlist.playlistType !== undefined) lines.push(`#EXT-X-PLAYLIST-TYPE:${playlist.playlistType}`);
  lines.push(`#EXT-X-MEDIA-SEQUENCE:${playlist.mediaSequence}`);
  if (playlist.discontinuitySequence > 0) lines.push(`#EXT-X-DISCONTINUITY-SEQUENCE:${playlist.discontinuitySequence}`);
  if (playlist.independentSegments) lines.push('#EXT-X-INDEPENDENT-SEGMENTS');
  if (playlist.skippedSegments !== undefined) lines.push(`#EXT-X-SKIP:SKIPPED-SEGMENTS=${playlist.skippedSegments}`);
  const head = lines.join('\n') + '\n';
  lines.length = 0;
  for (const segment of playlist.segments) lines.push(segmentText(segment));
  if (playlist.partialSegment) headerLines(playlist.partialSegment, lines);
  if (playlist.preloadHintUri !== undefined) lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI=${quoted(playlist.preloadHintUri)}`);
  if (playlist.endList) lines.push('#EXT-X-ENDLIST');
  return head + (playlist.leadingSegmentsText ?? '') + (lines.length > 0 ? lines.join('\n') + '\n' : '');
}

export function serializeMultivariantPlaylist(playlist: MultivariantPlaylist): string {
  const lines = ['#EXTM3U'];
  if (playlist.independentSegments) lines.push('#EXT-X-INDEPENDENT-SEGMENTS');
  for (const variant of playlist.variants) {
    lines.push(
      `#EXT-X-STREAM-INF:${attributes([
        ['BANDWIDTH', String(Math.round(variant.bandwidth))],
        ['CODECS', quoted(variant.codecs.join(','))],
        ['RESOLUTION', variant.resolution ? `${variant.resolution.width}x${variant.resolution.height}` : undefined],
        ['FRAME-RATE', variant.frameRate === undefined ? undefined : variant.frameRate.toFixed(3)],
      ])}`,
      variant.uri,
    );
  }
  return lines.join('\n') + '\n';
}

/** The tags that belong to the segment after them. */
const segmentTag = /^#EXT(INF:|-X-DISCONTINUITY$|-X-MAP:|-X-PROGRAM-DATE-TIME:)/;

/**
 * A recording's EVENT playlist, finished as it stands (start-up recovery of a recording whose
 * server stopped before finishing it): PLAYLIST-TYPE VOD and EXT-X-ENDLIST. Undefined when the text
 * is not an EVENT playlist without EXT-X-ENDLIST.
 */
export function finishEventPlaylistText(text: string): string | undefined {
  if (!text.startsWith('#EXTM3U\n') || /^#EXT-X-ENDLIST$/m.test(text) || !/^#EXT-X-PLAYLIST-TYPE:EVENT$/m.test(text)) return undefined;
  // Segments are appended while recording: a crash mid-append leaves a torn tail (a line without
  // its newline, or a segment's tags without its URI). Keep what ends with a complete URI line.
  const lines = text.split('\n');
  lines.pop();
  while (lines.length > 0 && segmentTag.test(lines[lines.length - 1]!)) lines.pop();
  const last = lines[lines.length - 1];
  if (last === undefined || last === '' || last.startsWith('#')) return undefined;
  const body = `${lines.join('\n')}\n`.replace(/^#EXT-X-PLAYLIST-TYPE:EVENT$/m, '#EXT-X-PLAYLIST-TYPE:VOD');
  return `${body}#EXT-X-ENDLIST\n`;
}
