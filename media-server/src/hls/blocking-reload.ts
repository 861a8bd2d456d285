// Delivery Directives (RFC 8216bis 6.2.5): parsing `_HLS_msn`, `_HLS_part`, `_HLS_skip` and
// deciding whether a blocking playlist request can be answered now, must wait, or is refused.
// Pure functions over a small view of the stream; the waiting itself lives in stream-requests.ts.

export interface DeliveryDirectives {
  readonly msn?: number;
  readonly part?: number;
  /** `_HLS_skip=YES` or `v2`: the client asks for a Playlist Delta Update. */
  readonly skip: boolean;
}

export type DirectiveResult = { readonly ok: true; readonly directives: DeliveryDirectives } | { readonly ok: false; readonly error: string };

const decimalInteger = /^\d{1,15}$/;

export function parseDeliveryDirectives(params: URLSearchParams): DirectiveResult {
  const msnText = params.get('_HLS_msn');
  const partText = params.get('_HLS_part');
  const skipText = params.get('_HLS_skip');
  if (msnText !== null && !decimalInteger.test(msnText)) return { ok: false, error: `_HLS_msn ${JSON.stringify(msnText)} is not a decimal-integer` };
  if (partText !== null && !decimalInteger.test(partText)) return { ok: false, error: `_HLS_part ${JSON.stringify(partText)} is not a decimal-integer` };
  // "If the Playlist URI contains an _HLS_part directive but no _HLS_msn directive, the Server
  // MUST return Bad Request, such as HTTP 400."
  if (partText !== null && msnText === null) return { ok: false, error: '_HLS_part without _HLS_msn' };
  return {
    ok: true,
    directives: {
      msn: msnText === null ? undefined : Number(msnText),
      part: partText === null ? undefined : Number(partText),
      skip: skipText === 'YES' || skipText === 'v2',
    },
  };
}

/** What the blocking decision needs to know about the playlist right now. */
export interface ReloadView {
  /** Media Sequence Number of the last complete segment, -1 when there is none yet. */
  readonly lastMsn: number;
  /** Parts published so far for a complete segment still in memory (undefined when evicted). */
  partCount(msn: number): number | undefined;
  /** Parts published so far in the segment being produced (msn lastMsn + 1). */
  readonly openParts: number;
  /** Part target duration, seconds. */
  readonly partTarget: number;
}

export type ReloadDecision = 'ready' | 'wait' | 'too-far';

/**
 * "The Advance Part Limit is three divided by the Part Target Duration if the Part Target
 * Duration is less than one second, or three otherwise."
 */
export function advancePartLimit(partTarget: number): number {
  return partTarget < 1 ? 3 / partTarget : 3;
}

export function decideReload(view: ReloadView, msn: number, part: number | undefined): ReloadDecision {
  // "If the _HLS_msn is greater than the Media Sequence Number of the last Media Segment in
  // the current Playlist plus two, or if the _HLS_part exceeds the last Partial Segment in the
  // current Playlist by the Advance Part Limit, then the server SHOULD immediately return Bad
  // Request, such as HTTP 400."
  if (msn > view.lastMsn + 2) return 'too-far';
  const openMsn = view.lastMsn + 1;
  if (part === undefined) {
    // "When the Playlist URI contains an _HLS_msn directive and no _HLS_part directive, the
    // Server MUST defer responding to the request until the Playlist contains a Media Segment
    // with a Media Sequence Number of M or later or it responds with an error."
    return msn <= view.lastMsn ? 'ready' : 'wait';
  }
  if (msn < openMsn) {
    const count = view.partCount(msn);
    // "If the Client requests a Part Index greater than that of the final Partial Segment of
    // the Parent Segment, the Server MUST treat the request as one for Part Index 0 of the
    // following Parent Segment."
    if (count === undefined || part < count) return 'ready';
    return decideReload(view, msn + 1, 0);
  }
  // Parts still to come before the requested one, counted from the last published part.
  const ahead = msn === openMsn ? part - (view.openParts - 1) : view.openParts === 0 ? part + 1 : part + 1 + 1;
  if (ahead > advancePartLimit(view.partTarget)) return 'too-far';
  // "When the Playlist URI contains both an _HLS_msn directive and an _HLS_part directive,
  // the Server MUST defer responding to the request until the Playlist contains the Partial
  // Segment with Part Index N and with a Media Sequence Number of M or later or it responds
  // with an error."
  return msn === openMsn && part < view.openParts ? 'ready' : 'wait';
}
